// Small timing loops (no tinybench/mitata): medians of a few runs, BENCH.md style.
import { performance } from 'node:perf_hooks';

export const now = () => performance.now();

/** @param {number[]} xs */
export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Ops per second of a batch: `runN(n)` performs n operations and may return the elapsed ms it
 * measured itself (so that set-up such as starting a child stays outside the timed section);
 * otherwise the whole call is timed. As `mp_benchmarks.py`: n grows until a run takes a tenth
 * of `durationMs` (calibration), runs on until half a duration has passed (warm-up), is scaled
 * to take about `durationMs`, then measured `repeat` times; the median rate is returned.
 * @param {(n: number) => (number | void | Promise<number | void>)} runN
 * @param {{ durationMs: number, repeat: number, start?: number, warmupMs?: number }} opts
 */
export async function rate(runN, { durationMs, repeat, start = 1, warmupMs = Math.max(durationMs / 2, 300) }) {
  const timed = async (n) => {
    const t0 = now();
    const r = await runN(n);
    const e = typeof r === 'number' ? r : now() - t0;
    return Math.max(e, 1e-3);
  };
  let n = Math.max(1, Math.floor(start));
  let e;
  let spent = 0;
  for (;;) {
    e = await timed(n);
    spent += e;
    if (e >= durationMs / 10) break;
    n *= e > durationMs / 40 ? 2 : 8;
  }
  // Warm-up: the first few hundred ms of a process are slow (JIT tiers, heap growth: a first
  // v8.serialize of 1 MiB runs 20× slower than the tenth), so keep going for half a duration (300 ms at least).
  while (spent < warmupMs) {
    e = await timed(n);
    spent += e;
  }
  n = Math.max(1, Math.round((n * durationMs) / e));
  const rates = [];
  for (let i = 0; i < repeat; i++) rates.push((n / (await timed(n))) * 1000);
  return median(rates);
}

/**
 * Ops per second of `fn`, one operation per call (awaited when it returns a promise).
 * @param {() => unknown} fn
 * @param {{ durationMs: number, repeat: number }} opts
 */
export async function throughput(fn, opts) {
  const first = fn();
  if (first && typeof (/** @type {any} */ (first)).then === 'function') {
    await first;
    return rate(async (n) => {
      for (let i = 0; i < n; i++) await fn();
    }, opts);
  }
  return rate((n) => {
    for (let i = 0; i < n; i++) fn();
  }, opts);
}

/**
 * Median milliseconds of `fn` over `repeat` calls, after `warmup` untimed calls. `fn` may return
 * the elapsed ms it measured itself.
 * @param {() => unknown} fn
 * @param {{ repeat: number, warmup?: number }} opts
 */
export async function time(fn, { repeat, warmup = 1 }) {
  for (let i = 0; i < warmup; i++) await fn();
  const ts = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = now();
    const r = await fn();
    ts.push(typeof r === 'number' ? r : now() - t0);
  }
  return median(ts);
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

/**
 * Ops per second of several synchronous operations timed **alternately**: each is calibrated and
 * warmed up as in `rate`, then the rounds run A, B, C, A, B, C, …, each op for about
 * `durationMs`; each keeps the median of its rounds. On a shared machine whose load drifts, this
 * keeps the ratio between them honest where back-to-back measurements would not.
 * @template {string} K
 * @param {Record<K, () => unknown>} fns
 * @param {{ durationMs: number, rounds: number }} opts
 * @returns {Record<K, number | null>}
 */
export function interleave(fns, { durationMs, rounds }) {
  const timeN = (fn, n) => {
    const t0 = now();
    for (let i = 0; i < n; i++) fn();
    return Math.max(now() - t0, 1e-3);
  };
  const keys = /** @type {K[]} */ (Object.keys(fns));
  /** @type {Record<string, number>} */
  const ns = {};
  for (const k of keys) {
    let n = 1;
    let e;
    let spent = 0;
    for (;;) {
      e = timeN(fns[k], n);
      spent += e;
      if (e >= durationMs / 10) break;
      n *= e > durationMs / 40 ? 2 : 8;
    }
    while (spent < Math.max(durationMs / 2, 300)) spent += e = timeN(fns[k], n);
    ns[k] = Math.max(1, Math.round((n * durationMs) / e));
  }
  /** @type {Record<string, number[]>} */
  const rates = Object.fromEntries(keys.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const k of keys) rates[k].push((ns[k] / timeN(fns[k], ns[k])) * 1000);
  }
  return /** @type {Record<K, number | null>} */ (Object.fromEntries(keys.map((k) => [k, median(rates[k])])));
}
