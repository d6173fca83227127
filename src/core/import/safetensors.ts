// safetensors: 8 bytes little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the raw little-endian tensors. Read by hand, tensor by tensor in 16 MiB chunks, so only the
// float32 result is held (float32 tensors are read straight into it).
import { closeSync, fstatSync, readSync } from 'node:fs';
import { DTYPE_BYTES, dtypeName, floatsInto, labelsFrom, type Dtype } from './dtypes';
import { ImportError, openForReading } from './errors';
import type { Predictions, ReadOptions } from './predictions';

const DTYPES: Readonly<Record<string, Dtype>> = {
  F16: 'f2', BF16: 'bf16', F32: 'f4', F64: 'f8',
  U8: 'u1', I8: 'i1', I16: 'i2', U16: 'u2', I32: 'i4', U32: 'u4', I64: 'i8', U64: 'u8',
};

const CHUNK = 16 << 20;
/** A header beyond this is not a predictions file (the format itself caps it at 100 MB). */
const MAX_HEADER = 100_000_000;

interface Tensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Absolute byte range in the file. */
  readonly begin: number;
  readonly end: number;
}

function readExactly(fd: number, into: Uint8Array, position: number, file: string): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0) throw new ImportError(`${file} ends early (truncated safetensors file).`);
    done += n;
  }
}

function readHeader(fd: number, file: string): { header: Record<string, unknown>; dataStart: number } {
  const size = fstatSync(fd).size;
  const lenBytes = new Uint8Array(8);
  if (size < 8) throw new ImportError(`${file} is too short to be a safetensors file.`);
  readExactly(fd, lenBytes, 0, file);
  const len = Number(new DataView(lenBytes.buffer).getBigUint64(0, true));
  if (len > MAX_HEADER || 8 + len > size) throw new ImportError(`${file} is not a safetensors file (header length ${len} does not fit a ${size}-byte file).`);
  const header = new Uint8Array(len);
  readExactly(fd, header, 8, file);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(header));
  } catch (e) {
    throw new ImportError(`${file}: the safetensors header is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ImportError(`${file}: the safetensors header must be a JSON object.`);
  return { header: json as Record<string, unknown>, dataStart: 8 + len };
}

function tensorEntry(header: Record<string, unknown>, name: string, dataStart: number, fileSize: number, file: string): Tensor | null {
  if (!Object.hasOwn(header, name)) return null;
  const raw = header[name];
  const where = `${file}: tensor '${name}'`;
  if (typeof raw !== 'object' || raw === null) throw new ImportError(`${where} must be an object with "dtype", "shape" and "data_offsets".`);
  const t = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  const dtype = typeof t.dtype === 'string' && Object.hasOwn(DTYPES, t.dtype) ? DTYPES[t.dtype] : undefined;
  if (!dtype) throw new ImportError(`${where} has unsupported dtype ${JSON.stringify(t.dtype)} (expected F16, BF16, F32, F64 or an integer type).`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ImportError(`${where}: "shape" must be a list of sizes.`);
  const off = t.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0) || off[0] > off[1]) {
    throw new ImportError(`${where}: "data_offsets" must be [begin, end].`);
  }
  const shape = t.shape as number[];
  const begin = dataStart + (off[0] as number);
  const end = dataStart + (off[1] as number);
  const expected = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
  if (end - begin !== expected) throw new ImportError(`${where}: shape [${shape.join(', ')}] of ${dtypeName(dtype)} needs ${expected} bytes, data_offsets give ${end - begin}.`);
  if (end > fileSize) throw new ImportError(`${where} runs past the end of the file (truncated?).`);
  return { dtype, shape, begin, end };
}

export function readSafetensors(file: string, options: ReadOptions): Predictions {
  const fd = openForReading(file);
  try {
    const size = fstatSync(fd).size;
    const { header, dataStart } = readHeader(fd, file);
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    const x = tensorEntry(header, 'logits', dataStart, size, file);
    if (!x) throw new ImportError(`${file} has no tensor 'logits' (it has: ${names.join(', ') || 'none'}).`);
    if (x.shape.length !== 2) throw new ImportError(`${file}: tensor 'logits' has shape [${x.shape.join(', ')}]; expected 2 dimensions (images, classes).`);
    const [rows, cols] = x.shape as [number, number];
    const logits = new Float32Array(rows * cols);
    if (x.dtype === 'f4') {
      readExactly(fd, new Uint8Array(logits.buffer), x.begin, file);
    } else {
      const step = CHUNK - (CHUNK % DTYPE_BYTES[x.dtype]);
      const chunk = new Uint8Array(Math.min(step, x.end - x.begin));
      let at = 0;
      for (let pos = x.begin; pos < x.end; pos += step) {
        const part = chunk.subarray(0, Math.min(step, x.end - pos));
        readExactly(fd, part, pos, file);
        at += floatsInto(part, x.dtype, logits, at, `${file}: tensor 'logits'`);
      }
    }
    let labels: Int32Array | null = null;
    if (options.labels === 'required') {
      const y = tensorEntry(header, 'labels', dataStart, size, file);
      if (!y) throw new ImportError(`${file} has no tensor 'labels' (it has: ${names.join(', ')}).`);
      if (y.shape.length !== 1) throw new ImportError(`${file}: tensor 'labels' has shape [${y.shape.join(', ')}]; expected one dimension (images).`);
      const bytes = new Uint8Array(y.end - y.begin);
      readExactly(fd, bytes, y.begin, file);
      labels = labelsFrom(bytes, y.dtype, `${file}: tensor 'labels'`);
    }
    return { logits, rows, cols, labels };
  } finally {
    closeSync(fd);
  }
}
