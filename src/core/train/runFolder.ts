// The run folder a training run may write: never a finished or started run unless asked to replace or
// resume it, never inside the dataset (its class folders would gain one). Made here, so that a run that
// fails early can remove a folder it created.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../userError';

/** Files of an earlier run that a replacing run removes first, so nothing stale (a checkpoint) outlives it. */
const RUN_FILES = /^(run\.json|checkpoint\.(bin|pt)|model|model(-adjusted)?\.onnx|cache|(logits|labels)-.+\.bin|files-.+\.txt)$/;

/** True when the dataset crawl would list runDir: inside dataDir and under no hidden folder (.lade/ is skipped). */
function readAsClass(runDir: string, dataDir: string): boolean {
  const rel = path.relative(dataDir, runDir);
  if (rel === '') return true;
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return !rel.split(path.sep).some((part) => part.startsWith('.'));
}

/** Makes runDir ready; true when this call created it. Refusals are UserErrors naming the folder. */
export function prepareRunFolder(runDir: string, dataDir: string, opts: { readonly resume: boolean; readonly force: boolean }): boolean {
  if (readAsClass(runDir, dataDir) && !opts.force) {
    throw new UserError(`the run folder ${runDir} is inside the dataset ${dataDir}, where it would be read as a class; choose another --out (or --force)`);
  }
  const st = statSync(runDir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new UserError(`${runDir} is a file, not a run folder`);
  if (opts.resume) return false;
  const entries = st ? readdirSync(runDir) : [];
  if (entries.length > 0 && !opts.force) {
    const what = entries.includes('run.json') ? 'holds a run' : entries.includes('checkpoint.bin') || entries.includes('checkpoint.pt') ? 'holds a started run' : 'is not empty';
    throw new UserError(`${runDir} ${what}; add --resume to continue it, --force to replace it, or choose another --out`);
  }
  for (const e of entries) if (RUN_FILES.test(e)) rmSync(path.join(runDir, e), { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  return st === undefined;
}
