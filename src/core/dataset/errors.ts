// Bad input the user can fix (missing folder, no images, malformed manifest line): one readable line.
import { UserError } from '../userError';

export class DatasetError extends UserError {
  override readonly name = 'DatasetError';
  constructor(
    message: string,
    /** The file or folder concerned. */
    readonly path?: string,
    /** 1-based line number in `path`, for manifests. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** "file:line: message", the form editors and terminals make clickable. */
export function lineError(file: string, line: number, message: string): DatasetError {
  return new DatasetError(`${file}:${line}: ${message}`, file, line);
}
