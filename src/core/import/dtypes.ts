// Element types of numpy and safetensors arrays, turned into the run folder's float32 logits and int32
// labels. float16 goes through one 65,536-entry table built with npyjs's converter (4x faster than
// converting each element); bfloat16 is the top half of a float32.
import { float16ToFloat32 } from 'npyjs';
import { ImportError } from './errors';

/** The element types we read, spelled the numpy way ('f2' = float16, 'i8' = int64 ...). */
export type Dtype = 'f2' | 'bf16' | 'f4' | 'f8' | 'u1' | 'i1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8';

export const FLOAT_DTYPES: readonly Dtype[] = ['f2', 'bf16', 'f4', 'f8'];
export const INT_DTYPES: readonly Dtype[] = ['u1', 'i1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8'];

export const DTYPE_BYTES: Readonly<Record<Dtype, number>> = { f2: 2, bf16: 2, f4: 4, f8: 8, u1: 1, i1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8 };

const NAMES: Readonly<Record<Dtype, string>> = {
  f2: 'float16', bf16: 'bfloat16', f4: 'float32', f8: 'float64',
  u1: 'uint8', i1: 'int8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64',
};

export function dtypeName(d: Dtype): string {
  return NAMES[d];
}

let f16Table: Float32Array | null = null;

function halfTable(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = float16ToFloat32(i);
  }
  return f16Table;
}

/** A view of little-endian elements of `dtype` over bytes (which must be aligned to the element size). */
function view(bytes: Uint8Array, dtype: Dtype): ArrayLike<number | bigint> {
  const { buffer, byteOffset } = bytes;
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  switch (dtype) {
    case 'f2':
    case 'bf16':
    case 'u2':
      return new Uint16Array(buffer, byteOffset, n);
    case 'f4':
      return new Float32Array(buffer, byteOffset, n);
    case 'f8':
      return new Float64Array(buffer, byteOffset, n);
    case 'u1':
      return bytes;
    case 'i1':
      return new Int8Array(buffer, byteOffset, n);
    case 'i2':
      return new Int16Array(buffer, byteOffset, n);
    case 'i4':
      return new Int32Array(buffer, byteOffset, n);
    case 'u4':
      return new Uint32Array(buffer, byteOffset, n);
    case 'i8':
      return new BigInt64Array(buffer, byteOffset, n);
    case 'u8':
      return new BigUint64Array(buffer, byteOffset, n);
  }
}

/** Copies bytes into a fresh buffer when they are not aligned for the element size. */
export function aligned(bytes: Uint8Array, dtype: Dtype): Uint8Array {
  return bytes.byteOffset % DTYPE_BYTES[dtype] === 0 ? bytes : bytes.slice();
}

/**
 * Float logits from raw little-endian bytes, written into `out` (at `at` elements). float32 bytes are
 * copied once; the rest convert element by element.
 */
export function floatsInto(bytes: Uint8Array, dtype: Dtype, out: Float32Array, at: number, where: string): number {
  if (!FLOAT_DTYPES.includes(dtype)) throw new ImportError(`${where} has dtype ${dtypeName(dtype)}; logits must be float16, bfloat16, float32 or float64.`);
  const b = aligned(bytes, dtype);
  const n = b.byteLength / DTYPE_BYTES[dtype];
  // One loop per element type: a loop shared across typed-array types runs several times slower.
  if (dtype === 'f2') halfInto(new Uint16Array(b.buffer, b.byteOffset, n), out, at);
  else if (dtype === 'bf16') brainInto(new Uint16Array(b.buffer, b.byteOffset, n), out, at);
  else out.set(view(b, dtype) as Float32Array | Float64Array, at);
  return n;
}

function halfInto(u: Uint16Array, out: Float32Array, at: number): void {
  const table = halfTable();
  const n = u.length;
  for (let i = 0; i < n; i++) out[at + i] = table[u[i]!]!;
}

function brainInto(u: Uint16Array, out: Float32Array, at: number): void {
  const bits = new Uint32Array(out.buffer, out.byteOffset + at * 4, u.length);
  for (let i = 0; i < u.length; i++) bits[i] = u[i]! << 16;
}

/** Class indices from raw little-endian integer bytes; float or out-of-int32 labels are an ImportError. */
export function labelsFrom(bytes: Uint8Array, dtype: Dtype, where: string): Int32Array {
  if (!INT_DTYPES.includes(dtype)) throw new ImportError(`${where} has dtype ${dtypeName(dtype)}; labels must be integers (int32, int64, uint8, int16 ...).`);
  const src = view(aligned(bytes, dtype), dtype);
  if (dtype === 'i4') return Int32Array.from(src as Int32Array);
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = Number(src[i]!);
    if (v > 0x7fffffff || v < -0x80000000) throw new ImportError(`${where}: row ${i} has label ${String(src[i])}, not a class index.`);
    out[i] = v;
  }
  return out;
}
