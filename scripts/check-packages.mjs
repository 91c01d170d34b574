#!/usr/bin/env node
// Checks every publishable package (packages/*, not private) the way its users will see it:
//   1. package.json: type, files, exports (with ./package.json), engines, sideEffects, license,
//      internal @mp deps as version ranges that the workspace version satisfies (npm has no
//      `workspace:` protocol, so a range is what npm workspaces link locally);
//   2. a LICENSE in the package folder, identical to the root LICENSE (npm packs it);
//   3. `npm pack` (one npm call for all packages) and, on each tarball,
//      publint (strict: warnings fail) and @arethetypeswrong/cli (default "strict" profile:
//      node10, node16 from CJS and from ESM, and bundler resolutions).
// Exits 1 on any problem. Usage: npm run check:packages [-- <package-dir-or-name> ...]
//
// Packing uses --ignore-scripts: the dist/ that turbo built is what gets checked. (A prepack
// script would wipe and rebuild dist/ under tests that other processes may be running;
// `changeset publish` runs prepack, which builds the same files from scratch.)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const started = performance.now();

/** Publishable packages: packages/<dir> whose package.json is not private. */
function publishable() {
  const dirs = fs.readdirSync(path.join(root, 'packages'), { withFileTypes: true }).filter((d) => d.isDirectory());
  const all = [];
  for (const d of dirs) {
    const file = path.join(root, 'packages', d.name, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!pkg.private) all.push({ dir: path.join(root, 'packages', d.name), rel: `packages/${d.name}`, pkg });
  }
  return all;
}

/** Whether `version` satisfies the caret or tilde range `range` (the only forms allowed here). */
function satisfies(version, range) {
  const m = /^([\^~]?)(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const v = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m || !v) return false;
  const [want, have] = [m.slice(2).map(Number), v.slice(1).map(Number)];
  const cmp = have[0] - want[0] || have[1] - want[1] || have[2] - want[2];
  if (cmp < 0) return false;
  if (m[1] === '') return cmp === 0;
  if (m[1] === '~') return have[0] === want[0] && have[1] === want[1];
  // Caret: the left-most non-zero part is fixed.
  if (want[0] > 0) return have[0] === want[0];
  if (want[1] > 0) return have[0] === 0 && have[1] === want[1];
  return have[0] === 0 && have[1] === 0 && have[2] === want[2];
}

/** The manifest rules that publint does not enforce. */
function manifestProblems({ pkg, dir }, versions, rootLicense, licenseText) {
  const out = [];
  if (pkg.type !== 'module') out.push('"type" should be "module"');
  if (!Array.isArray(pkg.files) || pkg.files.length === 0) out.push('"files" is missing (list what to publish, e.g. ["dist", "README.md"])');
  if (typeof pkg.exports !== 'object' || pkg.exports === null) out.push('"exports" is missing');
  else if (pkg.exports['./package.json'] !== './package.json') out.push('"exports" should map "./package.json" to itself (tools read it)');
  if (!pkg.engines?.node) out.push('"engines.node" is missing (">=20")');
  if (typeof pkg.sideEffects !== 'boolean' && !Array.isArray(pkg.sideEffects)) {
    out.push('"sideEffects" is missing: false only if no module registers anything at import time');
  }
  if (pkg.license !== rootLicense) out.push(`"license" is ${JSON.stringify(pkg.license)}, the repository's is ${JSON.stringify(rootLicense)}`);
  const license = path.join(dir, 'LICENSE');
  if (!fs.existsSync(license)) out.push('LICENSE is missing: copy the root LICENSE into the package folder (npm packs it)');
  else if (fs.readFileSync(license, 'utf8') !== licenseText) out.push('LICENSE differs from the root LICENSE: copy it again');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (!versions.has(name)) {
        if (/^(workspace|file|link|portal):/.test(range)) out.push(`${field}.${name} is "${range}": use a version range`);
        continue;
      }
      if (!satisfies(versions.get(name), range)) {
        out.push(`${field}.${name} is "${range}", which ${name}@${versions.get(name)} (the workspace) does not satisfy: use "^${versions.get(name)}"`);
      }
    }
  }
  return out;
}

/** Runs `tasks` (functions returning promises) at most `limit` at a time. */
async function pooled(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  async function lane() {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

async function main() {
  const filter = process.argv.slice(2);
  const everything = publishable();
  const versions = new Map(everything.map((p) => [p.pkg.name, p.pkg.version]));
  const packages = filter.length === 0 ? everything : everything.filter((p) => filter.some((f) => f === p.pkg.name || path.resolve(f) === p.dir));
  if (packages.length === 0) throw new Error(`no publishable package matches ${filter.join(' ')}`);
  const rootPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const licenseText = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');

  const problems = new Map(packages.map((p) => [p.pkg.name, manifestProblems(p, versions, rootPkg.license, licenseText)]));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-check-packages-'));
  try {
    const workspaces = packages.flatMap((p) => ['--workspace', p.rel]);
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp, ...workspaces], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    const packed = new Map(JSON.parse(stdout).map((r) => [r.name, r]));
    const attw = path.join(root, 'node_modules', '.bin', 'attw');

    const tasks = packages.map((p) => async () => {
      const list = problems.get(p.pkg.name);
      const info = packed.get(p.pkg.name);
      if (!info) {
        list.push('npm pack produced no tarball');
        return;
      }
      const files = new Set(info.files.map((f) => f.path));
      for (const required of ['package.json', 'LICENSE', 'README.md']) {
        if (!files.has(required)) list.push(`the tarball has no ${required}`);
      }
      const tarball = path.join(tmp, info.filename);
      const data = fs.readFileSync(tarball);
      const lint = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, strict: true });
      for (const m of lint.messages) list.push(`publint ${m.type}: ${formatMessage(m, lint.pkg, { color: false }) ?? m.code}`);
      try {
        await run(attw, [tarball, '--format', 'ascii', '--no-color', '--no-emoji'], { maxBuffer: 16 * 1024 * 1024 });
      } catch (err) {
        const text = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim() || String(err);
        list.push(`attw (node10, node16-cjs, node16-esm, bundler):\n${text.replace(/^/gm, '      ')}`);
      }
    });
    await pooled(tasks, Math.max(1, Math.min(2, os.availableParallelism())));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  let failed = 0;
  for (const p of packages) {
    const list = problems.get(p.pkg.name);
    if (list.length === 0) {
      console.log(`ok    ${p.pkg.name}`);
      continue;
    }
    failed++;
    console.log(`FAIL  ${p.pkg.name} (${p.rel})`);
    for (const line of list) console.log(`  - ${line}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${packages.length - failed}/${packages.length} packages pass publint, attw and the manifest rules (${seconds} s)`);
  if (failed > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
