#!/usr/bin/env node
// Runs every check and test Kubewire has — lint, format, types, unit tests
// (vitest), production build, end-to-end tests (Playwright in Chromium) —
// and ends with one line "N passed, N failed, N skipped" for CI.
//
// Tests that need Debian's tshark or Chromium install them first when this
// runs as root (as CI does); otherwise they skip with a printed reason.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const isRoot = process.getuid?.() === 0;

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function ensureSystemPackages() {
  const wanted = [
    ['chromium', existsSync('/usr/bin/chromium')],
    ['tshark', has('tshark')],
    ['iptables', has('iptables')],
    ['ipset', has('ipset')],
    ['conntrack', has('conntrack')],
    ['netcat-openbsd', existsSync('/usr/bin/nc.openbsd')],
    ['procps', has('sysctl')],
    ['iproute2', has('ip')],
    ['iputils-ping', has('ping')],
    ['dnsutils', has('dig')],
    ['openssl', has('openssl')],
    ['curl', has('curl')],
  ];
  const missing = wanted.filter(([, present]) => !present).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (!isRoot || !has('apt-get')) {
    console.log(
      `note: ${missing.join(', ')} missing and not root with apt-get: tests that need them will skip.`,
    );
    return;
  }
  run('sh', [
    '-c',
    `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')} >/dev/null`,
  ]);
}

function check(name, cmd, args) {
  if (run(cmd, args)) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

function vitest() {
  const out = '.vitest-results.json';
  rmSync(out, { force: true });
  run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  if (!existsSync(out)) {
    totals.failed++;
    failures.push('vitest (no results)');
    return;
  }
  const r = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  if (r.numFailedTests > 0 || r.numFailedTestSuites > 0) failures.push('unit tests');
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) totals.failed += r.numFailedTestSuites;
}

function e2e() {
  // Absolute: Playwright resolves a relative report path against the config's folder.
  const out = resolve('.e2e-results.json');
  if (!existsSync('/usr/bin/chromium') && !process.env.PLAYWRIGHT_BROWSERS_PATH) {
    console.log(
      '\nSKIP e2e: /usr/bin/chromium is missing (apt-get install chromium, as root) and Playwright cannot download browsers here.',
    );
    totals.skipped++;
    return;
  }
  rmSync(out, { force: true });
  run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], {
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
  });
  if (!existsSync(out)) {
    totals.failed++;
    failures.push('e2e (no results)');
    return;
  }
  const s = JSON.parse(readFileSync(out, 'utf8')).stats;
  totals.passed += s.expected + (s.flaky ?? 0);
  totals.failed += s.unexpected;
  totals.skipped += s.skipped;
  if (s.unexpected > 0) failures.push('e2e tests');
}

ensureSystemPackages();
check('eslint', 'npx', ['eslint', '.']);
check('prettier', 'npx', ['prettier', '--check', '.']);
check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
vitest();
check('build', 'npm', ['run', '--silent', 'build']);
e2e();

console.log('');
if (failures.length) console.log(`failed: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
