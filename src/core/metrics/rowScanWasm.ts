// The row scan as a WebAssembly SIMD function, assembled here from its instructions (no toolchain, no
// opaque binary in the repository). It reads two float32 of E at a time, promotes them to float64 and
// multiplies by B in float64, exactly as the JavaScript loop does, and keeps that loop's four running
// sums (lanes 0, 1 of A and of B are its s0, s1, s2, s3) and its first-strict-maximum rule, so the two
// engines agree bit for bit. As text format:
//
//   (func $scan_row (param $e i32) (param $c i32) (param $scale i32) (param $out i32)
//     end := e + 4 * (c & ~3); bA := bB := (-1, -1); idx := (0, 1)
//     while e < end:                         ;; four columns per turn: A = k, k+1; B = k+2, k+3
//       vA := f64x2.promote_low_f32x4(v128.load64_zero e) * v128.load scale
//       vB := f64x2.promote_low_f32x4(v128.load64_zero e+8) * v128.load scale+16
//       sA += vA; sB += vB; qA += vA * vA; qB += vB * vB
//       m := vA > bA; bA := f64x2.pmax(bA, vA); iA := select(idx, iA, m)   ;; same for B
//       idx += (4, 4); e += 16; scale += 32
//     (best, arg) := the lanes' maximum, the lower column on a tie
//     for k in c & ~3 .. c - 1: v := E_k B_k; s0 += v; q0 += v * v; if v > best: (best, arg) := (v, k)
//     out := [((s0 + s1) + s2) + s3, ((q0 + q1) + q2) + q3, best, arg])
import type { RowScanner } from './rowScanner';
import { F64, I32, V128, bytesOf, get, i32, mem, name, op, PAGE, s, section, set, simd, tee, uleb, v128Const, vec, compileOnce, wasmApi } from '../wasmAsm';

// Locals: the four parameters, then 3 i32, 4 f64, 12 v128.
const [E, C, SCALE, OUT] = [0, 1, 2, 3];
const [END, K, ARG] = [4, 5, 6];
const [BEST, S0, Q0, V] = [7, 8, 9, 10];
const [SA, SB, QA, QB, BA, BB, IA, IB, IDX, VA, VB, M] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];

/** v := f64x2.promote(two float32 of E at e + offset) * (two float64 of B at scale + 2 * offset) */
const products = (offset: number, into: number) => [
  ...get(E), ...s(simd.v128Load64Zero, ...mem(3, offset)), ...s(simd.f64x2PromoteLowF32x4),
  ...get(SCALE), ...s(simd.v128Load, ...mem(3, 2 * offset)), ...s(simd.f64x2Mul), ...set(into),
];
const accumulate = (v: number, sum: number, squares: number) => [
  ...get(sum), ...get(v), ...s(simd.f64x2Add), ...set(sum),
  ...get(squares), ...get(v), ...get(v), ...s(simd.f64x2Mul), ...s(simd.f64x2Add), ...set(squares),
];
/** Per lane: where v > best, best := v (pmax: best < v ? v : best, one instruction) and its column base := idx. */
const keepMax = (v: number, best: number, index: number) => [
  ...get(v), ...get(best), ...s(simd.f64x2Gt), ...set(M),
  ...get(best), ...get(v), ...s(simd.f64x2Pmax), ...set(best),
  ...get(IDX), ...get(index), ...get(M), ...s(simd.v128Bitselect), ...set(index),
];
/** One lane's maximum into (best, arg) if larger, or equal at a lower column. */
const takeLane = (best: number, index: number, lane: number, columnOffset: number) => [
  ...get(best), ...s(simd.f64x2ExtractLane, lane), ...set(V),
  ...get(index), ...s(simd.i64x2ExtractLane, lane), op.i32WrapI64, ...i32(columnOffset), op.i32Add, ...set(K),
  ...get(V), ...get(BEST), op.f64Gt,
  ...get(V), ...get(BEST), op.f64Eq, ...get(K), ...get(ARG), op.i32LtU, op.i32And,
  op.i32Or,
  op.if, op.void, ...get(V), ...set(BEST), ...get(K), ...set(ARG), op.end,
];
/** ((x0 + lane 1 of a) + lane 0 of b) + lane 1 of b */
const total = (x0: number, a: number, b: number) => [
  ...get(x0), ...get(a), ...s(simd.f64x2ExtractLane, 1), op.f64Add,
  ...get(b), ...s(simd.f64x2ExtractLane, 0), op.f64Add,
  ...get(b), ...s(simd.f64x2ExtractLane, 1), op.f64Add,
];

const body = [
  // end := e + 4 * (c & ~3); bA := bB := (-1, -1); idx := (0, 1)
  ...get(E), ...get(C), ...i32(-4), op.i32And, ...i32(2), op.i32Shl, op.i32Add, ...set(END),
  ...v128Const(Float64Array.of(-1, -1)), ...tee(BA), ...set(BB),
  ...v128Const(BigInt64Array.of(0n, 1n)), ...set(IDX),
  op.block, op.void,
  ...get(E), ...get(END), op.i32GeU, op.brIf, 0,
  op.loop, op.void,
  ...products(0, VA), ...products(8, VB),
  ...accumulate(VA, SA, QA), ...accumulate(VB, SB, QB),
  ...keepMax(VA, BA, IA), ...keepMax(VB, BB, IB),
  ...get(IDX), ...v128Const(BigInt64Array.of(4n, 4n)), ...s(simd.i64x2Add), ...set(IDX),
  ...get(SCALE), ...i32(32), op.i32Add, ...set(SCALE),
  ...get(E), ...i32(16), op.i32Add, ...tee(E), ...get(END), op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  // s0, q0 := lane 0 of A; best := -1 (every product is >= 0), arg := 0; then the four lanes' maxima.
  ...get(SA), ...s(simd.f64x2ExtractLane, 0), ...set(S0),
  ...get(QA), ...s(simd.f64x2ExtractLane, 0), ...set(Q0),
  op.f64Const, ...bytesOf(Float64Array.of(-1)), ...set(BEST),
  ...takeLane(BA, IA, 0, 0), ...takeLane(BA, IA, 1, 0), ...takeLane(BB, IB, 0, 2), ...takeLane(BB, IB, 1, 2),
  // The c mod 4 leftover columns, one at a time (e and scale already point at them).
  ...get(C), ...i32(-4), op.i32And, ...set(K),
  op.block, op.void,
  ...get(K), ...get(C), op.i32GeU, op.brIf, 0,
  op.loop, op.void,
  ...get(E), op.f32Load, ...mem(2), op.f64PromoteF32, ...get(SCALE), op.f64Load, ...mem(3), op.f64Mul, ...set(V),
  ...get(S0), ...get(V), op.f64Add, ...set(S0),
  ...get(Q0), ...get(V), ...get(V), op.f64Mul, op.f64Add, ...set(Q0),
  ...get(V), ...get(BEST), op.f64Gt,
  op.if, op.void, ...get(V), ...set(BEST), ...get(K), ...set(ARG), op.end,
  ...get(E), ...i32(4), op.i32Add, ...set(E),
  ...get(SCALE), ...i32(8), op.i32Add, ...set(SCALE),
  ...get(K), ...i32(1), op.i32Add, ...tee(K), ...get(C), op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  ...get(OUT), ...total(S0, SA, SB), op.f64Store, ...mem(3, 0),
  ...get(OUT), ...total(Q0, QA, QB), op.f64Store, ...mem(3, 8),
  ...get(OUT), ...get(BEST), op.f64Store, ...mem(3, 16),
  ...get(OUT), ...get(ARG), op.f64ConvertI32U, op.f64Store, ...mem(3, 24),
  op.end,
];

/** The module: imports env.memory, exports scan_row(e, c, scale, out). */
export function rowScanModuleBytes(): Uint8Array<ArrayBuffer> {
  const locals = vec([
    [...uleb(3), I32],
    [...uleb(4), F64],
    [...uleb(12), V128],
  ]);
  const code = [...locals, ...body];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([])]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('scan_row'), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

const MAX_PAGES = 65536; // 4 GiB, wasm32's limit


/** Compiled once per thread; null where WebAssembly or its SIMD is unavailable or refused (CSP). */
const rowScanModule = compileOnce(rowScanModuleBytes);

/** A scanner whose cache lives in WebAssembly memory: [out: 4 f64][B: C f64][E: N x C f32]; null if unavailable. */
export function wasmRowScanner(n: number, c: number): RowScanner | null {
  const module = rowScanModule();
  if (!module) return null;
  const scaleAt = 32;
  const eAt = scaleAt + 8 * c;
  const bytes = eAt + 4 * n * c;
  const pages = Math.ceil(bytes / PAGE);
  if (pages > MAX_PAGES) return null;
  const wasm = wasmApi()!; // the module compiled, so the API is there
  let memory: { readonly buffer: ArrayBuffer };
  try {
    memory = new wasm.Memory({ initial: pages, maximum: pages });
  } catch {
    return null; // the address space for it was refused
  }
  const instance = new wasm.Instance(module, { env: { memory } });
  const scanRow = instance.exports.scan_row as (e: number, c: number, scale: number, out: number) => void;
  return {
    engine: 'wasm',
    expLogits: new Float32Array(memory.buffer, eAt, n * c),
    scale: new Float64Array(memory.buffer, scaleAt, c),
    out: new Float64Array(memory.buffer, 0, 4),
    scan: (start) => scanRow(eAt + 4 * start, c, scaleAt, 0),
  };
}
