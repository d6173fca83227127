// Builders of predictions files for the import tests: .npy/.npz with any header (numpy's layout: magic,
// version 1.0, a dict padded so the data starts at a multiple of 64), .safetensors and CSV.
import { writeFileSync } from 'node:fs';
import { Zip, ZipPassThrough, zipSync } from 'fflate';

export interface NpyArraySpec {
  /** numpy descr, e.g. '<f4', '<f2', '<i8', '>f4', '|b1'. */
  readonly descr: string;
  readonly shape: readonly number[];
  readonly data: ArrayBufferView;
  readonly fortran?: boolean;
}

export function npy(a: NpyArraySpec): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let dict = `{'descr': '${a.descr}', 'fortran_order': ${a.fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  dict += ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const head = new Uint8Array(10 + dict.length);
  head.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  new DataView(head.buffer).setUint16(8, dict.length, true);
  head.set(Buffer.from(dict, 'latin1'), 10);
  const data = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

export function writeNpz(file: string, arrays: Record<string, NpyArraySpec>, compressed = false): string {
  const entries = Object.fromEntries(Object.entries(arrays).map(([k, v]) => [`${k}.npy`, npy(v)]));
  writeFileSync(file, zipSync(entries, { level: compressed ? 6 : 0 }));
  return file;
}

/** An .npz as a streaming zip writer makes it: sizes in data descriptors after each entry's data. */
export function writeNpzWithDescriptors(file: string, arrays: Record<string, NpyArraySpec>): string {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  for (const [name, spec] of Object.entries(arrays)) {
    const entry = new ZipPassThrough(`${name}.npy`);
    zip.add(entry);
    entry.push(npy(spec), true);
  }
  zip.end();
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

export interface SafeTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: ArrayBufferView;
}

export function writeSafetensors(file: string, tensors: Record<string, SafeTensor>, headerExtra: Record<string, unknown> = {}): string {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' }, ...headerExtra };
  let offset = 0;
  const blobs: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    blobs.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(file, Buffer.concat([len, Buffer.from(json), ...blobs]));
  return file;
}

/** Logits of the given rows x cols, row i column j = i + j / 10, and labels i % cols. */
export function grid(rows: number, cols: number): { logits: Float32Array; labels: Int32Array } {
  const logits = Float32Array.from({ length: rows * cols }, (_, k) => Math.floor(k / cols) + (k % cols) / 10);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % cols);
  return { logits, labels };
}
