// The one writer of run.json: checked against the schema first (a run that cannot be read back is never
// written), then written atomically.
import path from 'node:path';
import * as v from 'valibot';
import { writeFileAtomic } from '../atomicWrite';
import { RUN_FILE } from './reader';
import { RunRecordSchema, type RunRecord } from './record';

export function writeRun<R extends RunRecord>(dir: string, record: R): R {
  const file = path.join(dir, RUN_FILE);
  const checked = v.safeParse(RunRecordSchema, record);
  if (!checked.success) throw new Error(`${file}: refusing to write an invalid run record: ${v.summarize(checked.issues)}`);
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}
