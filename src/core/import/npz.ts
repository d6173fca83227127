// numpy .npz (np.savez / np.savez_compressed): a zip of .npy files. fflate unzips only the entries asked
// for (the rest are skipped), each into its own aligned buffer; npyjs parses the .npy header and views the
// data; float16 stays raw so dtypes.ts converts it through its table. The file buffer is dropped before
// conversion, so at most one extra copy of the logits is held besides the float32 result.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { parse, type NpyArray } from 'npyjs';
import { DTYPE_BYTES, dtypeName, FLOAT_DTYPES, floatsInto, INT_DTYPES, labelsFrom, type Dtype } from './dtypes';
import { ImportError } from './errors';
import type { Predictions, ReadOptions } from './predictions';

const DTYPES = new Set<string>([...FLOAT_DTYPES, ...INT_DTYPES]);

/** The named .npy entries, unzipped; also the names of every array in the archive. */
function unzipEntries(file: string, wanted: readonly string[]): { entries: Record<string, Uint8Array>; names: string[] } {
  let zip: Uint8Array;
  try {
    zip = readFileSync(file);
  } catch (e) {
    throw new ImportError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const names: string[] = [];
  try {
    const entries = unzipSync(zip, {
      filter: (f) => {
        names.push(f.name.replace(/\.npy$/, ''));
        return wanted.includes(f.name);
      },
    });
    return { entries, names };
  } catch (e) {
    throw new ImportError(`${file} is not a readable .npz (zip) file: ${(e as Error).message}`);
  }
}

interface NpyData {
  readonly bytes: Uint8Array;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly fortranOrder: boolean;
}

function parseNpy(entry: Uint8Array, where: string): NpyData {
  // Its own ArrayBuffer, starting at 0, so npyjs's typed-array views are aligned.
  const own = entry.byteOffset === 0 && entry.byteLength === entry.buffer.byteLength ? entry : entry.slice();
  let npy: NpyArray;
  try {
    npy = parse(own.buffer as ArrayBuffer, { convertFloat16: false });
  } catch (e) {
    throw new ImportError(`${where}: ${(e as Error).message} (expected little-endian float or integer data)`);
  }
  if (!DTYPES.has(npy.dtype)) throw new ImportError(`${where} has unsupported dtype '${npy.dtype}' (expected float16/32/64 or an integer type).`);
  const dtype = npy.dtype as Dtype;
  const bytes = new Uint8Array(npy.data.buffer, npy.data.byteOffset, npy.data.byteLength);
  const expected = npy.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
  if (bytes.byteLength !== expected) {
    throw new ImportError(`${where}: shape (${npy.shape.join(', ')}) of ${dtypeName(dtype)} needs ${expected} bytes, the file holds ${bytes.byteLength}.`);
  }
  return { bytes, dtype, shape: npy.shape, fortranOrder: npy.fortranOrder };
}

/** Row-major copy of a column-major rows x cols matrix. */
function fromFortran(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = data[j * rows + i]!;
  return out;
}

export function readNpz(file: string, options: ReadOptions): Predictions {
  const wanted = options.labels === 'required' ? ['logits.npy', 'labels.npy'] : ['logits.npy'];
  const { entries, names } = unzipEntries(file, wanted);
  const logitsEntry = entries['logits.npy'];
  if (!logitsEntry) throw new ImportError(`${file} has no array 'logits' (it has: ${names.join(', ') || 'none'}); save with np.savez(f, logits=..., labels=...).`);
  const labelsEntry = entries['labels.npy'];
  if (options.labels === 'required' && !labelsEntry) throw new ImportError(`${file} has no array 'labels' (it has: ${names.join(', ')}).`);

  const npy = parseNpy(logitsEntry, `${file}: array 'logits'`);
  if (npy.shape.length !== 2) throw new ImportError(`${file}: array 'logits' has shape (${npy.shape.join(', ')}); expected 2 dimensions (images, classes).`);
  const [rows, cols] = npy.shape as [number, number];
  const logits =
    npy.dtype === 'f4' && !npy.fortranOrder
      ? new Float32Array(npy.bytes.buffer, npy.bytes.byteOffset, rows * cols)
      : new Float32Array(rows * cols);
  if (logits.buffer !== npy.bytes.buffer) floatsInto(npy.bytes, npy.dtype, logits, 0, `${file}: array 'logits'`);
  delete entries['logits.npy'];

  let labels: Int32Array | null = null;
  if (labelsEntry) {
    const y = parseNpy(labelsEntry, `${file}: array 'labels'`);
    if (y.shape.length !== 1) throw new ImportError(`${file}: array 'labels' has shape (${y.shape.join(', ')}); expected one dimension (images).`);
    labels = labelsFrom(y.bytes, y.dtype, `${file}: array 'labels'`);
  }
  return { logits: npy.fortranOrder ? fromFortran(logits, rows, cols) : logits, rows, cols, labels };
}
