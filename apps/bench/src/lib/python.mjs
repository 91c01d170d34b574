// Runs one workload of python/anchors.py and returns its number (null when python3 is missing
// or the workload fails; the reason goes to `notes`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ANCHORS_PY = fileURLToPath(new URL('../../python/anchors.py', import.meta.url));
export const PYTHON = process.env.PYTHON || 'python3';

/**
 * @param {string} workload
 * @param {Record<string, unknown>} params
 * @param {number} timeoutMs
 * @returns {Promise<{ value: number | null, note?: string, extra?: Record<string, unknown> }>}
 */
export function runPython(workload, params, timeoutMs) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(PYTHON, [ANCHORS_PY, workload, JSON.stringify(params)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // own process group: a timeout kills its children too
      });
    } catch (e) {
      resolve({ value: null, note: `python: ${/** @type {Error} */ (e).message}` });
      return;
    }
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ value: null, note: `${PYTHON} not available (${e.message})` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal ? `killed (${signal}, timeout ${timeoutMs / 1000} s)` : `exit ${code}`;
        resolve({ value: null, note: `python ${workload}: ${why}: ${err.trim().split('\n').slice(-1)[0] ?? ''}` });
        return;
      }
      try {
        const parsed = JSON.parse(out.trim().split('\n').pop() ?? '');
        const value = typeof parsed === 'number' ? parsed : parsed.value;
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`no number in ${out}`);
        resolve({ value, extra: typeof parsed === 'object' ? parsed : {} });
      } catch (e) {
        resolve({ value: null, note: `python ${workload}: bad output: ${/** @type {Error} */ (e).message}` });
      }
    });
  });
}
