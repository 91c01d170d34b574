#!/usr/bin/env node
// multiprocess benchmarks (BENCH.md): node src/main.mjs [ids...] [--json] [--quick]
//   [--duration <ms>] [--repeat <n>]
// Runs the selected rows (all by default), each in its own Node process, prints one table (or,
// with --json, the JSON array on stdout), and writes bench-results.json and bench-results.svg.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svg, table, toRow } from './lib/report.mjs';

const SRC = fileURLToPath(new URL('.', import.meta.url));
const APP = join(SRC, '..');
const ROWS = join(SRC, 'rows');

const argv = process.argv.slice(2);
const flags = { json: false, quick: false, duration: undefined, repeat: undefined };
/** @type {string[]} */
const ids = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--json') flags.json = true;
  else if (a === '--quick') flags.quick = true;
  else if (a === '--duration' || a === '--repeat') flags[a.slice(2)] = argv[++i];
  else if (a === '-h' || a === '--help') {
    process.stdout.write('usage: node src/main.mjs [B1 B2 ...] [--json] [--quick] [--duration ms] [--repeat n]\n');
    process.exit(0);
  } else if (a !== '--') ids.push(a.toUpperCase());
}

const available = readdirSync(ROWS)
  .map((f) => /^b(\d+)-.*\.mjs$/.exec(f))
  .filter((m) => m !== null)
  .sort((a, b) => Number(a[1]) - Number(b[1]))
  .map((m) => ({ id: `B${m[1]}`, file: join(ROWS, m[0]) }));
const unknown = ids.filter((id) => !available.some((r) => r.id === id));
if (unknown.length) {
  process.stderr.write(`unknown row(s): ${unknown.join(', ')}; known: ${available.map((r) => r.id).join(' ')}\n`);
  process.exit(2);
}
const selected = ids.length ? available.filter((r) => ids.includes(r.id)) : available;

const work = mkdtempSync(join(tmpdir(), 'mp-bench-'));
const cache = join(work, 'anchors.json');
const rowTimeoutMs = flags.quick ? 180_000 : 600_000;
/** @type {import('node:child_process').ChildProcess | null} */
let running = null;
const killGroup = (pid) => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
};
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (running?.pid) killGroup(running.pid);
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
}

/** @param {{ id: string, file: string }} row */
function runRow(row) {
  const out = join(work, `${row.id}.json`);
  const args = [join(SRC, 'run-row.mjs'), row.file, '--out', out, '--cache', cache];
  if (flags.quick) args.push('--quick');
  if (flags.duration) args.push('--duration', String(flags.duration));
  if (flags.repeat) args.push('--repeat', String(flags.repeat));
  return new Promise((resolve) => {
    // Own process group (detached) so that a hung row and everything it started can be killed;
    // its stdout goes to our stderr so that --json keeps stdout clean.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 2, 2], detached: true, cwd: APP });
    running = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, rowTimeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running = null;
      killGroup(child.pid); // leftovers of the row (orphaned children) in its group
      let result = null;
      try {
        result = JSON.parse(readFileSync(out, 'utf8'));
      } catch {}
      const why = timedOut ? `timed out after ${rowTimeoutMs / 1000} s` : `exited with ${signal ?? code}`;
      resolve({ result, why });
    });
  });
}

/** @type {import('./lib/report.mjs').Row[]} */
const rows = [];
/** @type {{ id: string, text: string }[]} */
const notes = [];
const t0 = Date.now();
for (const row of selected) {
  const started = Date.now();
  process.stderr.write(`${row.id} …\n`);
  const { result, why } = await runRow(row);
  if (result?.error) notes.push({ id: row.id, text: `row crashed: ${result.error.split('\n').slice(0, 3).join(' | ')}` });
  if (!result || (result.rows.length === 0 && !result.error)) notes.push({ id: row.id, text: `row produced nothing (${why})` });
  if (result && result.rows.length === 0) {
    rows.push(toRow({ id: row.id, name: `${result.title ?? row.id}: no result`, ours: null, anchor: null, anchorName: 'n/a', unit: '', goal: null, kind: 'throughput' }));
  } else if (!result) {
    rows.push(toRow({ id: row.id, name: `${row.id}: no result (${why})`, ours: null, anchor: null, anchorName: 'n/a', unit: '', goal: null, kind: 'throughput' }));
  }
  for (const m of result?.rows ?? []) rows.push(toRow(m));
  for (const text of result?.notes ?? []) notes.push({ id: row.id, text });
  process.stderr.write(`${row.id} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
rmSync(work, { recursive: true, force: true });
process.stderr.write(`all rows in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

writeFileSync(join(APP, 'bench-results.json'), JSON.stringify(rows, null, 2) + '\n');
writeFileSync(join(APP, 'bench-results.svg'), svg(rows));
if (flags.json) {
  process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  if (notes.length) process.stderr.write(notes.map((n) => `${n.id}: ${n.text}`).join('\n') + '\n');
} else {
  process.stdout.write(table(rows, notes) + '\n');
}
