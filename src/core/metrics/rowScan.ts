// The what-if hot loop, v_k = E_k B_k over one row of the cache, behind one interface with two engines:
// a WebAssembly SIMD kernel (rowScanWasm.ts) and this plain JavaScript loop. Both add in the same order,
// so they give bit-identical results; the JS one is the fallback where WebAssembly is refused (a CSP
// without 'wasm-unsafe-eval', a cache beyond 4 GiB).
import type { RowScanEngine, RowScanner } from './rowScanner';
import { wasmRowScanner } from './rowScanWasm';

/** 'auto' takes WebAssembly where it can be compiled and the cache fits, else JavaScript. */
export function createRowScanner(numSamples: number, numClasses: number, engine: RowScanEngine | 'auto' = 'auto'): RowScanner {
  if (engine !== 'js') {
    const wasm = wasmRowScanner(numSamples, numClasses);
    if (wasm) return wasm;
    if (engine === 'wasm') throw new Error('What-if: the WebAssembly row scan is not available here (WebAssembly SIMD refused, or the cache is beyond 4 GiB).');
  }
  return jsRowScanner(numSamples, numClasses);
}

function jsRowScanner(n: number, c: number): RowScanner {
  const e = new Float32Array(n * c);
  const scale = new Float64Array(c);
  const out = new Float64Array(4);
  return { engine: 'js', expLogits: e, scale, out, scan: (start) => scanRow(e, start, c, scale, out) };
}

/**
 * Unrolled by four with separate accumulators, so the adds do not wait on each other; the leftover
 * columns go to the first accumulator. (The SIMD kernel keeps exactly this order.)
 */
function scanRow(e: Float32Array, row: number, c: number, scale: Float64Array, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let q3 = 0;
  let best = -1;
  let arg = 0;
  let k = 0;
  for (; k + 3 < c; k += 4) {
    const v0 = e[row + k] * scale[k];
    const v1 = e[row + k + 1] * scale[k + 1];
    const v2 = e[row + k + 2] * scale[k + 2];
    const v3 = e[row + k + 3] * scale[k + 3];
    s0 += v0;
    s1 += v1;
    s2 += v2;
    s3 += v3;
    q0 += v0 * v0;
    q1 += v1 * v1;
    q2 += v2 * v2;
    q3 += v3 * v3;
    if (v0 > best) {
      best = v0;
      arg = k;
    }
    if (v1 > best) {
      best = v1;
      arg = k + 1;
    }
    if (v2 > best) {
      best = v2;
      arg = k + 2;
    }
    if (v3 > best) {
      best = v3;
      arg = k + 3;
    }
  }
  for (; k < c; k++) {
    const v = e[row + k] * scale[k];
    s0 += v;
    q0 += v * v;
    if (v > best) {
      best = v;
      arg = k;
    }
  }
  out[0] = s0 + s1 + s2 + s3;
  out[1] = q0 + q1 + q2 + q3;
  out[2] = best;
  out[3] = arg;
}
