import { describe, expect, it } from 'vitest';
import { CsvReader, type CsvRecord } from '../../../../src/core/dataset/csv';

function readAll(text: string, chunkSize = text.length || 1): CsvRecord[] {
  const reader = new CsvReader('m.csv');
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...reader.push(text.slice(i, i + chunkSize)));
  out.push(...reader.end());
  return out;
}

const SAMPLE = '\uFEFFpath,label\r\n"a, b.png",cat\r\n"say ""hi"".png","multi\nline"\nplain.png,\n\nlast.png,dog';

describe('CsvReader', () => {
  it('reads quoted commas, doubled quotes, quoted line breaks, CRLF, empty fields and a final unterminated line', () => {
    const records = readAll(SAMPLE);
    expect(records.map((r) => r.fields)).toEqual([
      ['path', 'label'],
      ['a, b.png', 'cat'],
      ['say "hi".png', 'multi\nline'],
      ['plain.png', ''],
      ['last.png', 'dog'],
    ]);
    // Line numbers are where each record starts; the quoted break moves later records down.
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5, 7]);
  });

  it('gives the same records whatever the chunk size', () => {
    const whole = readAll(SAMPLE);
    for (const size of [1, 2, 3, 7]) expect(readAll(SAMPLE, size)).toEqual(whole);
  });

  it('names the file and line of quoting errors', () => {
    expect(() => readAll('path,label\nok.png,1\n"open.png,1\n')).toThrow(/^m\.csv:3: quoted field is never closed/);
    expect(() => readAll('path,label\nx"y.png,1\n')).toThrow(/^m\.csv:2: quote inside an unquoted field/);
    expect(() => readAll('path,label\n"x.png"z,1\n')).toThrow(/^m\.csv:2: unexpected 'z' after a closing quote/);
  });
});
