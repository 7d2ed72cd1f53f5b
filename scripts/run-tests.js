#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with node's test runner.
// Usage: node scripts/run-tests.js [filter...]  (substrings of the file paths)
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('dist')
  .map((f) => relative('.', f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found (did tsc run?)');
  process.exit(1);
}
// A hang must fail with the file's name, not run until CI's own limit: node 20 applies --test-timeout to each file
// as a whole (its tests and any handle that keeps it from exiting). The slowest file takes about a minute here.
const FILE_TIMEOUT_MS = 300_000;
// And the whole run stops at 30 minutes, whatever the runner itself does (the suite takes about 6 to 9): the
// runner and the test files it started are one process group, killed together.
const RUN_TIMEOUT_MS = 30 * 60_000;
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', `--test-timeout=${FILE_TIMEOUT_MS}`, ...files], {
  stdio: 'inherit',
  detached: true,
});
const group = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group has already exited
  }
};
const stop = setTimeout(() => {
  console.error(`the test run did not finish in ${RUN_TIMEOUT_MS / 60_000} minutes: stopped`);
  group('SIGKILL');
}, RUN_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => group(signal));
child.on('exit', (code) => {
  clearTimeout(stop);
  process.exit(code ?? 1);
});
