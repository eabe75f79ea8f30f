// `npm test`: makes sure PostgreSQL and its streaming replica run, then the type check, lint, format check and every test
// project (unit; integration on PGlite and on PostgreSQL; system tests on PostgreSQL). Prints a final
// line "N passed, N failed" counting each static check and each test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;

function step(label, command, args, options = {}) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status === 0;
}

function check(label, command, args) {
  if (step(label, command, args)) passed++;
  else {
    failed++;
    process.stdout.write(`FAILED: ${label}\n`);
  }
}

if (
  !step('PostgreSQL for the integration suites', 'bash', [
    join(root, 'scripts', 'ensure-postgres.sh'),
  ])
) {
  process.stdout.write(
    'FAILED: PostgreSQL is not available, so the PostgreSQL suites cannot run\n',
  );
  failed++;
}
// Read replica (issue 15, lane R1): a streaming replica of that server on 127.0.0.1:5433.
if (
  !step('PostgreSQL streaming replica for the read-replica test', 'bash', [
    join(root, 'scripts', 'ensure-replica.sh'),
  ])
) {
  process.stdout.write(
    'FAILED: the read replica is not available, so the read-replica test cannot pass\n',
  );
  failed++;
}
if (
  !step('Chromium for the browser tests', 'bash', [join(root, 'scripts', 'ensure-chromium.sh')])
) {
  process.stdout.write('FAILED: Chromium is not available, so the browser tests cannot run\n');
  failed++;
}
check('type check (tsc)', bin('tsc'), ['--noEmit', '-p', '.']);
check('lint (eslint)', bin('eslint'), ['.']);
check('format (prettier --check)', bin('prettier'), ['--check', '.']);

const results = join(root, '.test-results', 'results.json');
rmSync(results, { force: true });
const testsOk = step(
  'tests (vitest: unit, integration-pglite, integration-postgres, system-postgres, browser)',
  bin('vitest'),
  ['run'],
);
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed += report.numPassedTests;
  failed +=
    report.numFailedTests +
    (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0
      ? 1
      : 0);
  if (report.numPendingTests + report.numTodoTests > 0)
    process.stdout.write(`note: ${report.numPendingTests + report.numTodoTests} tests skipped\n`);
} else {
  failed++;
}
if (!testsOk && failed === 0) failed++;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
