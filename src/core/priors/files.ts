// Named target priors as plain, reviewable files (.lade/priors/<name>.json), and the imports the editor
// accepts: a JSON object or list, or a CSV of `class,share` / `class,count`. Pure text in, data out:
// the extension does the reading and writing. Every error names the file and the line, class or field.
import { PriorError } from './parse';

export const PRIOR_FILE_FORMAT = 'lade-prior';

/** A saved prior: shares by class name in class order, an origin line and optional 95% intervals. */
export interface NamedPrior {
  readonly name: string;
  /** Where it came from: "preset backward-10", "import deploy.csv", "edited", "estimated (em-bcts)". */
  readonly origin: string;
  readonly classes: readonly string[];
  /** Normalised shares, aligned with classes. */
  readonly shares: readonly number[];
  /** Per-class [lower, upper] share intervals, aligned with classes, where an estimate provided them. */
  readonly intervals?: readonly (readonly [number, number] | null)[];
}

/** Class name -> value in file order (counts or shares, not yet normalised). */
export type ClassValues = ReadonlyMap<string, number>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A prior's name becomes its file name, so it is kept to a safe, portable set of characters. */
export function priorNameProblem(name: string): string | null {
  if (NAME.test(name) && !name.endsWith('.json') && !name.includes('..')) return null;
  return `'${name.slice(0, 80)}' is not a valid prior name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`;
}

export function priorFileName(name: string): string {
  const problem = priorNameProblem(name);
  if (problem) throw new PriorError(problem);
  return `${name}.json`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkValue(v: unknown, file: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new PriorError(`${file}: ${where} must be a finite number >= 0, got ${typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v))}.`);
  }
  return v;
}

function addValue(out: Map<string, number>, name: string, value: number, file: string, where: string): void {
  if (name.trim() === '') throw new PriorError(`${file}: ${where} has an empty class name.`);
  if (out.has(name)) throw new PriorError(`${file}: ${where}: class '${name}' appears twice.`);
  out.set(name, value);
}

function requirePositive(values: ClassValues, file: string): ClassValues {
  if (values.size === 0) throw new PriorError(`${file}: no classes found.`);
  if (![...values.values()].some((v) => v > 0)) throw new PriorError(`${file}: every class has 0; at least one needs a positive value.`);
  return values;
}

/** Writes a prior file: two-space JSON with one class per line, so a diff shows exactly what changed. */
export function serializePriorFile(prior: NamedPrior): string {
  const q = (v: unknown) => JSON.stringify(v);
  const block = (entries: string[]) => `{\n${entries.map((e) => `    ${e}`).join(',\n')}\n  }`;
  const lines = [
    `"format": ${q(PRIOR_FILE_FORMAT)}`,
    '"version": 1',
    `"name": ${q(prior.name)}`,
    `"origin": ${q(prior.origin)}`,
    `"shares": ${block(prior.classes.map((c, i) => `${q(c)}: ${q(prior.shares[i] ?? 0)}`))}`,
  ];
  const intervals = prior.intervals;
  if (intervals) {
    const entries = prior.classes.flatMap((c, i) => {
      const iv = intervals[i];
      return iv ? [`${q(c)}: [${q(iv[0])}, ${q(iv[1])}]`] : [];
    });
    lines.push(`"intervals": ${block(entries)}`);
  }
  return `{\n${lines.map((l) => `  ${l}`).join(',\n')}\n}\n`;
}

/** Reads a prior file written by serializePriorFile (or by hand); the shares are normalised. */
export function parsePriorFile(text: string, file: string): NamedPrior {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PriorError(`${file}: not valid JSON (${(err as Error).message}).`);
  }
  if (!isRecord(raw)) throw new PriorError(`${file}: expected a JSON object with "format": "${PRIOR_FILE_FORMAT}".`);
  if (raw.format !== PRIOR_FILE_FORMAT) throw new PriorError(`${file}: field "format" must be "${PRIOR_FILE_FORMAT}".`);
  if (raw.version !== 1) throw new PriorError(`${file}: field "version" must be 1 (this version of LADE Studio reads version 1).`);
  if (typeof raw.name !== 'string') throw new PriorError(`${file}: field "name" must be a string.`);
  const nameProblem = priorNameProblem(raw.name);
  if (nameProblem) throw new PriorError(`${file}: field "name": ${nameProblem}`);
  const origin = raw.origin === undefined ? 'file' : raw.origin;
  if (typeof origin !== 'string') throw new PriorError(`${file}: field "origin" must be a string.`);
  if (!isRecord(raw.shares)) throw new PriorError(`${file}: field "shares" must be an object of class name -> share.`);
  const values = new Map<string, number>();
  for (const [name, v] of Object.entries(raw.shares)) addValue(values, name, checkValue(v, file, `shares of class '${name}'`), file, 'field "shares"');
  requirePositive(values, file);
  const classes = [...values.keys()];
  const sum = [...values.values()].reduce((a, b) => a + b, 0);
  const prior: NamedPrior = { name: raw.name, origin, classes, shares: classes.map((c) => (values.get(c) ?? 0) / sum) };
  if (raw.intervals === undefined) return prior;
  if (!isRecord(raw.intervals)) throw new PriorError(`${file}: field "intervals" must be an object of class name -> [lower, upper].`);
  const intervals: (readonly [number, number] | null)[] = classes.map(() => null);
  for (const [name, iv] of Object.entries(raw.intervals)) {
    const i = classes.indexOf(name);
    if (i < 0) throw new PriorError(`${file}: field "intervals" names class '${name}', which has no share.`);
    if (!Array.isArray(iv) || iv.length !== 2) throw new PriorError(`${file}: interval of class '${name}' must be [lower, upper].`);
    const lo = checkValue(iv[0], file, `interval lower bound of class '${name}'`);
    const hi = checkValue(iv[1], file, `interval upper bound of class '${name}'`);
    if (lo > hi || hi > 1) throw new PriorError(`${file}: interval of class '${name}' must satisfy 0 <= lower <= upper <= 1, got [${lo}, ${hi}].`);
    intervals[i] = [lo, hi];
  }
  return { ...prior, intervals };
}

/**
 * An imported distribution: a prior file, a JSON object {"class": value}, or a JSON list of
 * {"class": name, "share" | "count": value}. Values are counts or shares; normalise with alignToClasses.
 */
export function parseJsonImport(text: string, file: string): ClassValues {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PriorError(`${file}: not valid JSON (${(err as Error).message}).`);
  }
  const out = new Map<string, number>();
  if (isRecord(raw) && raw.format === PRIOR_FILE_FORMAT) {
    const prior = parsePriorFile(text, file);
    prior.classes.forEach((c, i) => out.set(c, prior.shares[i] ?? 0));
  } else if (isRecord(raw)) {
    for (const [name, v] of Object.entries(raw)) addValue(out, name, checkValue(v, file, `the value of class '${name}'`), file, 'the object');
  } else if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      const where = `entry ${i + 1}`;
      if (!isRecord(item) || typeof item.class !== 'string') throw new PriorError(`${file}: ${where} must be an object with a string "class".`);
      const key = 'share' in item ? 'share' : 'count' in item ? 'count' : null;
      if (!key) throw new PriorError(`${file}: ${where} (class '${item.class}') needs a "share" or a "count".`);
      addValue(out, item.class, checkValue(item[key], file, `${where} (class '${item.class}') "${key}"`), file, where);
    });
  } else {
    throw new PriorError(`${file}: expected a JSON object of class -> share/count, or a list of {"class", "share" | "count"}.`);
  }
  return requirePositive(out, file);
}

/** Splits one CSV line (RFC 4180 quoting: "a, b" and "say ""hi"""). */
function csvFields(line: string, file: string, lineNo: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new PriorError(`${file}, line ${lineNo}: unterminated quoted field.`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new PriorError(`${file}, line ${lineNo}: unexpected text after a quoted field.`);
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** A CSV with a header `class,share` or `class,count` (any case) and one class per line. */
export function parseCsvImport(text: string, file: string): ClassValues {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out = new Map<string, number>();
  let header: string[] | null = null;
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const fields = csvFields(line, file, lineNo);
    if (!header) {
      header = fields.map((f) => f.toLowerCase());
      if (header.length !== 2 || header[0] !== 'class' || (header[1] !== 'share' && header[1] !== 'count')) {
        throw new PriorError(`${file}, line ${lineNo}: the header must be 'class,share' or 'class,count', got '${line.slice(0, 80)}'.`);
      }
      return;
    }
    if (fields.length !== 2) throw new PriorError(`${file}, line ${lineNo}: expected 2 fields (class and ${header[1]}), got ${fields.length}.`);
    const [name, text] = fields as [string, string];
    const value = text === '' ? NaN : Number(text);
    if (!Number.isFinite(value) || value < 0) {
      throw new PriorError(`${file}, line ${lineNo}: the ${header[1]} of class '${name}' must be a number >= 0, got '${text}'.`);
    }
    if (header[1] === 'count' && !Number.isInteger(value)) {
      throw new PriorError(`${file}, line ${lineNo}: the count of class '${name}' must be a whole number, got '${text}'.`);
    }
    addValue(out, name, value, file, `line ${lineNo}`);
  });
  if (!header) throw new PriorError(`${file}: the file is empty; expected a header 'class,share' or 'class,count'.`);
  return requirePositive(out, file);
}

/** Picks the parser by extension (.csv, otherwise JSON). */
export function parseImport(text: string, file: string): ClassValues {
  return file.toLowerCase().endsWith('.csv') ? parseCsvImport(text, file) : parseJsonImport(text, file);
}

export interface AlignedPrior {
  /** Normalised shares in the order of the classes asked for. */
  readonly prior: Float64Array;
  /** Classes the source did not mention; they get share 0. */
  readonly missing: readonly string[];
}

/**
 * Puts named values in the order of `classNames` and normalises them. A name that is not one of the
 * classes is an error (a typo would otherwise vanish silently); classes not mentioned get 0.
 */
export function alignToClasses(values: ClassValues, classNames: readonly string[], source: string): AlignedPrior {
  const index = new Map(classNames.map((n, i) => [n, i]));
  const unknown = [...values.keys()].filter((n) => !index.has(n));
  if (unknown.length) {
    const shown = unknown.slice(0, 5).map((n) => `'${n}'`).join(', ');
    throw new PriorError(`${source}: ${unknown.length === 1 ? 'class' : 'classes'} ${shown}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} not among the ${classNames.length} classes of this run.`);
  }
  const prior = new Float64Array(classNames.length);
  let sum = 0;
  for (const [n, v] of values) {
    prior[index.get(n) as number] = v;
    sum += v;
  }
  if (!(sum > 0)) throw new PriorError(`${source}: the classes of this run all have 0.`);
  for (let i = 0; i < prior.length; i++) prior[i] = (prior[i] ?? 0) / sum;
  return { prior, missing: classNames.filter((n) => !values.has(n)) };
}
