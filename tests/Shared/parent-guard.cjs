// Preloaded into dev-stack child processes (`node --require parent-guard.cjs <entry>`) so that Azurite and MailDev
// never outlive the test process that started them, even when that process is killed and cannot clean up.
// Active only when DIALOOG_PARENT_PID is set, so running the tools by hand is unaffected.
'use strict';

const fs = require('node:fs');

const parentPid = Number(process.env.DIALOOG_PARENT_PID);
if (Number.isInteger(parentPid) && parentPid > 0) {
  const originalPpid = process.ppid;
  const leave = () => process.exit(0);

  // The parent holds the write end of our stdin pipe; the OS closes it when the parent dies, however it dies.
  let stdinIsPipe = false;
  try {
    const stat = fs.fstatSync(0);
    stdinIsPipe = stat.isFIFO() || stat.isSocket();
  } catch {
    // No stdin at all: rely on the poll below.
  }
  if (stdinIsPipe) {
    process.stdin.on('end', leave);
    process.stdin.on('error', leave);
    process.stdin.resume();
    process.stdin.unref(); // watching stdin must not by itself keep the process alive
  }

  // Backstop for when the pipe is shared with someone else: the parent is gone when we were re-parented or when it
  // no longer exists. (A dead parent can linger as a zombie that still answers kill 0; re-parenting catches that.)
  const timer = setInterval(() => {
    if (process.ppid !== originalPpid) {
      leave();
    }
    try {
      process.kill(parentPid, 0);
    } catch (error) {
      if (error.code === 'ESRCH') {
        leave();
      }
    }
  }, 500);
  timer.unref();
}
