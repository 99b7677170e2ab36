#!/usr/bin/env bash
# `npm test`: builds and runs every test project. The tests start Azurite and MailDev themselves (tests/Shared),
# so nothing has to run beforehand. The last line printed is always "Tests: N passed, N failed, N skipped".
set -euo pipefail

cd "$(dirname "$0")/.."

# The test fixture needs Azurite and MailDev from node_modules; the browser tests need axe-core.
if [[ ! -d node_modules/azurite || ! -d node_modules/maildev || ! -d node_modules/axe-core ]]; then
  npm ci --no-audit --no-fund --loglevel=warn
fi

# A fresh results folder per run, so old TRX files are never counted.
results="TestResults/run-$(date +%Y%m%d-%H%M%S)-$$"

test_status=0
# A hung test host is stopped after 10 minutes (and counted as a failure) instead of eating the CI budget.
dotnet test Dialoog.Functions.sln -c Release --nologo --logger trx --results-directory "$results" --blame-hang-timeout 10m || test_status=$?

summary_status=0
node .ci/trx-summary.cjs "$results" || summary_status=$?

# Fail when dotnet test failed (including build errors), when a test failed, or when no test ran at all.
if (( test_status != 0 || summary_status != 0 )); then
  exit 1
fi
