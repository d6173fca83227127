// The predictions readers on files a tiny PyTorch model wrote (scripts/make-import-fixtures.py), and
// their checks on files built here with one thing wrong.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError, readPredictions, type ReadOptions } from '../../../../src/core/import';
import { grid, writeNpz, writeNpzWithDescriptors, writeSafetensors } from './files';

const FIXTURES = path.join(__dirname, '../../../fixtures/import');
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
  classes: string[];
  labels: number[];
  logits: number[][];
  logitsFloat16: number[][];
  deployLogits: number[][];
};
const classes = expected.classes;
const labelled = { labels: 'required', classes } as const;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lade-import-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readPredictions on PyTorch output', () => {
  it.each([
    ['val.npz', 'logits'],
    ['val.safetensors', 'logits'],
    ['val.csv', 'logits'],
    ['val-f16.npz', 'logitsFloat16'],
    ['val-f16.safetensors', 'logitsFloat16'],
  ] as const)('%s: the saved logits (as float32) and labels', (file, key) => {
    const p = readPredictions(path.join(FIXTURES, file), labelled);
    expect([p.rows, p.cols]).toEqual([expected.labels.length, classes.length]);
    expect(Array.from(p.logits)).toEqual(Array.from(Float32Array.from(expected[key].flat())));
    expect(Array.from(p.labels!)).toEqual(expected.labels);
  });

  it('reads unlabelled deployment logits from .npz and CSV', () => {
    for (const file of ['deploy.npz', 'deploy.csv']) {
      const p = readPredictions(path.join(FIXTURES, file), { labels: 'ignored', classes });
      expect(p.labels).toBeNull();
      expect(Array.from(p.logits)).toEqual(Array.from(Float32Array.from(expected.deployLogits.flat())));
    }
  });

  it('a labelled file also serves as deployment logits, its labels not read', () => {
    const p = readPredictions(path.join(FIXTURES, 'val.safetensors'), { labels: 'ignored', classes });
    expect(p.labels).toBeNull();
    expect(p.rows).toBe(24);
  });
});

describe('readPredictions on other dtypes and layouts', () => {
  const { logits, labels } = grid(4, 3);

  it('float64 logits with uint8, int16 and int64 labels', () => {
    const f64 = Float64Array.from(logits);
    for (const [descr, data] of [
      ['|u1', Uint8Array.from(labels)],
      ['<i2', Int16Array.from(labels)],
      ['<i8', BigInt64Array.from(labels, (v) => BigInt(v))],
    ] as const) {
      const file = writeNpz(path.join(tmp, `dtypes${descr.slice(1)}.npz`), {
        logits: { descr: '<f8', shape: [4, 3], data: f64 },
        labels: { descr, shape: [4], data },
      });
      const p = readPredictions(file, labelled);
      expect(Array.from(p.logits)).toEqual(Array.from(logits));
      expect(Array.from(p.labels!)).toEqual(Array.from(labels));
    }
  });

  it('streams an .npz larger than one read chunk, with elements cut by chunk ends, stored or deflated', () => {
    const rows = 2100;
    const big = grid(rows, 1000);
    for (const compressed of [false, true]) {
      // A 3-byte array first puts the logits data at an offset that is not a multiple of 4.
      const file = writeNpz(path.join(tmp, `big-${compressed}.npz`), {
        pad: { descr: '|u1', shape: [3], data: Uint8Array.of(1, 2, 3) },
        logits: { descr: '<f4', shape: [rows, 1000], data: big.logits },
        labels: { descr: '<i4', shape: [rows], data: Int32Array.from(big.labels, (y) => y % 3) },
      }, compressed);
      const p = readPredictions(file, { labels: 'required', classes: Array.from({ length: 1000 }, (_, c) => `c${c}`) });
      expect(p.rows).toBe(rows);
      expect(p.logits.length).toBe(big.logits.length);
      expect(p.logits.findIndex((v, k) => v !== big.logits[k])).toBe(-1);
    }
  });

  it('reads an .npz whose entry sizes come after the data (data descriptors)', () => {
    const file = writeNpzWithDescriptors(path.join(tmp, 'descriptors.npz'), {
      logits: { descr: '<f2', shape: [4, 3], data: new Uint16Array(12).fill(0x3c00) },
      labels: { descr: '<i8', shape: [4], data: BigInt64Array.from(labels, (v) => BigInt(v)) },
    });
    const p = readPredictions(file, labelled);
    expect(Array.from(p.logits)).toEqual(new Array(12).fill(1));
    expect(Array.from(p.labels!)).toEqual(Array.from(labels));
  });

  it('a Fortran-order (column-major) array comes back row-major', () => {
    const colMajor = new Float32Array(12);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) colMajor[j * 4 + i] = logits[i * 3 + j]!;
    const file = writeNpz(path.join(tmp, 'fortran.npz'), {
      logits: { descr: '<f4', shape: [4, 3], data: colMajor, fortran: true },
      labels: { descr: '<i4', shape: [4], data: labels },
    });
    expect(Array.from(readPredictions(file, labelled).logits)).toEqual(Array.from(logits));
  });

  it('bfloat16 safetensors logits and CSV columns named after the classes in another order', () => {
    const bf16 = Uint16Array.from(new Uint32Array(logits.buffer), (bits) => bits >>> 16);
    const file = writeSafetensors(path.join(tmp, 'bf16.safetensors'), {
      labels: { dtype: 'U8', shape: [4], data: Uint8Array.from(labels) },
      logits: { dtype: 'BF16', shape: [4, 3], data: bf16 },
    });
    const p = readPredictions(file, labelled);
    // bfloat16 keeps 8 significant bits: i + j/10 within 1%.
    p.logits.forEach((v, k) => expect(v).toBeCloseTo(logits[k]!, 1));
    const csv = path.join(tmp, 'named.csv');
    writeFileSync(csv, 'label,bird,cat,dog\ncat,0.3,0.1,0.2\n2,1.3,1.1,1.2\n');
    const q = readPredictions(csv, labelled);
    expect(Array.from(q.logits)).toEqual(Array.from(Float32Array.of(0.1, 0.2, 0.3, 1.1, 1.2, 1.3)));
    expect(Array.from(q.labels!)).toEqual([0, 2]);
  });
});

describe('readPredictions refuses, naming the file and the field', () => {
  const { logits, labels } = grid(4, 3);
  const f32 = { descr: '<f4', shape: [4, 3], data: logits } as const;
  const i32 = { descr: '<i4', shape: [4], data: labels } as const;
  const fails = (file: string, pattern: RegExp, options: ReadOptions = labelled): void => {
    let error: unknown;
    try {
      readPredictions(file, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toContain(path.basename(file));
    expect((error as Error).message).toMatch(pattern);
  };

  it('a class count that does not match the classes', () => {
    fails(writeNpz(path.join(tmp, 'c4.npz'), { logits: { ...f32, shape: [3, 4] }, labels: { ...i32, shape: [3], data: labels.subarray(0, 3) } }), /4 columns but there are 3 classes/);
  });

  it('labels out of range, and a label count unlike the rows', () => {
    fails(writeNpz(path.join(tmp, 'range.npz'), { logits: f32, labels: { ...i32, data: Int32Array.of(0, 1, 3, 0) } }), /labels row 2 is 3, outside the class indices 0\.\.2/);
    fails(writeNpz(path.join(tmp, 'neg.npz'), { logits: f32, labels: { ...i32, data: Int32Array.of(0, -1, 2, 0) } }), /labels row 1 is -1/);
    fails(writeNpz(path.join(tmp, 'n.npz'), { logits: f32, labels: { ...i32, shape: [3], data: labels.subarray(0, 3) } }), /4 rows of logits but 3 labels/);
    const csv = path.join(tmp, 'badlabel.csv');
    writeFileSync(csv, 'label,cat,dog,bird\nfish,1,2,3\n');
    fails(csv, /:2: label 'fish' is neither a class index nor one of the class names/);
  });

  it('NaN and infinite logits, naming the row and class', () => {
    const bad = Float32Array.from(logits);
    bad[7] = Number.NaN;
    fails(writeNpz(path.join(tmp, 'nan.npz'), { logits: { ...f32, data: bad }, labels: i32 }), /logits row 2, class 'dog' is NaN/);
    const half = new Uint16Array(12).fill(0x3c00);
    half[3] = 0x7c00; // +Inf in float16
    fails(writeSafetensors(path.join(tmp, 'inf.safetensors'), { logits: { dtype: 'F16', shape: [4, 3], data: half }, labels: { dtype: 'I32', shape: [4], data: labels } }), /row 1, class 'cat' is Infinity/);
  });

  it('unknown dtypes: big-endian, bool, complex, float labels, safetensors F8', () => {
    fails(writeNpz(path.join(tmp, 'be.npz'), { logits: { ...f32, descr: '>f4' }, labels: i32 }), /array 'logits'.*>f4/);
    fails(writeNpz(path.join(tmp, 'bool.npz'), { logits: f32, labels: { descr: '|b1', shape: [4], data: new Uint8Array(4) } }), /array 'labels' has unsupported dtype 'b1'/);
    fails(writeNpz(path.join(tmp, 'c8.npz'), { logits: { descr: '<c8', shape: [4, 3], data: new Float32Array(24) }, labels: i32 }), /array 'logits' has unsupported dtype 'c8'/);
    fails(writeNpz(path.join(tmp, 'flabels.npz'), { logits: f32, labels: { descr: '<f4', shape: [4], data: Float32Array.from(labels) } }), /array 'labels' has dtype float32; labels must be integers/);
    fails(writeNpz(path.join(tmp, 'ilogits.npz'), { logits: { descr: '<i4', shape: [4, 3], data: new Int32Array(12) }, labels: i32 }), /array 'logits' has dtype int32; logits must be float/);
    fails(writeSafetensors(path.join(tmp, 'f8.safetensors'), { logits: { dtype: 'F8_E4M3', shape: [4, 3], data: new Uint8Array(12) }, labels: { dtype: 'I32', shape: [4], data: labels } }), /tensor 'logits' has unsupported dtype "F8_E4M3"/);
  });

  it('missing arrays, wrong ranks and broken containers', () => {
    fails(writeNpz(path.join(tmp, 'nolabels.npz'), { logits: f32, y: i32 }), /no array 'labels' \(it has: logits, y\)/);
    fails(writeNpz(path.join(tmp, 'arr0.npz'), { arr_0: f32 }), /no array 'logits' \(it has: arr_0\)/, { labels: 'ignored', classes });
    fails(writeNpz(path.join(tmp, 'rank.npz'), { logits: { ...f32, shape: [12] }, labels: i32 }), /array 'logits' has shape \(12\); expected 2 dimensions/);
    fails(writeNpz(path.join(tmp, 'short.npz'), { logits: { ...f32, shape: [5, 3] }, labels: i32 }), /needs 60 bytes, the file holds 48/);
    writeFileSync(path.join(tmp, 'notzip.npz'), 'hello');
    fails(path.join(tmp, 'notzip.npz'), /not a readable \.npz \(zip\) file/);
    writeFileSync(path.join(tmp, 'huge.safetensors'), Buffer.from([255, 255, 255, 255, 0, 0, 0, 0, 123]));
    fails(path.join(tmp, 'huge.safetensors'), /not a safetensors file/);
    const offsets = writeSafetensors(path.join(tmp, 'offsets.safetensors'), { logits: { dtype: 'F32', shape: [4, 3], data: logits } });
    const bytes = readFileSync(offsets);
    writeFileSync(offsets, bytes.subarray(0, bytes.length - 4));
    fails(offsets, /tensor 'logits' runs past the end of the file/, { labels: 'ignored', classes });
    const nullEntry = writeSafetensors(path.join(tmp, 'null.safetensors'), { labels: { dtype: 'I32', shape: [4], data: labels } }, { logits: null });
    fails(nullEntry, /tensor 'logits' must be an object with "dtype", "shape" and "data_offsets"/);
    const csv = path.join(tmp, 'ragged.csv');
    writeFileSync(csv, 'label,cat,dog,bird\n0,1,2,3\n1,1,2\n');
    fails(csv, /:3: expected 4 fields as in the header, found 3/);
    writeFileSync(csv, 'label,cat,dog,bird\n0,1,x,3\n');
    fails(csv, /:2: column 'dog' is not a number: 'x'/);
    fails(path.join(tmp, 'x.parquet'), /unknown predictions format; expected \.npz, \.safetensors, \.csv/);
  });
});
