// Bad input to an import that the user can fix (wrong shape, unknown dtype, label out of range...): one
// readable line naming the file and the array, field or class concerned.
import { openSync } from 'node:fs';
import { UserError } from '../userError';

export class ImportError extends UserError {
  override readonly name = 'ImportError';
}

/** A file descriptor for reading `file`, or an ImportError naming it. */
export function openForReading(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (e) {
    throw new ImportError(`cannot read ${file}: ${(e as Error).message}`);
  }
}
