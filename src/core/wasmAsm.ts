// A small assembler for the WebAssembly SIMD kernels (metrics/rowScanWasm.ts, estimate/expWasm.ts): opcodes
// and encoders, so each kernel is written as its instructions in the repository, with no toolchain and no
// opaque binary.
// Value types and opcodes used below (WebAssembly core spec, binary format; SIMD ops carry the 0xfd prefix).
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  brIf: 0x0d,
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  f64Eq: 0x61,
  f64Gt: 0x64,
  i32Add: 0x6a,
  i32Shl: 0x74,
  i32And: 0x71,
  i32Or: 0x72,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  i32WrapI64: 0xa7,
  f64ConvertI32U: 0xb8,
  f64PromoteF32: 0xbb,
} as const;
export const simd = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  f64x2Splat: 0x14,
  i64x2ExtractLane: 0x1d,
  f64x2ExtractLane: 0x21,
  f64x2Gt: 0x4a,
  f64x2Ge: 0x4c,
  v128And: 0x4e,
  v128Bitselect: 0x52,
  v128Load64Zero: 0x5d,
  f64x2PromoteLowF32x4: 0x5f,
  f64x2Nearest: 0x94,
  i64x2ExtendLowI32x4S: 0xc7,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Pmax: 0xf7,
  i32x4TruncSatF64x2SZero: 0xfc,
} as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const bytesOf = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
export function v128Const(lanes: Float64Array | BigInt64Array): number[] {
  if (!littleEndian) throw new Error('WebAssembly kernels: a big-endian host is not supported.');
  return [0xfd, ...uleb(simd.v128Const), ...bytesOf(lanes)];
}
export const s = (code: number, ...immediates: number[]) => [0xfd, ...uleb(code), ...immediates];
/** memarg: log2 alignment, byte offset */
export const mem = (align: number, offset = 0) => [...uleb(align), ...uleb(offset)];
export const get = (i: number) => [op.localGet, ...uleb(i)];
export const set = (i: number) => [op.localSet, ...uleb(i)];
export const tee = (i: number) => [op.localTee, ...uleb(i)];
export const i32 = (n: number) => [op.i32Const, ...sleb(n)];

export const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
export const name = (text: string) => [...uleb(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];


export const PAGE = 65536;

/**
 * The part of the WebAssembly JavaScript API the kernels use. TypeScript declares WebAssembly only in its DOM
 * and WebWorker libraries, and this module is type-checked for Node (no DOM) as well as for the webviews.
 */
export interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum?: number }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}
export type WasmModule = object;
/** Absent where the host has no WebAssembly. */
export const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * A getter that compiles the module once per thread, on first use: null where WebAssembly or its SIMD is
 * unavailable or refused (a webview's CSP), so callers fall back to their JavaScript engine.
 */
export function compileOnce(bytes: () => Uint8Array<ArrayBuffer>): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    try {
      const code = bytes();
      const wasm = wasmApi();
      compiled = wasm?.validate(code) ? new wasm.Module(code) : null;
    } catch {
      compiled = null;
    }
    return compiled;
  };
}
