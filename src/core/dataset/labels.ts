// Turns manifest labels into class indices. Integer labels are class indices (0..max, so a label that
// never occurs is an empty class); name labels are sorted; a class-name map fixes both names and order.
import { lineError } from './errors';
import type { ManifestRecord } from './manifest';

const INTEGER = /^\d+$/;
/** Beyond this an integer label is surely a typo or an id column, not a class index. */
const MAX_INTEGER_CLASSES = 1_000_000;

type LabelKind = 'integer' | 'name';

export class LabelSpace {
  private kind: LabelKind | null = null;
  private firstLine = '';
  private maxInteger = -1;
  private readonly names = new Set<string>();
  private readonly mapIndex: ReadonlyMap<string, number> | null;

  constructor(private readonly classMap: readonly string[] | null) {
    this.mapIndex = classMap ? new Map(classMap.map((n, i) => [n, i])) : null;
  }

  /** Checks one label while reading; throws a file:line error for labels that cannot be resolved. */
  add(record: ManifestRecord): void {
    const { label } = record;
    const kind: LabelKind = INTEGER.test(label) ? 'integer' : 'name';
    if (this.classMap !== null) {
      this.resolveWithMap(record, kind);
      return;
    }
    if (this.kind === null) {
      this.kind = kind;
      this.firstLine = `${record.file}:${record.line}`;
    } else if (kind !== this.kind) {
      throw lineError(
        record.file,
        record.line,
        `label '${label}' is ${kind === 'integer' ? 'an integer' : 'a name'} but the first label (${this.firstLine}) is ${
          this.kind === 'integer' ? 'an integer' : 'a name'
        }; use one kind, or give a class-name map`,
      );
    }
    if (kind === 'integer') {
      const value = Number(label);
      if (value >= MAX_INTEGER_CLASSES) {
        throw lineError(record.file, record.line, `label ${label} is too large for a class index (limit ${MAX_INTEGER_CLASSES - 1})`);
      }
      if (value > this.maxInteger) this.maxInteger = value;
    } else {
      this.names.add(label);
    }
  }

  private resolveWithMap(record: ManifestRecord, kind: LabelKind): number {
    const map = this.classMap!;
    if (kind === 'integer') {
      const value = Number(record.label);
      if (value >= map.length) {
        throw lineError(record.file, record.line, `label ${record.label} is outside the class-name map (${map.length} classes)`);
      }
      return value;
    }
    const index = this.mapIndex!.get(record.label);
    if (index === undefined) throw lineError(record.file, record.line, `label '${record.label}' is not in the class-name map`);
    return index;
  }

  /** The class names once every label has been added. */
  classNames(): string[] {
    if (this.classMap !== null) return [...this.classMap];
    if (this.kind === 'integer') return Array.from({ length: this.maxInteger + 1 }, (_, i) => String(i));
    return [...this.names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A resolver from label to class index, valid for the labels added so far. */
  indexer(): (record: ManifestRecord) => number {
    if (this.classMap !== null) return (r) => this.resolveWithMap(r, INTEGER.test(r.label) ? 'integer' : 'name');
    if (this.kind === 'integer') return (r) => Number(r.label);
    const order = new Map(this.classNames().map((n, i) => [n, i]));
    return (r) => {
      const index = order.get(r.label);
      if (index === undefined) throw lineError(r.file, r.line, `label '${r.label}' was not seen when the classes were listed`);
      return index;
    };
  }
}
