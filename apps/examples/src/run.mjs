// Runs every example of src/examples as its own program, on each start method, and checks its
// output against src/manifests/*.mjs. Prints one line per run; exits 1 if any run fails.
//   node src/run.mjs                 all examples, both methods
//   node src/run.mjs pipe-basic      examples whose name contains "pipe-basic"
//   node src/run.mjs --method spawn  one method only
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// One manifest per package (src/manifests/<package>.mjs), so packages add examples independently.
const examples = [];
for (const file of fs.readdirSync(path.join(here, 'manifests')).sort()) {
  examples.push(...(await import(pathToFileURL(path.join(here, 'manifests', file)).href)).examples);
}
const args = process.argv.slice(2);
const methodIndex = args.indexOf('--method');
const methods = methodIndex >= 0 ? [args[methodIndex + 1]] : ['thread', 'spawn'];
const filters = args.filter((a, i) => !a.startsWith('--') && (methodIndex < 0 || i !== methodIndex + 1));
const selected = examples.filter((e) => filters.length === 0 || filters.some((f) => e.name.includes(f)));

function run(example, method) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'examples', example.file), ...(example.args ?? [])], {
      env: { ...process.env, MULTIPROCESS_START_METHOD: method, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (example.timeoutMs ?? 60_000));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Returns a list of problems (empty = pass). */
function check(example, result) {
  const problems = [];
  const expect = example.expect ?? {};
  const lines = result.stdout.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0);
  if (result.signal) problems.push(`killed by ${result.signal} (timeout?)`);
  if (result.code !== (expect.exitCode ?? 0)) problems.push(`exit code ${result.code}, expected ${expect.exitCode ?? 0}`);
  for (const want of expect.lines ?? []) {
    if (!lines.some((l) => (want instanceof RegExp ? want.test(l) : l === want))) problems.push(`missing line: ${want}`);
  }
  let at = 0;
  for (const want of expect.ordered ?? []) {
    const found = lines.findIndex((l, i) => i >= at && (want instanceof RegExp ? want.test(l) : l === want));
    if (found < 0) {
      problems.push(`missing in order: ${want}`);
      break;
    }
    at = found + 1;
  }
  if (expect.lineCount !== undefined && lines.length !== expect.lineCount) problems.push(`${lines.length} lines, expected ${expect.lineCount}`);
  for (const bad of expect.notOnStderr ?? [/Error/]) if (bad.test(result.stderr)) problems.push(`stderr matches ${bad}`);
  if (expect.custom) {
    const message = expect.custom(lines, result);
    if (message) problems.push(message);
  }
  return problems;
}

let failed = 0;
for (const example of selected) {
  for (const method of methods) {
    if (example.methods && !example.methods.includes(method)) continue;
    const result = await run(example, method);
    const problems = check(example, result);
    const mark = problems.length === 0 ? 'ok  ' : 'FAIL';
    console.log(`${mark} ${example.name.padEnd(40)} ${method.padEnd(6)} ${result.seconds.toFixed(1)}s${problems.length ? `  ${problems.join('; ')}` : ''}`);
    if (problems.length > 0) {
      failed++;
      console.log(`---- stdout\n${result.stdout}---- stderr\n${result.stderr}----`);
    }
  }
}
console.log(failed === 0 ? `all ${selected.length} examples passed` : `${failed} run(s) failed`);
process.exit(failed === 0 ? 0 : 1);
