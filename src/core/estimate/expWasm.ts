// The softmax rows of the calibration objective (calibrate.ts) as WebAssembly SIMD, where Math.exp (a call
// per element, no SIMD) was most of the time at 1,000+ classes. exp_sum takes exp of a row in place with
// the row's sum and sum e (x - b), which gives the temperature's gradient without a pass over the logits;
// axpy adds the row's probabilities into the bias gradient. As text format, two lanes at a time:
//
//   (func $exp_sum (param $p i32) (param $end i32) (param $shift f64) (param $b i32) (result f64)
//     while p < end:
//       x := v128.load p - shift; keep := x >= -708; x := max(x, -708)
//       k := nearest(x log2 e); r := (x - k ln2_hi) - k ln2_lo          ;; Cody-Waite, |r| <= ln2 / 2
//       e := (1 + r (1 + r (1/2 + ... r / 12!))) * 2^k & keep           ;; 2^k built in the exponent bits
//       v128.store p e; acc += e; w += e * (x - v128.load b); p += 16; b += 16
//     memory[0] := lane 0 of w + lane 1 of w
//     lane 0 of acc + lane 1 of acc)
//   (func $axpy (param $g i32) (param $end i32) (param $scale f64) (param $e i32)
//     while g < end: v128.store g (v128.load g + scale * v128.load e); g += 16; e += 16)
//
// The degree-12 Taylor polynomial leaves a truncation error under 2e-16 on |r| <= ln2 / 2, so the result is
// within a few ulp of Math.exp (Horner: Estrin's shorter chain measured slower, more live registers); below
// -708 (where 2^k would leave the normal range) it returns 0, off by less than 4e-308, which no softmax
// shifted by its maximum can notice.
import { F64, I32, V128, get, i32, mem, name, op, PAGE, s, section, set, simd, tee, uleb, v128Const, vec, compileOnce, wasmApi } from '../wasmAsm';

/** exp's lower limit here: below it, 0. */
export const EXP_FLOOR = -708;

const [P, END, SHIFT, BP] = [0, 1, 2, 3];
const [VSHIFT, X, K, R, Q, E, ACC, KEEP, W] = [4, 5, 6, 7, 8, 9, 10, 11, 12];
// axpy's parameters and locals
const [G, GEND, SCALE, EP] = [0, 1, 2, 3];
const VSCALE = 4;
// dot's
const [DP, DEND, DQ, DACC] = [0, 1, 2, 3];

const splat = (x: number) => v128Const(Float64Array.of(x, x));
/** Q := Q * R + c */
const horner = (c: number) => [...get(Q), ...get(R), ...s(simd.f64x2Mul), ...splat(c), ...s(simd.f64x2Add), ...set(Q)];
/** 1/11!, 1/10!, ..., 1/0! */
const inverseFactorials = Array.from({ length: 12 }, (_, j) => {
  let f = 1;
  for (let m = 2; m <= 11 - j; m++) f *= m;
  return 1 / f;
});

const body = [
  ...get(SHIFT), ...s(simd.f64x2Splat), ...set(VSHIFT),
  ...splat(0), ...tee(ACC), ...set(W),
  op.block, op.void,
  ...get(P), ...get(END), op.i32GeU, op.brIf, 0,
  op.loop, op.void,
  ...get(P), ...s(simd.v128Load, ...mem(3)), ...get(VSHIFT), ...s(simd.f64x2Sub), ...tee(X),
  ...splat(EXP_FLOOR), ...s(simd.f64x2Ge), ...set(KEEP),
  ...splat(EXP_FLOOR), ...get(X), ...s(simd.f64x2Pmax), ...set(X),
  ...get(X), ...splat(Math.LOG2E), ...s(simd.f64x2Mul), ...s(simd.f64x2Nearest), ...set(K),
  ...get(X), ...get(K), ...splat(6.93147180369123816490e-1), ...s(simd.f64x2Mul), ...s(simd.f64x2Sub),
  ...get(K), ...splat(1.90821492927058770002e-10), ...s(simd.f64x2Mul), ...s(simd.f64x2Sub), ...set(R),
  ...splat(1 / 479001600), ...set(Q), // 1/12!
  ...inverseFactorials.flatMap(horner),
  // 2^k: (k + 1023) << 52 as the bits of a float64, k from the rounded float64 through int32.
  ...get(K), ...s(simd.i32x4TruncSatF64x2SZero), ...s(simd.i64x2ExtendLowI32x4S),
  ...v128Const(BigInt64Array.of(1023n, 1023n)), ...s(simd.i64x2Add), ...i32(52), ...s(simd.i64x2Shl),
  ...get(Q), ...s(simd.f64x2Mul), ...get(KEEP), ...s(simd.v128And), ...set(E),
  ...get(P), ...get(E), ...s(simd.v128Store, ...mem(3)),
  ...get(ACC), ...get(E), ...s(simd.f64x2Add), ...set(ACC),
  ...get(W), ...get(E), ...get(X), ...get(BP), ...s(simd.v128Load, ...mem(3)), ...s(simd.f64x2Sub), ...s(simd.f64x2Mul),
  ...s(simd.f64x2Add), ...set(W),
  ...get(BP), ...i32(16), op.i32Add, ...set(BP),
  ...get(P), ...i32(16), op.i32Add, ...tee(P), ...get(END), op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  ...i32(0), ...get(W), ...s(simd.f64x2ExtractLane, 0), ...get(W), ...s(simd.f64x2ExtractLane, 1), op.f64Add,
  op.f64Store, ...mem(3),
  ...get(ACC), ...s(simd.f64x2ExtractLane, 0), ...get(ACC), ...s(simd.f64x2ExtractLane, 1), op.f64Add,
  op.end,
];

/** g += scale * e, two lanes at a time over [g, gEnd). */
const axpyBody = [
  ...get(SCALE), ...s(simd.f64x2Splat), ...set(VSCALE),
  op.block, op.void,
  ...get(G), ...get(GEND), op.i32GeU, op.brIf, 0,
  op.loop, op.void,
  ...get(G),
  ...get(G), ...s(simd.v128Load, ...mem(3)), ...get(EP), ...s(simd.v128Load, ...mem(3)), ...get(VSCALE), ...s(simd.f64x2Mul),
  ...s(simd.f64x2Add), ...s(simd.v128Store, ...mem(3)),
  ...get(EP), ...i32(16), op.i32Add, ...set(EP),
  ...get(G), ...i32(16), op.i32Add, ...tee(G), ...get(GEND), op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  op.end,
];

/** sum of p * q, two lanes at a time over [p, end). */
const dotBody = [
  ...splat(0), ...set(DACC),
  op.block, op.void,
  ...get(DP), ...get(DEND), op.i32GeU, op.brIf, 0,
  op.loop, op.void,
  ...get(DACC), ...get(DP), ...s(simd.v128Load, ...mem(3)), ...get(DQ), ...s(simd.v128Load, ...mem(3)), ...s(simd.f64x2Mul),
  ...s(simd.f64x2Add), ...set(DACC),
  ...get(DQ), ...i32(16), op.i32Add, ...set(DQ),
  ...get(DP), ...i32(16), op.i32Add, ...tee(DP), ...get(DEND), op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  ...get(DACC), ...s(simd.f64x2ExtractLane, 0), ...get(DACC), ...s(simd.f64x2ExtractLane, 1), op.f64Add,
  op.end,
];

/** The module: imports env.memory, exports exp_sum(p, end, shift, b) -> f64, axpy(g, gEnd, scale, e) and dot(p, end, q) -> f64. */
export function expModuleBytes(): Uint8Array<ArrayBuffer> {
  const expCode = [...vec([[...uleb(9), V128]]), ...body];
  const axpyCode = [...vec([[...uleb(1), V128]]), ...axpyBody];
  const dotCode = [...vec([[...uleb(1), V128]]), ...dotBody];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([
      [0x60, ...vec([[I32], [I32], [F64], [I32]]), ...vec([[F64]])],
      [0x60, ...vec([[I32], [I32], [F64], [I32]]), ...vec([])],
      [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[F64]])],
    ])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(7, vec([[...name('exp_sum'), 0x00, 0], [...name('axpy'), 0x00, 1], [...name('dot'), 0x00, 2]])),
    ...section(10, vec([
      [...uleb(expCode.length), ...expCode],
      [...uleb(axpyCode.length), ...axpyCode],
      [...uleb(dotCode.length), ...dotCode],
    ])),
  ]);
}

export type ExpEngine = 'auto' | 'wasm' | 'js';

/**
 * One softmax row at a time, in buffers the kernel reads: write z into `row` (and the bias into `b`),
 * then expShifted(n, shift) replaces row[0..n) by e_c = exp(z_c - shift), returns their sum and leaves
 * sum_c e_c (z_c - shift - b_c) in `weighted`; accumulate(n, scale) adds scale * e into `g`.
 */
export interface SoftmaxRows {
  readonly engine: 'wasm' | 'js';
  readonly row: Float64Array;
  readonly b: Float64Array;
  readonly g: Float64Array;
  readonly weighted: number;
  expShifted(n: number, shift: number): number;
  accumulate(n: number, scale: number): void;
  /** sum_c row_c b_c */
  dot(n: number): number;
}

/** Compiled once per thread; null where WebAssembly or its SIMD is unavailable or refused (CSP). */
const expModule = compileOnce(expModuleBytes);

/** 'auto': the SIMD kernel where it compiles, else Math.exp. */
export function createSoftmaxRows(length: number, engine: ExpEngine = 'auto'): SoftmaxRows {
  const module = engine === 'js' ? null : expModule();
  if (engine === 'wasm' && !module) throw new Error('Calibration: the WebAssembly exp kernel is not available here (WebAssembly SIMD refused).');
  if (!module) return jsSoftmaxRows(length);
  // [weighted: 1 f64, pad][b][g][row], each C f64
  const bAt = 16;
  const gAt = bAt + 8 * length;
  const rowAt = gAt + 8 * length;
  const wasm = wasmApi()!; // the module compiled, so the API is there
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil((rowAt + 8 * length) / PAGE)) });
  const exports = new wasm.Instance(module, { env: { memory } }).exports;
  const expSum = exports.exp_sum as (p: number, end: number, shift: number, b: number) => number;
  const axpy = exports.axpy as (g: number, gEnd: number, scale: number, e: number) => void;
  const dot = exports.dot as (p: number, end: number, q: number) => number;
  const out = new Float64Array(memory.buffer, 0, 1);
  const row = new Float64Array(memory.buffer, rowAt, length);
  const b = new Float64Array(memory.buffer, bAt, length);
  const g = new Float64Array(memory.buffer, gAt, length);
  return {
    engine: 'wasm',
    row,
    b,
    g,
    get weighted() {
      return out[0];
    },
    expShifted(n, shift) {
      const even = n & ~1;
      let sum = expSum(rowAt, rowAt + 8 * even, shift, bAt);
      if (even < n) {
        // The odd column, as the kernel would.
        const x = row[even] - shift;
        const e = x >= EXP_FLOOR ? Math.exp(x) : 0;
        row[even] = e;
        sum += e;
        out[0] += e * (x - b[even]);
      }
      return sum;
    },
    accumulate(n, scale) {
      const even = n & ~1;
      axpy(gAt, gAt + 8 * even, scale, rowAt);
      if (even < n) g[even] += scale * row[even];
    },
    dot(n) {
      const even = n & ~1;
      const sum = dot(rowAt, rowAt + 8 * even, bAt);
      return even < n ? sum + row[even] * b[even] : sum;
    },
  };
}

function jsSoftmaxRows(length: number): SoftmaxRows {
  const row = new Float64Array(length);
  const b = new Float64Array(length);
  const g = new Float64Array(length);
  let weighted = 0;
  return {
    engine: 'js',
    row,
    b,
    g,
    get weighted() {
      return weighted;
    },
    expShifted(n, shift) {
      let sum = 0;
      weighted = 0;
      for (let c = 0; c < n; c++) {
        const x = row[c] - shift;
        const e = Math.exp(x);
        row[c] = e;
        sum += e;
        weighted += e * (x - b[c]);
      }
      return sum;
    },
    accumulate(n, scale) {
      for (let c = 0; c < n; c++) g[c] += scale * row[c];
    },
    dot(n) {
      let sum = 0;
      for (let c = 0; c < n; c++) sum += row[c] * b[c];
      return sum;
    },
  };
}
