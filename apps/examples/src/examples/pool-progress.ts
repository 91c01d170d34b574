// A CPU-bound Pool.map with a progress bar: count the primes below 2 million in 60 slices.
// onProgress runs in this process after each finished chunk; the bar is drawn on stderr (as
// progress bars are), the result on stdout.
import { cpuCount, Pool } from 'multiprocess';

const LIMIT = 2_000_000;
const SLICES = 60;

/** Primes in [from, to), by trial division (deliberately CPU-bound). */
function countPrimes([from, to]: [number, number]): number {
  let count = 0;
  for (let n = Math.max(from, 2); n < to; n++) {
    let prime = n === 2 || n % 2 === 1;
    for (let d = 3; prime && d * d <= n; d += 2) if (n % d === 0) prime = false;
    if (prime) count++;
  }
  return count;
}

function drawBar(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(2)}/${total}`;
  process.stderr.write(process.stderr.isTTY ? `\r${bar}` : `${bar}\n`);
}

const slices = Array.from({ length: SLICES }, (_, i): [number, number] => [Math.floor((i * LIMIT) / SLICES), Math.floor(((i + 1) * LIMIT) / SLICES)]);
const started = performance.now();
await using pool = new Pool(cpuCount());
const counts = await pool.map(countPrimes, slices, 1, { onProgress: drawBar });
if (process.stderr.isTTY) process.stderr.write('\n');
console.log(`primes below ${LIMIT.toLocaleString('en-US')}: ${counts.reduce((a, b) => a + b, 0)}`);
console.log(`${SLICES} tasks on ${cpuCount()} workers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
