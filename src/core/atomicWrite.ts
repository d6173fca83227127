// Writes a file so that readers see either the old or the new content, never a torn one: temp file in the
// same folder, fsync, rename over the target.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export function writeFileAtomic(file: string, chunks: readonly Uint8Array[] | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    if (typeof chunks === 'string') writeSync(fd, chunks);
    else for (const c of chunks) writeSync(fd, c);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
