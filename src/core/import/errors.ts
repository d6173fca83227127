// Bad input to an import that the user can fix (wrong shape, unknown dtype, label out of range...): one
// readable line naming the file and the array, field or class concerned.
import { UserError } from '../userError';

export class ImportError extends UserError {
  override readonly name = 'ImportError';
}
