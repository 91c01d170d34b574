import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as mp from '../src/index.js';

// The contract (a copy of the project's API.md kept in the repo, so a clean clone can check it).
const contractPath = new URL('../../../docs/API.md', import.meta.url);
const contract = fs.readFileSync(contractPath, 'utf8');

/** The leading identifier of a backticked API.md entry: `class Process`, `new Pool(…)`, `Queue<T>(…)`. */
function leadingName(code: string): string | null {
  return /^(?:class |new )?([A-Za-z_$][\w$]*)/.exec(code)?.[1] ?? null;
}

function backticked(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
}

/**
 * Every name API.md promises as an export: the error list of the conventions, the first column
 * of each package's table, and each package section's lead sentence.
 */
function contractNames(): Set<string> {
  const names = new Set<string>();
  const errors = /Errors are classes exported[\s\S]*?\n\s+Misuse/.exec(contract)?.[0] ?? '';
  for (const code of backticked(errors)) if (/^[A-Z]/.test(code)) names.add(code); // not "from `multiprocess`"
  for (const section of contract.split(/\n## /).filter((s) => s.startsWith('@mp/'))) {
    const body = section.slice(section.indexOf('\n') + 1);
    const rows = body.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| export') && !l.startsWith('|---'));
    for (const row of rows) for (const code of backticked(row.split(' | ')[0] ?? '')) names.add(leadingName(code) ?? '');
    if (rows.length === 0) {
      // the lead sentence, without its prose asides: " (a `Buffer` comes back as a `Buffer`)"
      const lead = (body.split(/\.\n/)[0] ?? '').replace(/ \([^()]*\)/g, '');
      for (const code of backticked(lead)) names.add(leadingName(code) ?? '');
    }
  }
  names.delete('');
  return names;
}

describe('the umbrella package', () => {
  it('exports every name of API.md', () => {
    const names = contractNames();
    // the parse found the contract, not an empty page
    for (const sure of ['Process', 'Pool', 'Queue', 'Lock', 'SharedLock', 'Value', 'Manager', 'dumps', 'Pipe', 'EOFError']) {
      expect(names.has(sure), sure).toBe(true);
    }
    const missing = [...names].filter((n) => !(n in mp));
    expect(missing).toEqual([]);
  });

  it('exports the names API.md mentions in passing', () => {
    for (const name of ['withScope', 'Array', 'Connection', 'JoinableQueue', 'SimpleQueue', 'AsyncResult', 'BrokenBarrierError', 'WorkerDiedError']) {
      expect(name in mp, name).toBe(true);
    }
  });

  it('its default export is the default context, with the factories of API.md', () => {
    const ctx = mp.default;
    expect(ctx).toBe(mp.defaultContext);
    expect(ctx.getContext()).toBe(mp.getContext());
    const factories = backticked(/Each context also has factory methods[\s\S]*?\)\./.exec(contract)?.[0] ?? '')
      .filter((c) => c.startsWith('ctx.') && c.endsWith('()') || c.startsWith('ctx.') && c.includes('('))
      .map((c) => /^ctx\.(\w+)/.exec(c)?.[1] ?? '');
    expect(factories.length).toBeGreaterThan(5);
    for (const name of [...new Set(factories)]) expect(typeof (ctx as unknown as Record<string, unknown>)[name], `ctx.${name}`).toBe('function');
  });

  it('the CommonJS build has the same export names as the ESM build', () => {
    // each in its own process: one process loading both builds has two copies of every class
    const keys = (code: string) => {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
      return (JSON.parse(out) as string[]).filter((k) => k !== '__esModule' && k !== 'module.exports').sort();
    };
    const cjs = keys("import { createRequire } from 'node:module'; console.log(JSON.stringify(Object.keys(createRequire(import.meta.url)('./dist/index.cjs'))))");
    const esm = keys("console.log(JSON.stringify(Object.keys(await import('./dist/index.js'))))");
    expect(esm.length).toBeGreaterThan(50);
    expect(cjs).toEqual(esm);
  });

  it('one process can load both the ESM and the CommonJS build (a dependency may require() what the app imports)', () => {
    const code =
      "import { createRequire } from 'node:module'; const esm = await import('./dist/index.js'); " +
      "const cjs = createRequire(import.meta.url)('./dist/index.cjs'); console.log(typeof esm.Pool, typeof cjs.Pool)";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
    expect(out.trim()).toBe('function function');
  });

  it('the repo copy of API.md is the current contract', () => {
    const shared = new URL('../../../../shared/API.md', import.meta.url);
    if (!fs.existsSync(shared)) return; // a clone without the workspace's shared folder
    expect(contract).toBe(fs.readFileSync(shared, 'utf8'));
  });
});
