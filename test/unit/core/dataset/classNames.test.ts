import { describe, expect, it } from 'vitest';
import { parseClassNameMap } from '../../../../src/core/dataset/classNames';

describe('class-name maps', () => {
  it('reads one name per line in index order, names with spaces allowed', () => {
    expect(parseClassNameMap('tench\ngreat white shark\n\n# comment\ngoldfish\n', 'm.txt')).toEqual(['tench', 'great white shark', 'goldfish']);
  });

  it('reads "name index" (Places-LT) and "index name" lines in any order', () => {
    expect(parseClassNameMap('/b/bar 1\n/a/airfield 0\n', 'm.txt')).toEqual(['/a/airfield', '/b/bar']);
    expect(parseClassNameMap('1 dog\r\n0 cat\r\n', 'm.txt')).toEqual(['cat', 'dog']);
  });

  it('rejects repeated indices or names and gaps, naming the line', () => {
    expect(() => parseClassNameMap('a 0\nb 0\n', 'm.txt')).toThrow(/^m\.txt:2: class index 0 is given twice/);
    expect(() => parseClassNameMap('a\nb\na\n', 'm.txt')).toThrow(/^m\.txt:3: class name 'a' is given twice \(first on line 1\)/);
    expect(() => parseClassNameMap('a 0\nb 2\n', 'm.txt')).toThrow(/no class with index 1/);
    expect(() => parseClassNameMap('\n\n', 'm.txt')).toThrow(/empty/);
  });
});
