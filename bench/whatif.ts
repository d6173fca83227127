// npm run bench:whatif — time per what-if re-evaluation (one new prior) against the memory floor: one
// plain read pass over an array of the same size, measured in the same run; for both engines of the hot
// loop (WebAssembly SIMD, the default, and the JavaScript fallback). Goals: 10,000 x 100 under 16 ms
// (one frame); 50,000 x 1,000 within 3x of the floor.
import { WhatIfEvaluator, type RowScanEngine } from '../src/core/metrics';
import { longTailedCounts, priorBias, shiftedPrior } from '../src/core/priors';
import { Rng } from '../src/core/rng';

/** Logits with a noisy peak at the label, labels long-tailed like the training set would be balanced. */
function makeData(n: number, c: number): { logits: Float32Array; labels: Int32Array } {
  const rng = new Rng(n * 31 + c);
  const rand = () => rng.next();
  const logits = new Float32Array(n * c);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = i % c;
    labels[i] = y;
    for (let k = 0; k < c; k++) logits[i * c + k] = 6 * (rand() - 0.5) + (k === y ? 3 * rand() : 0);
  }
  return { logits, labels };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One plain read pass: sum every element (the sum is printed so the loop cannot be dropped). */
function readPass(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  return sum;
}

/** The same read with four accumulators: no add waits on the previous one, closer to bandwidth. */
function readPassUnrolled(a: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < a.length; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < a.length; i++) s0 += a[i];
  return s0 + s1 + s2 + s3;
}

function bench(n: number, c: number, reps: number): void {
  const { logits, labels } = makeData(n, c);
  const trainCounts = longTailedCounts(c, 500, 100);
  const floor: number[] = [];
  const unrolled: number[] = [];
  let sink = 0;
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    sink += readPass(logits);
    floor.push(performance.now() - t);
    t = performance.now();
    sink += readPassUnrolled(logits);
    unrolled.push(performance.now() - t);
  }
  const floorMs = median(floor);
  const unrolledMs = median(unrolled);
  const ratios = [2, 5, 10, 25, 50];
  const evalMs: Partial<Record<RowScanEngine, number>> = {};
  for (const engine of ['wasm', 'js'] as const) {
    let t = performance.now();
    const evaluator = new WhatIfEvaluator({ logits, labels, numClasses: c }, { trainCounts, engine });
    const setupMs = performance.now() - t;
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const target = shiftedPrior(trainCounts, 100, r % 2 === 0 ? 'forward' : 'backward', ratios[r % ratios.length]);
      const bias = priorBias('lade', trainCounts, target);
      t = performance.now();
      const m = evaluator.evaluate(bias, { targetPrior: target });
      times.push(performance.now() - t);
      sink += m.expectedAccuracy;
    }
    const ms = median(times);
    evalMs[engine] = ms;
    console.log(
      `${n.toLocaleString('en-US')} x ${c.toLocaleString('en-US')}, ${engine}: ` +
        `re-evaluation ${ms.toFixed(2)} ms, read floor ${floorMs.toFixed(2)} ms, ratio ${(ms / floorMs).toFixed(2)}x ` +
        `(unrolled read ${unrolledMs.toFixed(2)} ms, ratio ${(ms / unrolledMs).toFixed(2)}x; ` +
        `median of ${reps}; one-off setup ${setupMs.toFixed(0)} ms)`,
    );
  }
  console.log(`  wasm / js: ${((evalMs.wasm ?? NaN) / (evalMs.js ?? NaN)).toFixed(2)}x [checksum ${sink.toFixed(1)}]`);
}

bench(10_000, 100, 30);
bench(50_000, 1_000, 7);
