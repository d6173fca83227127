// Errors the user can fix (bad flag, missing folder, malformed file): shown as one line, exit code 2.
// Recognised by a property, not instanceof: each CLI command is its own bundle with its own copy of every
// class, and errors from worker threads arrive as plain objects.

export class UserError extends Error {
  readonly userError = true;
}

export function isUserError(e: unknown): e is Error {
  return typeof e === 'object' && e !== null && (e as { userError?: unknown }).userError === true && typeof (e as { message?: unknown }).message === 'string';
}
