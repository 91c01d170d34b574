// Turns measured comparisons into BENCH.md rows, the printed table and the SVG chart.

/**
 * A comparison as a row module returns it (ours/anchor already unwrapped by the runner).
 * @typedef {{ id: string, name: string, ours: number | null, anchor: number | null, anchorName: string,
 *   unit: string, goal: number | null, kind: 'throughput' | 'time', note?: string }} Measured
 * The row of bench-results.json, exactly as BENCH.md specifies.
 * @typedef {{ id: string, name: string, ours: number | null, anchor: number | null, anchorName: string,
 *   unit: string, ratio: number | null, goal: number | null, pass: boolean | null }} Row
 */

/** @param {number | null | undefined} x @param {number} digits */
const sig = (x, digits) => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

/** @param {Measured} m @returns {Row} */
export function toRow(m) {
  const ours = sig(m.ours, 4);
  const anchor = sig(m.anchor, 4);
  let ratio = null;
  if (typeof m.ours === 'number' && typeof m.anchor === 'number' && m.ours > 0 && m.anchor > 0) {
    ratio = sig(m.kind === 'time' ? m.anchor / m.ours : m.ours / m.anchor, 3);
  }
  const goal = typeof m.goal === 'number' ? m.goal : null;
  const pass = ratio === null || goal === null ? null : ratio >= goal;
  return { id: m.id, name: m.name, ours, anchor, anchorName: m.anchorName, unit: m.unit, ratio, goal, pass };
}

/** @param {number | null} x */
export function fmt(x) {
  if (x === null || x === undefined) return 'n/a';
  const a = Math.abs(x);
  const trim = (s) => s.replace(/\.0+$|(\.\d*?)0+$/, '$1');
  if (a >= 1e9) return `${trim((x / 1e9).toFixed(2))}G`;
  if (a >= 1e6) return `${trim((x / 1e6).toFixed(2))}M`;
  if (a >= 1e4) return `${trim((x / 1e3).toFixed(1))}k`;
  if (a >= 100) return String(Math.round(x));
  return trim(x.toPrecision(3));
}

/** @param {Row} r */
export function verdict(r) {
  if (r.ours === null || r.anchor === null) return 'n/a';
  if (r.goal === null) return 'info';
  return r.pass ? 'PASS' : 'MISS';
}

/**
 * @param {Row[]} rows
 * @param {{ id: string, text: string }[]} notes
 */
export function table(rows, notes) {
  const head = ['id', 'comparison', 'ours', 'anchor (name)', 'unit', 'ratio', 'goal', 'result'];
  const body = rows.map((r) => [
    r.id,
    r.name,
    fmt(r.ours),
    `${fmt(r.anchor)} (${r.anchorName})`,
    r.unit,
    r.ratio === null ? 'n/a' : `${r.ratio}×`,
    r.goal === null ? 'info' : `≥ ${r.goal}×`,
    verdict(r),
  ]);
  const right = new Set([2, 5]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const counted = rows.filter((r) => r.pass !== null);
  out.push('', `${counted.filter((r) => r.pass).length}/${counted.length} goals met; ` +
    `${rows.filter((r) => r.goal === null).length} informational; ` +
    `${rows.filter((r) => verdict(r) === 'n/a').length} n/a${rows.some((r) => verdict(r) === 'n/a') ? ' (see notes)' : ''}.`);
  if (notes.length) {
    out.push('', 'notes:');
    for (const n of notes) out.push(`  ${n.id}: ${n.text}`);
  }
  return out.join('\n');
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal bar chart of ratios (log scale) with a mark at each goal. No chart library.
 * @param {Row[]} rows
 * @param {{ title?: string }} [o]
 */
export function svg(rows, o = {}) {
  const W = 1100, labelW = 470, right = 90, rowH = 22, top = 56, bottom = 44;
  const plotW = W - labelW - right;
  const lo = -2, hi = 2; // log10 range: 0.01× … 100×
  const x = (v) => labelW + ((Math.min(hi, Math.max(lo, Math.log10(v))) - lo) / (hi - lo)) * plotW;
  const H = top + rows.length * rowH + bottom;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600">${esc(o.title ?? 'multiprocess benchmarks: ratio to anchor (higher is better, log scale)')}</text>`,
    `<text x="12" y="40" fill="#555">bar = ratio (ours/anchor for throughputs, anchor/ours for times); black mark = goal; green PASS, red MISS, grey informational or n/a</text>`,
  ];
  for (const t of [0.01, 0.1, 1, 10, 100]) {
    const gx = x(t).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${top + rows.length * rowH}" stroke="${t === 1 ? '#888' : '#ddd'}"/>`);
    parts.push(`<text x="${gx}" y="${top + rows.length * rowH + 16}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const label = `${r.id}  ${r.name}`;
    const shown = label.length > 72 ? `${label.slice(0, 71)}…` : label;
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(shown)}<title>${esc(label)}</title></text>`);
    if (i % 2 === 0) parts.push(`<rect x="${labelW}" y="${y}" width="${plotW}" height="${rowH}" fill="#000" fill-opacity="0.03"/>`);
    if (r.ratio === null) {
      parts.push(`<text x="${labelW + 6}" y="${y + 15}" fill="#999">n/a</text>`);
    } else {
      const color = r.pass === true ? '#2e9d4f' : r.pass === false ? '#d64541' : '#9aa5b1';
      const x0 = labelW, x1 = x(r.ratio);
      parts.push(`<rect x="${x0}" y="${y + 4}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${rowH - 8}" fill="${color}" rx="2"/>`);
      parts.push(`<text x="${(Math.max(x1, x0) + 4).toFixed(1)}" y="${y + 15}" fill="#333">${r.ratio}×</text>`);
    }
    if (r.goal !== null) {
      const gx = x(r.goal).toFixed(1);
      parts.push(`<line x1="${gx}" y1="${y + 1}" x2="${gx}" y2="${y + rowH - 1}" stroke="#000" stroke-width="2"><title>goal ${r.goal}×</title></line>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
