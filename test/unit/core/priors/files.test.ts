import { describe, expect, it } from 'vitest';
import {
  alignToClasses,
  parseCsvImport,
  parseImport,
  parseJsonImport,
  parsePriorFile,
  priorFileName,
  priorNameProblem,
  serializePriorFile,
  type NamedPrior,
} from '../../../../src/core/priors/files';

const entries = (m: ReadonlyMap<string, number>) => [...m.entries()];

describe('prior files', () => {
  const prior: NamedPrior = {
    name: 'deploy-2026',
    origin: 'estimated (em-bcts)',
    classes: ['cat', 'dog "big"', 'owl'],
    shares: [0.5, 0.25, 0.25],
    intervals: [[0.4, 0.6], null, [0.2, 0.3]],
  };

  it('round-trips through a reviewable file with one class per line', () => {
    const text = serializePriorFile(prior);
    expect(text).toContain('\n    "cat": 0.5,\n');
    expect(text).toContain('"owl": [0.2, 0.3]');
    expect(parsePriorFile(text, 'p.json')).toEqual(prior);
    const plain = serializePriorFile({ ...prior, intervals: undefined });
    expect(parsePriorFile(plain, 'p.json')).toEqual({ ...prior, intervals: undefined });
  });

  it('normalises hand-written shares', () => {
    const text = JSON.stringify({ format: 'lade-prior', version: 1, name: 'x', shares: { a: 3, b: 1 } });
    expect(parsePriorFile(text, 'x.json')).toEqual({ name: 'x', origin: 'file', classes: ['a', 'b'], shares: [0.75, 0.25] });
  });

  it.each([
    ['{', 'not valid JSON'],
    ['[]', '"format": "lade-prior"'],
    ['{"format":"lade-prior","version":2,"name":"x","shares":{"a":1}}', '"version" must be 1'],
    ['{"format":"lade-prior","version":1,"name":"../x","shares":{"a":1}}', 'not a valid prior name'],
    ['{"format":"lade-prior","version":1,"name":"x","shares":{"a":-1}}', "shares of class 'a' must be a finite number >= 0, got -1"],
    ['{"format":"lade-prior","version":1,"name":"x","shares":{"a":"1"}}', `class 'a' must be a finite number >= 0, got "1"`],
    ['{"format":"lade-prior","version":1,"name":"x","shares":{"a":0}}', 'at least one needs a positive value'],
    ['{"format":"lade-prior","version":1,"name":"x","shares":{"a":1},"intervals":{"b":[0,1]}}', "names class 'b'"],
    ['{"format":"lade-prior","version":1,"name":"x","shares":{"a":1},"intervals":{"a":[0.9,0.1]}}', 'lower <= upper'],
  ])('rejects %s naming the problem and the file', (text, expected) => {
    expect(() => parsePriorFile(text, '.lade/priors/x.json')).toThrow(expected);
    expect(() => parsePriorFile(text, '.lade/priors/x.json')).toThrow('.lade/priors/x.json');
  });

  it('keeps prior names to safe file names', () => {
    expect(priorFileName('backward-10')).toBe('backward-10.json');
    for (const bad of ['', '../etc', 'a/b', 'a\\b', '.hidden', 'x.json', 'a'.repeat(65), 'sp ace']) {
      expect(priorNameProblem(bad)).toContain('not a valid prior name');
    }
  });
});

describe('prior imports', () => {
  it('reads CSV with class,share or class,count, quoted names, comments and a BOM', () => {
    const csv = '\uFEFFClass,Count\r\n# deployment sample\ncat,30\n"dog, big",10\n\n"say ""hi""",0\n';
    expect(entries(parseCsvImport(csv, 'd.csv'))).toEqual([
      ['cat', 30],
      ['dog, big', 10],
      ['say "hi"', 0],
    ]);
    expect(entries(parseImport('class,share\na,0.25\nb,0.75', 'x.CSV'))).toEqual([
      ['a', 0.25],
      ['b', 0.75],
    ]);
  });

  it.each([
    ['', 'the file is empty'],
    ['name,value\na,1', "header must be 'class,share' or 'class,count'"],
    ['class,count\na,1\nb', 'line 3: expected 2 fields'],
    ['class,count\na,1.5', "line 2: the count of class 'a' must be a whole number"],
    ['class,share\na,-0.1', "line 2: the share of class 'a' must be a number >= 0, got '-0.1'"],
    ['class,share\na,x', "got 'x'"],
    ['class,share\na,1\na,2', "line 3: class 'a' appears twice"],
    ['class,share\n"a,1', 'line 2: unterminated quoted field'],
    ['class,share\na,0', 'at least one needs a positive value'],
  ])('rejects CSV %j with the line and class', (text, expected) => {
    expect(() => parseCsvImport(text, 'deploy.csv')).toThrow(expected);
  });

  it('reads JSON objects, lists of {class, share|count} and prior files', () => {
    expect(entries(parseJsonImport('{"a": 3, "b": 1}', 'x.json'))).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(entries(parseJsonImport('[{"class":"a","count":3},{"class":"b","share":1}]', 'x.json'))).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    const file = serializePriorFile({ name: 'p', origin: 'x', classes: ['a', 'b'], shares: [0.5, 0.5] });
    expect(entries(parseImport(file, 'p.json'))).toEqual([
      ['a', 0.5],
      ['b', 0.5],
    ]);
    expect(() => parseJsonImport('[{"class":"a"}]', 'x.json')).toThrow(`entry 1 (class 'a') needs a "share" or a "count"`);
    expect(() => parseJsonImport('{"a": null}', 'x.json')).toThrow("class 'a' must be a finite number >= 0, got null");
    expect(() => parseJsonImport('3', 'x.json')).toThrow('expected a JSON object');
  });

  it('aligns to the run classes: unknown names are errors, missing classes get 0', () => {
    const { prior, missing } = alignToClasses(new Map([['c', 3], ['a', 1]]), ['a', 'b', 'c'], 'deploy.csv');
    expect(Array.from(prior)).toEqual([0.25, 0, 0.75]);
    expect(missing).toEqual(['b']);
    expect(() => alignToClasses(new Map([['zebra', 1], ['a', 1]]), ['a', 'b'], 'deploy.csv')).toThrow(
      "deploy.csv: class 'zebra' not among the 2 classes of this run.",
    );
  });
});
