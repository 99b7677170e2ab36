// Sums the <Counters> of every TRX file under a folder and prints one line:
//   Tests: N passed, N failed, N skipped
// Exit code 0 only when nothing failed and at least one test ran.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

function trxFiles(folder) {
  if (!fs.existsSync(folder)) {
    return [];
  }
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.trx'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of trxFiles(process.argv[2])) {
  const counters = /<Counters\b([^>]*)\/?>/.exec(fs.readFileSync(file, 'utf8'));
  if (!counters) {
    continue;
  }
  const count = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(counters[1]) || [])[1] || 0);
  totals.passed += count('passed');
  // Errors, timeouts and aborts are failures too. Skipped tests count in total but not in executed (VSTest leaves
  // notExecuted at 0 for xunit skips), so the difference is the skipped count.
  totals.failed += count('failed') + count('error') + count('timeout') + count('aborted');
  totals.skipped += Math.max(count('total') - count('executed'), count('notExecuted'));
}

console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
