// Small network probes for the shell scripts, so they need nothing beyond node (no curl, no python).
//   node .ci/probe.cjs port PORT           exit 0 when something listens on 127.0.0.1:PORT
//   node .ci/probe.cjs azurite PORT        exit 0 when Azurite answers there (its Server header says so)
//   node .ci/probe.cjs maildev PORT        exit 0 when MailDev's /api/healthz answers there
//   node .ci/probe.cjs http URL            exit 0 when URL answers 2xx
'use strict';

const http = require('node:http');
const net = require('node:net');

const [kind, target] = process.argv.slice(2);
const timeoutMs = 2000;

function get(url, check) {
  const request = http.get(url, { timeout: timeoutMs }, (response) => {
    response.resume();
    process.exit(check(response) ? 0 : 1);
  });
  request.on('timeout', () => request.destroy());
  request.on('error', () => process.exit(1));
}

switch (kind) {
  case 'port': {
    const socket = net.connect({ host: '127.0.0.1', port: Number(target), timeout: timeoutMs });
    socket.on('connect', () => { socket.destroy(); process.exit(0); });
    socket.on('timeout', () => process.exit(1));
    socket.on('error', () => process.exit(1));
    break;
  }
  case 'azurite':
    get(`http://127.0.0.1:${target}/devstoreaccount1?comp=list`, (r) => /^Azurite-/.test(r.headers.server || ''));
    break;
  case 'maildev':
    get(`http://127.0.0.1:${target}/api/healthz`, (r) => r.statusCode === 200);
    break;
  case 'http':
    get(target, (r) => r.statusCode >= 200 && r.statusCode < 300);
    break;
  default:
    console.error(`usage: probe.cjs port|azurite|maildev|http TARGET (got '${kind}')`);
    process.exit(2);
}
