// The `ctx` handed to every row's run(): settings, timing helpers, the Python anchor, guarded
// measurements of anchors and of our side.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runPython } from './python.mjs';
import { interleave, median, now, rate, throughput, time, withTimeout } from './timing.mjs';

const MP_PACKAGES = ['@mp/serialize', '@mp/connection', '@mp/context', '@mp/sync', '@mp/shared', '@mp/queue', '@mp/pool', '@mp/manager'];

/**
 * @typedef {{ value: number | null, note?: string }} Figure
 * @typedef {(cleanup: () => unknown) => void} Defer
 */

/**
 * @param {{ quick: boolean, cachePath?: string, durationMs?: number, repeat?: number }} opts
 */
export function createContext({ quick, cachePath, durationMs, repeat }) {
  /** @type {Record<string, Figure>} */
  let cache = {};
  if (cachePath) {
    try {
      cache = JSON.parse(readFileSync(cachePath, 'utf8'));
    } catch {}
  }
  const save = () => {
    if (cachePath) writeFileSync(cachePath, JSON.stringify(cache));
  };
  /** @type {string[]} */
  const notes = [];
  const duration = durationMs ?? (quick ? 200 : 1000);
  const reps = repeat ?? (quick ? 1 : 3);
  const timeoutMs = quick ? 30_000 : 120_000;

  /**
   * Runs `fn` with a timeout; cleanups registered through `defer` always run (newest first).
   * An error or a timeout gives `{ value: null, note }`.
   * @param {string} what
   * @param {(defer: Defer) => unknown} fn
   * @param {number} ms
   * @returns {Promise<Figure>}
   */
  async function guarded(what, fn, ms) {
    /** @type {(() => unknown)[]} */
    const cleanups = [];
    try {
      const r = await withTimeout(Promise.resolve().then(() => fn((c) => cleanups.push(c))), ms, what);
      if (r && typeof r === 'object' && 'value' in r) return /** @type {Figure} */ (r);
      if (typeof r !== 'number' || !Number.isFinite(r)) return { value: null, note: `${what}: no number (${String(r)})` };
      return { value: r };
    } catch (e) {
      const err = /** @type {Error} */ (e);
      return { value: null, note: `${what}: ${err?.message ?? String(e)}`.split('\n')[0] };
    } finally {
      for (const c of cleanups.reverse()) {
        try {
          await withTimeout(Promise.resolve().then(c), 5000, `${what} cleanup`);
        } catch {}
      }
    }
  }

  /** @type {Map<string, Promise<Record<string, any>>>} */
  const modules = new Map();
  const importOnce = (spec) => {
    if (!modules.has(spec)) modules.set(spec, import(spec));
    return /** @type {Promise<Record<string, any>>} */ (modules.get(spec));
  };

  /** The @mp packages' exports merged (those that load), the umbrella's stand-in. */
  let packages = null;
  const importPackages = () =>
    (packages ??= Promise.all(MP_PACKAGES.map((p) => importOnce(p).catch(() => ({})))).then((mods) =>
      Object.assign({}, ...mods.map((m) => ({ ...m }))),
    ));

  const ctx = {
    quick,
    /** ms per measurement */
    duration,
    /** runs per figure (the median is kept) */
    repeat: reps,
    cpus: availableParallelism(),
    /** notes collected for the table footer */
    notes,
    median,
    now,
    /** @param {string} msg */
    log(msg) {
      process.stderr.write(`    ${msg}\n`);
    },
    /** @param {string | undefined} msg */
    note(msg) {
      if (msg && !notes.includes(msg)) notes.push(msg);
    },
    /** absolute path of a file in src/fixtures @param {string} name */
    fixture(name) {
      return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
    },
    /** @param {() => unknown} fn @param {{ durationMs?: number, repeat?: number }} [o] */
    throughput(fn, o = {}) {
      return throughput(fn, { durationMs: o.durationMs ?? duration, repeat: o.repeat ?? reps });
    },
    /**
     * @param {(n: number) => unknown} runN
     * @param {{ durationMs?: number, repeat?: number, start?: number, warmupMs?: number }} [o]
     */
    rate(runN, o = {}) {
      const d = o.durationMs ?? duration;
      return rate(/** @type {any} */ (runN), { durationMs: d, repeat: o.repeat ?? reps, start: o.start ?? 1, ...(o.warmupMs === undefined ? {} : { warmupMs: o.warmupMs }) });
    },
    /**
     * Runs a measurement with a timeout and cleanups (see `guarded`): `{ value, note }`, value null
     * on error or timeout. For measurements that are neither one anchor nor one "ours" figure.
     * @param {string} what
     * @param {(defer: Defer) => unknown} fn
     * @param {{ timeoutMs?: number }} [o]
     */
    async guard(what, fn, o = {}) {
      const r = await guarded(what, fn, o.timeoutMs ?? timeoutMs);
      ctx.note(r.note);
      return r;
    },
    /**
     * Synchronous ops timed alternately (see timing.mjs `interleave`); rounds = max(3, repeat).
     * @template {string} K
     * @param {Record<K, () => unknown>} fns
     * @param {{ durationMs?: number, rounds?: number }} [o]
     */
    interleave(fns, o = {}) {
      return interleave(fns, { durationMs: o.durationMs ?? duration, rounds: o.rounds ?? Math.max(3, reps) });
    },
    /** @param {() => unknown} fn @param {{ repeat?: number, warmup?: number }} [o] */
    time(fn, o = {}) {
      return time(fn, { repeat: o.repeat ?? reps, warmup: o.warmup ?? 1 });
    },

    /**
     * The Python anchor's number for a workload of python/anchors.py (memoized for the whole
     * run); null when python3 is missing or the workload fails.
     * @param {string} workload
     * @param {Record<string, unknown>} [params]
     * @returns {Promise<number | null>}
     */
    async python(workload, params = {}) {
      const p = { delta: duration / 1000, repeat: reps, ...params };
      const key = `python:${workload}:${JSON.stringify(p)}`;
      if (!(key in cache)) {
        ctx.log(`python ${workload} ${JSON.stringify(params)}`);
        const r = await runPython(workload, p, timeoutMs);
        cache[key] = { value: r.value, ...(r.note ? { note: r.note } : {}) };
        save();
      }
      ctx.note(cache[key].note);
      return cache[key].value;
    },

    /**
     * A Node anchor (raw floor or peer), memoized for the whole run under `key`; an error or a
     * timeout gives null and a note.
     * @param {string} key
     * @param {(defer: Defer) => unknown} fn
     * @returns {Promise<number | null>}
     */
    async anchor(key, fn) {
      if (!(key in cache)) {
        ctx.log(`anchor ${key}`);
        cache[key] = await guarded(key, fn, timeoutMs);
        save();
      }
      ctx.note(cache[key].note);
      return cache[key].value;
    },

    /**
     * Imports the first module of `from` that has every export in `needs` (throws a readable
     * error otherwise). The spec `'@mp/*'` stands for the exports of all the @mp packages
     * together: the fallback while the `multiprocess` umbrella does not re-export a piece yet.
     * @param {string[]} needs
     * @param {string[]} [from]
     * @returns {Promise<Record<string, any>>}
     */
    async load(needs, from = ['multiprocess', '@mp/*']) {
      const why = [];
      for (const spec of from) {
        let mod;
        try {
          mod = spec === '@mp/*' ? await importPackages() : await importOnce(spec);
        } catch (e) {
          const msg = /** @type {Error} */ (e).message ?? String(e);
          why.push(/Cannot find (module|package)/.test(msg) ? `${spec} not built (npx turbo run build --filter=${spec}...)` : `${spec}: ${msg.split('\n')[0]}`);
          continue;
        }
        const missing = needs.filter((n) => mod[n] === undefined);
        if (missing.length === 0) {
          if (spec !== from[0]) ctx.note(`ours ${needs.join(', ')} taken from ${spec}: ${why.join('; ')}`);
          return mod;
        }
        why.push(`${spec} has no ${missing.join(', ')} yet`);
      }
      throw new Error(why.join('; '));
    },

    /**
     * Our side of a comparison: loads the library (needs = export names), runs `fn` with a
     * timeout, returns `{ value, note }` (value null when the library or the export is not there
     * yet, or the measurement fails).
     * @param {string[]} needs
     * @param {(mod: Record<string, any>, defer: Defer) => unknown} fn
     * @param {{ from?: string[], timeoutMs?: number, what?: string }} [o]
     * @returns {Promise<Figure>}
     */
    async ours(needs, fn, o = {}) {
      let mod;
      try {
        mod = await ctx.load(needs, o.from);
      } catch (e) {
        const note = `ours ${o.what ?? ''}: ${/** @type {Error} */ (e).message}`.replace(/ +:/, ':');
        ctx.note(note);
        return { value: null, note };
      }
      if (o.what) ctx.log(`ours ${o.what}`);
      const r = await guarded(`ours ${o.what ?? needs.join('+')}`, (defer) => fn(mod, defer), o.timeoutMs ?? timeoutMs);
      ctx.note(r.note);
      return r;
    },
  };
  return ctx;
}

/** @typedef {ReturnType<typeof createContext>} Ctx */
