// numpy .npz (np.savez / np.savez_compressed): a zip of .npy files, streamed. The file is read in 8 MiB
// chunks through fflate's streaming Unzip (stored entries pass through, deflated ones inflate); npyjs
// parses each .npy header, and the logits are converted chunk by chunk into the float32 result, so neither
// the file nor the entry is ever held whole. Entries whose size the zip only gives after their data (data
// descriptors, from writers that could not seek) are unzipped from the whole file instead, since finding
// their end in a stream means scanning raw bytes for a signature.
import { closeSync, readFileSync, readSync } from 'node:fs';
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { parse, type NpyArray } from 'npyjs';
import { DTYPE_BYTES, dtypeName, FLOAT_DTYPES, floatsInto, INT_DTYPES, labelsFrom, type Dtype } from './dtypes';
import { ImportError, openForReading } from './errors';
import type { Predictions, ReadOptions } from './predictions';

const DTYPES = new Set<string>([...FLOAT_DTYPES, ...INT_DTYPES]);
const CHUNK = 8 << 20;

interface NpyHeader {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly fortranOrder: boolean;
  /** Bytes before the data. */
  readonly dataOffset: number;
}

/** The header of a .npy whose first bytes are `head`, or null while more bytes are needed. */
function npyHeader(head: Uint8Array, where: string): NpyHeader | null {
  if (head.length < 12) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dataOffset = head[6]! <= 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true);
  if (head.length < dataOffset) return null;
  let npy: NpyArray;
  try {
    // Only the header: npyjs views zero data bytes after it.
    npy = parse(head.slice(0, dataOffset).buffer, { convertFloat16: false });
  } catch (e) {
    throw new ImportError(`${where}: ${(e as Error).message} (expected little-endian float or integer data)`);
  }
  if (!DTYPES.has(npy.dtype)) throw new ImportError(`${where} has unsupported dtype '${npy.dtype}' (expected float16/32/64 or an integer type).`);
  return { dtype: npy.dtype as Dtype, shape: npy.shape, fortranOrder: npy.fortranOrder, dataOffset };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function dataBytes(h: NpyHeader): number {
  return h.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[h.dtype];
}

/** Receives the logits entry chunk by chunk and converts it into float32 as it arrives. */
class LogitsReceiver {
  private head: Uint8Array[] = [];
  private header: NpyHeader | null = null;
  private out: Float32Array | null = null;
  private carry: Uint8Array = new Uint8Array(0);
  private bytes = 0;
  private at = 0;

  constructor(private readonly where: string) {}

  push(chunk: Uint8Array): void {
    if (!this.header) {
      this.head.push(chunk);
      const head = concat(this.head);
      this.head = [head];
      const header = npyHeader(head, this.where);
      if (!header) return;
      this.start(header);
      chunk = head.subarray(header.dataOffset);
    }
    this.data(chunk);
  }

  private start(h: NpyHeader): void {
    if (h.shape.length !== 2) throw new ImportError(`${this.where} has shape (${h.shape.join(', ')}); expected 2 dimensions (images, classes).`);
    if (!FLOAT_DTYPES.includes(h.dtype)) throw new ImportError(`${this.where} has dtype ${dtypeName(h.dtype)}; logits must be float16, bfloat16, float32 or float64.`);
    this.header = h;
    this.head = [];
    this.out = new Float32Array(h.shape[0]! * h.shape[1]!);
  }

  private data(chunk: Uint8Array): void {
    const h = this.header!;
    const size = DTYPE_BYTES[h.dtype];
    this.bytes += chunk.length;
    if (this.bytes > dataBytes(h)) return; // reported by finish()
    let bytes = chunk;
    if (this.carry.length > 0) {
      bytes = concat([this.carry, chunk]);
      this.carry = new Uint8Array(0);
    }
    const whole = bytes.length - (bytes.length % size);
    if (whole < bytes.length) this.carry = bytes.slice(whole);
    if (whole > 0) this.at += floatsInto(bytes.subarray(0, whole), h.dtype, this.out!, this.at, this.where);
  }

  finish(): { logits: Float32Array; rows: number; cols: number } {
    const h = this.header;
    if (!h) throw new ImportError(`${this.where}: not a .npy array (its header ends early).`);
    if (this.bytes !== dataBytes(h)) {
      throw new ImportError(`${this.where}: shape (${h.shape.join(', ')}) of ${dtypeName(h.dtype)} needs ${dataBytes(h)} bytes, the file holds ${this.bytes}.`);
    }
    const [rows, cols] = h.shape as [number, number];
    return { logits: h.fortranOrder ? fromFortran(this.out!, rows, cols) : this.out!, rows, cols };
  }
}

/** Row-major copy of a column-major rows x cols matrix. */
function fromFortran(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = data[j * rows + i]!;
  return out;
}

function readLabels(entry: Uint8Array, where: string): Int32Array {
  const h = npyHeader(entry, where);
  if (!h) throw new ImportError(`${where}: not a .npy array (its header ends early).`);
  if (h.shape.length !== 1) throw new ImportError(`${where} has shape (${h.shape.join(', ')}); expected one dimension (images).`);
  const bytes = entry.subarray(h.dataOffset);
  if (bytes.length !== dataBytes(h)) throw new ImportError(`${where}: shape (${h.shape.join(', ')}) of ${dtypeName(h.dtype)} needs ${dataBytes(h)} bytes, the file holds ${bytes.length}.`);
  return labelsFrom(bytes, h.dtype, where);
}

interface Streamed {
  readonly names: string[];
  /** Wanted entries whose size was unknown (data descriptors): read them with unzipSync. */
  readonly unsized: boolean;
}

/** Streams the zip, handing each wanted entry's bytes to `sinks[name]`. */
function streamEntries(file: string, sinks: ReadonlyMap<string, (chunk: Uint8Array) => void>): Streamed {
  const names: string[] = [];
  let unsized = false;
  let failure: unknown = null;
  const unzip = new Unzip((entry) => {
    names.push(entry.name.replace(/\.npy$/, ''));
    const sink = sinks.get(entry.name);
    if (sink && entry.size === undefined) unsized = true;
    // Every entry is started, the unwanted ones into nothing, so Unzip keeps no chunks of them.
    entry.ondata = (err, chunk) => {
      if (err) failure ??= err;
      else if (sink && !unsized && failure === null) {
        try {
          sink(chunk);
        } catch (e) {
          failure = e;
        }
      }
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  const fd = openForReading(file);
  try {
    for (;;) {
      // A fresh buffer per chunk: Unzip keeps views of the last one between pushes.
      const chunk = new Uint8Array(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      unzip.push(chunk.subarray(0, n), n === 0);
      if (failure !== null || n === 0) break;
    }
  } catch (e) {
    failure ??= e;
  } finally {
    closeSync(fd);
  }
  if (failure instanceof ImportError) throw failure;
  if (failure !== null) throw new ImportError(`${file} is not a readable .npz (zip) file: ${(failure as Error).message ?? String(failure)}`);
  if (names.length === 0) throw new ImportError(`${file} is not a readable .npz (zip) file: no entries found.`);
  return { names, unsized };
}

export function readNpz(file: string, options: ReadOptions): Predictions {
  const logitsWhere = `${file}: array 'logits'`;
  const labelsWhere = `${file}: array 'labels'`;
  const withLabels = options.labels === 'required';
  let receiver = new LogitsReceiver(logitsWhere);
  let labelChunks: Uint8Array[] = [];
  const sinks = new Map<string, (chunk: Uint8Array) => void>([['logits.npy', (c) => receiver.push(c)]]);
  if (withLabels) sinks.set('labels.npy', (c) => void labelChunks.push(c.slice()));
  const { names, unsized } = streamEntries(file, sinks);
  if (unsized) {
    receiver = new LogitsReceiver(logitsWhere);
    const entries = unzipSync(readFileSync(file), { filter: (f) => sinks.has(f.name) });
    if (entries['logits.npy']) receiver.push(entries['logits.npy']);
    labelChunks = entries['labels.npy'] ? [entries['labels.npy']] : [];
  }
  if (!names.includes('logits')) throw new ImportError(`${file} has no array 'logits' (it has: ${names.join(', ') || 'none'}); save with np.savez(f, logits=..., labels=...).`);
  if (withLabels && !names.includes('labels')) throw new ImportError(`${file} has no array 'labels' (it has: ${names.join(', ')}).`);
  const { logits, rows, cols } = receiver.finish();
  const labels = withLabels ? readLabels(concat(labelChunks), labelsWhere) : null;
  return { logits, rows, cols, labels };
}
