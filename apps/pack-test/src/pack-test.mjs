// The packaged packages, outside the monorepo. `npm pack`s every publishable package, then for
// each case below creates an empty project in a temp dir that depends on ONE package (as a user
// who runs `npm install @mp/queue` would), installs it from the tarballs, and runs programs in it
// with plain `node` (no tsx, no workspace links): an ESM `.mjs` and a CommonJS `.cjs`, each on
// both start methods. Their output is checked line by line. The temp dirs are removed at the
// end, also on failure or Ctrl-C.
//   node src/pack-test.mjs            every case
//   node src/pack-test.mjs @mp/queue  the cases of one package
//   KEEP_PACK_TEST=1 node ...         keep the temp dir (its path is printed)
//
// The @mp packages are not on the registry, so the project's package.json has `overrides`
// pointing each @mp dependency of the tested package at its tarball (otherwise npm would look up
// `@mp/context@^0.1.0` on the registry). Third-party dependencies (devalue, acorn) come from the
// npm cache or the registry (--prefer-offline).
//
// Packing uses --ignore-scripts: turbo's `test` task depends on the packages' builds, so dist/
// is current; the packages' prepack scripts would wipe and rebuild dist/ under other tests.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = import.meta.dirname;
const root = path.resolve(here, '../../..');
const programs = path.join(here, 'programs');
const PROGRAM_TIMEOUT_MS = 90_000;

const queueLines = (format) => [
  `${format} thread 0:20:ab:Process-1 1:22:ab:Process-1 2:24:ab:Process-1 exitCode=0`,
  `${format} spawn 0:20:ab:Process-2 1:22:ab:Process-2 2:24:ab:Process-2 exitCode=0`,
  `${format} main MainProcess`,
];
const umbrellaLines = (format) => [
  `${format} thread pool [1,4,9] inWorker=true`,
  `${format} thread value 100 exitCodes=0,0`,
  `${format} spawn pool [1,4,9] inWorker=true`,
  `${format} spawn value 100 exitCodes=0,0`,
  `${format} manager [["a",1],["b",2]] [1,2,3] exitCode=0`,
];

/** What is installed (the project's only dependency) and what runs in that project. */
const cases = [
  {
    install: '@mp/queue',
    runs: [
      { program: 'queue.mjs', expect: queueLines('esm') },
      { program: 'queue.cjs', expect: queueLines('cjs') },
    ],
  },
  {
    install: 'multiprocess',
    runs: [
      { program: 'umbrella.mjs', expect: umbrellaLines('esm') },
      { program: 'umbrella.cjs', expect: umbrellaLines('cjs') },
    ],
  },
];

/** Publishable packages: packages/<dir> whose package.json is not private. */
function publishable() {
  const out = [];
  for (const d of fs.readdirSync(path.join(root, 'packages'), { withFileTypes: true })) {
    const file = path.join(root, 'packages', d.name, 'package.json');
    if (!d.isDirectory() || !fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!pkg.private) out.push({ rel: `packages/${d.name}`, pkg });
  }
  return out;
}

/** The environment of a user's shell: no npm workspace settings, loaders or start method from ours. */
function userEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(cache|registry|userconfig|proxy|https_proxy|noproxy|strict_ssl|cafile)$/i.test(k)) continue;
    if (k === 'NODE_OPTIONS' || k === 'NODE_PATH' || k.startsWith('MULTIPROCESS_') || k.startsWith('VITEST')) continue;
    env[k] = v;
  }
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}

/** The @mp packages that `name` depends on, transitively (from the workspace manifests). */
function closure(name, manifests) {
  const seen = new Set();
  const visit = (n) => {
    for (const dep of Object.keys(manifests.get(n)?.dependencies ?? {})) {
      if (manifests.has(dep) && !seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(name);
  seen.delete(name);
  return [...seen].sort();
}

function runProgram(cwd, program) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [program], { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROGRAM_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

function problemsOf(result, expect) {
  const problems = [];
  if (result.signal) problems.push(`killed by ${result.signal} after ${PROGRAM_TIMEOUT_MS / 1000} s (it hung, or did not exit when done)`);
  else if (result.code !== 0) problems.push(`exit code ${result.code}, expected 0`);
  const lines = result.stdout.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  let at = 0;
  for (const want of expect) {
    const found = lines.indexOf(want, at);
    if (found < 0) {
      problems.push(`missing (in this order): ${want}`);
      continue;
    }
    at = found + 1;
  }
  return problems;
}

/** Checks that npm installed real copies from the tarballs (not links into this repository). */
function installProblems(project, names) {
  const problems = [];
  for (const name of names) {
    const dir = path.join(project, 'node_modules', name);
    if (!fs.existsSync(path.join(dir, 'package.json'))) problems.push(`${name} was not installed`);
    else if (fs.lstatSync(dir).isSymbolicLink()) problems.push(`${name} is a link (${fs.readlinkSync(dir)}), not an installed tarball`);
    else if (!fs.existsSync(path.join(dir, 'LICENSE'))) problems.push(`${name} was installed without its LICENSE`);
  }
  return problems;
}

async function main() {
  const filter = process.argv.slice(2);
  const selected = cases.filter((c) => filter.length === 0 || filter.includes(c.install));
  if (selected.length === 0) throw new Error(`no case installs ${filter.join(' ')} (cases: ${cases.map((c) => c.install).join(', ')})`);
  const packages = publishable();
  const manifests = new Map(packages.map((p) => [p.pkg.name, p.pkg]));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-pack-test-'));
  const cleanup = () => {
    if (process.env.KEEP_PACK_TEST) console.log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let failures = 0;
  try {
    const tarballs = path.join(tmp, 'tarballs');
    fs.mkdirSync(tarballs);
    const t0 = performance.now();
    const { stdout } = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', tarballs, ...packages.flatMap((p) => ['--workspace', p.rel])],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, env: userEnv() },
    );
    const tarballOf = new Map(JSON.parse(stdout).map((r) => [r.name, path.join(tarballs, r.filename)]));
    console.log(`packed ${tarballOf.size} packages (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    for (const c of selected) {
      const project = path.join(tmp, `project-${c.install.replace(/[@/]/g, '_')}`);
      fs.mkdirSync(project);
      const deps = closure(c.install, manifests);
      const spec = (name) => `file:${tarballOf.get(name)}`;
      const pkg = {
        name: 'pack-test-project',
        version: '0.0.0',
        private: true,
        description: `An empty project that installs only ${c.install}.`,
        dependencies: { [c.install]: spec(c.install) },
        // npm would resolve `@mp/context@^0.1.0` from the registry: point it at the tarball.
        overrides: Object.fromEntries(deps.map((d) => [d, spec(d)])),
      };
      fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
      const t1 = performance.now();
      try {
        await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
          cwd: project,
          env: userEnv(),
          maxBuffer: 16 * 1024 * 1024,
        });
      } catch (err) {
        failures++;
        console.log(`FAIL  install ${c.install}: ${String(err.stderr || err.message).trim()}`);
        continue;
      }
      const installed = installProblems(project, [c.install, ...deps]);
      if (installed.length > 0) {
        failures++;
        console.log(`FAIL  install ${c.install}\n${installed.map((p) => `  - ${p}`).join('\n')}`);
        continue;
      }
      console.log(`ok    install ${c.install} (+ ${deps.join(', ') || 'no @mp dependency'}) from tarballs (${((performance.now() - t1) / 1000).toFixed(1)} s)`);

      for (const r of c.runs) {
        // the program and the check it shares with its other-module-system twin
        for (const f of fs.readdirSync(programs)) fs.copyFileSync(path.join(programs, f), path.join(project, f));
        const result = await runProgram(project, r.program);
        const problems = problemsOf(result, r.expect);
        if (problems.length === 0) {
          console.log(`ok    node ${r.program} with ${c.install} (${result.seconds.toFixed(1)} s)`);
          continue;
        }
        failures++;
        console.log(`FAIL  node ${r.program} with ${c.install} (${result.seconds.toFixed(1)} s)`);
        for (const p of problems) console.log(`  - ${p}`);
        console.log(`  stdout:\n${result.stdout.replace(/^/gm, '    ')}\n  stderr:\n${result.stderr.replace(/^/gm, '    ')}`);
      }
    }
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (failures > 0) {
    console.log(`\n${failures} failure(s)`);
    process.exitCode = 1;
  } else {
    console.log('\nthe packed packages install and run from import and require on both start methods');
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
