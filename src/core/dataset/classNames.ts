// Class-name maps for manifests with integer labels: either one name per line (line order = index) or
// lines pairing a name and an index in either order ("/a/airfield 0" as in Places-LT, "0 tench").
import { readFile } from 'node:fs/promises';
import { DatasetError, lineError } from './errors';

const INTEGER = /^\d+$/;

/** Class names by index. */
export async function readClassNameMap(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DatasetError(`cannot read class-name map: ${file}`, file);
  }
  return parseClassNameMap(text.replace(/^\uFEFF/, ''), file);
}

export function parseClassNameMap(text: string, file: string): string[] {
  const lines = text
    .split(/\r\n|\n|\r/)
    .map((raw, i) => ({ text: raw.trim(), line: i + 1 }))
    .filter((l) => l.text.length > 0 && !l.text.startsWith('#'));
  if (lines.length === 0) throw new DatasetError(`${file}: class-name map is empty`, file);

  const pairs = lines.map((l) => {
    const tokens = l.text.split(/\s+/);
    if (tokens.length < 2) return null;
    if (INTEGER.test(tokens[tokens.length - 1]!)) return { index: Number(tokens[tokens.length - 1]), name: tokens.slice(0, -1).join(' ') };
    if (INTEGER.test(tokens[0]!)) return { index: Number(tokens[0]), name: tokens.slice(1).join(' ') };
    return null;
  });
  const indexed = pairs.every((p) => p !== null);
  const names: (string | undefined)[] = [];
  const seen = new Map<string, number>();
  lines.forEach((l, i) => {
    const index = indexed ? pairs[i]!.index : i;
    const name = indexed ? pairs[i]!.name : l.text;
    if (names[index] !== undefined) throw lineError(file, l.line, `class index ${index} is given twice`);
    const earlier = seen.get(name);
    if (earlier !== undefined) throw lineError(file, l.line, `class name '${name}' is given twice (first on line ${earlier})`);
    seen.set(name, l.line);
    names[index] = name;
  });
  for (let i = 0; i < names.length; i++) {
    if (names[i] === undefined) throw new DatasetError(`${file}: class-name map has no class with index ${i}`, file);
  }
  return names as string[];
}
