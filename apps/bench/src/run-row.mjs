// Runs ONE row module in its own Node process (started by main.mjs), so that what a row leaves
// behind (threads, brokers, children, timers) never slows or hangs the next row.
// usage: node src/run-row.mjs <row.mjs> --out <result.json> [--quick] [--cache <file>]
//        [--duration <ms>] [--repeat <n>]
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createContext } from './lib/context.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const file = argv[0];
const out = opt('--out');
const quick = argv.includes('--quick');
const num = (s) => (s === undefined ? undefined : Number(s));

/** @param {unknown} f */
function unwrap(f) {
  if (f && typeof f === 'object' && 'value' in f) {
    const v = /** @type {{ value: unknown, note?: string }} */ (f);
    return { value: typeof v.value === 'number' && Number.isFinite(v.value) ? v.value : null, note: v.note };
  }
  return { value: typeof f === 'number' && Number.isFinite(f) ? f : null, note: undefined };
}

const result = { id: null, title: null, rows: [], notes: [], error: null };
try {
  const row = (await import(pathToFileURL(file).href)).default;
  result.id = row.id;
  result.title = row.title;
  const ctx = createContext({ quick, cachePath: opt('--cache'), durationMs: num(opt('--duration')), repeat: num(opt('--repeat')) });
  const measured = await row.run(ctx);
  for (const m of measured) {
    const ours = unwrap(m.ours);
    const anchor = unwrap(m.anchor);
    for (const n of [m.note, ours.note, anchor.note]) ctx.note(n);
    result.rows.push({
      id: row.id,
      name: m.name,
      ours: ours.value,
      anchor: anchor.value,
      anchorName: m.anchorName,
      unit: m.unit,
      goal: typeof m.goal === 'number' ? m.goal : null,
      kind: m.kind === 'time' ? 'time' : 'throughput',
    });
  }
  result.notes = ctx.notes;
} catch (e) {
  result.error = /** @type {Error} */ (e)?.stack ?? String(e);
}
if (out) writeFileSync(out, JSON.stringify(result));
else console.log(JSON.stringify(result, null, 2));
process.exit(0); // whatever a row left running (children, brokers, pools) ends with it
