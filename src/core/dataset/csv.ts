// A small RFC 4180 CSV reader: quoted fields with commas, doubled quotes and line breaks, CRLF or LF,
// fed in chunks so a large manifest streams. Errors name the file and the line.
import { lineError } from './errors';

export interface CsvRecord {
  readonly fields: readonly string[];
  /** 1-based line on which the record starts. */
  readonly line: number;
}

interface Parsed {
  readonly fields: string[];
  readonly end: number;
  readonly newlines: number;
}

export class CsvReader {
  private buffer = '';
  private line = 1;
  private started = false;

  constructor(private readonly file: string) {}

  /** Records completed by this chunk; a record cut by the chunk end waits for the next one. */
  push(chunk: string): CsvRecord[] {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.buffer += chunk;
    return this.drain(false);
  }

  /** The remaining records once the input has ended. */
  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    let pos = 0;
    while (pos < this.buffer.length) {
      const parsed = this.parseRecord(pos, final);
      if (!parsed) break;
      const blank = parsed.fields.length === 1 && parsed.fields[0] === '';
      if (!blank) out.push({ fields: parsed.fields, line: this.line });
      this.line += parsed.newlines;
      pos = parsed.end;
    }
    this.buffer = this.buffer.slice(pos);
    return out;
  }

  /** One record from `pos`, or null when the buffer ends inside it and more input may follow. */
  private parseRecord(pos: number, final: boolean): Parsed | null {
    const s = this.buffer;
    const fields: string[] = [];
    let newlines = 0;
    let i = pos;
    for (;;) {
      let value: string;
      if (s.charCodeAt(i) === 34 /* " */) {
        value = '';
        i++;
        for (;;) {
          const q = s.indexOf('"', i);
          if (q < 0) {
            if (final) throw lineError(this.file, this.line, 'quoted field is never closed');
            return null;
          }
          const piece = s.slice(i, q);
          newlines += countLineBreaks(piece);
          value += piece;
          if (q + 1 >= s.length && !final) return null; // cannot tell "" from a closing quote yet
          if (s.charCodeAt(q + 1) === 34) {
            value += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        const next = s.charCodeAt(i);
        if (i < s.length && next !== 44 && next !== 10 && next !== 13) {
          throw lineError(this.file, this.line + newlines, `unexpected '${s[i]}' after a closing quote`);
        }
      } else {
        let j = i;
        for (; j < s.length; j++) {
          const c = s.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34) throw lineError(this.file, this.line + newlines, 'quote inside an unquoted field (quote the whole field and double inner quotes)');
        }
        if (j >= s.length && !final) return null;
        value = s.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i >= s.length) return { fields, end: i, newlines };
      const c = s.charCodeAt(i);
      if (c === 44) {
        i++;
        if (i >= s.length) {
          if (!final) return null;
          fields.push('');
          return { fields, end: i, newlines };
        }
        continue;
      }
      // Line break: \n, \r or \r\n.
      if (c === 13) {
        if (i + 1 >= s.length && !final) return null;
        i += s.charCodeAt(i + 1) === 10 ? 2 : 1;
      } else {
        i++;
      }
      return { fields, end: i, newlines: newlines + 1 };
    }
  }
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}
