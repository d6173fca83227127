// What a resumed run trains with: the settings saved when it started, so the learning-rate schedule, batch
// and augmentation continue where they stopped. Flags that would change them are refused, naming each one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TrainConfig } from '../runs/config';
import { readRun, RUN_FILE } from '../runs/reader';
import { UserError } from '../userError';
import { readCheckpoint } from './checkpoint';
import { resolveConfig, settingLabel, type TrainConfigInput } from './config';

/** Settings that may change between sessions of one run: where it runs, not what it computes. */
const SESSION_SETTINGS: ReadonlySet<keyof TrainConfig> = new Set(['backend', 'workers', 'resume', 'outDir']);

/** The settings a run in `runDir` was started with: from its checkpoint, else its run.json; undefined when neither has them. */
export function savedConfig(runDir: string): TrainConfig | undefined {
  const fromCheckpoint = readCheckpoint(runDir)?.config;
  if (fromCheckpoint) return fromCheckpoint;
  if (!existsSync(path.join(runDir, RUN_FILE))) return undefined;
  const { record } = readRun(runDir);
  return record.origin.kind === 'trained' && record.origin.engine === 'tfjs' ? (record.config as TrainConfig | undefined) : undefined;
}

const same = (field: keyof TrainConfig, a: unknown, b: unknown): boolean =>
  field === 'dataDir' ? path.resolve(String(a)) === path.resolve(String(b)) : JSON.stringify(a) === JSON.stringify(b);

/** The saved settings, with this session's backend and workers; a UserError when a given setting differs. */
export function resumeConfig(input: TrainConfigInput): TrainConfig {
  const runDir = path.resolve(input.outDir);
  if (!existsSync(path.join(runDir, 'checkpoint.bin'))) throw new UserError(`cannot resume: no checkpoint.bin in ${runDir}`);
  const saved = savedConfig(runDir);
  if (!saved) throw new UserError(`cannot resume ${runDir}: neither its checkpoint nor a run.json records the settings it was started with`);
  const differs = (Object.keys(input) as (keyof TrainConfig)[]).filter(
    (k) => input[k] !== undefined && !SESSION_SETTINGS.has(k) && !same(k, input[k], saved[k]),
  );
  if (differs.length > 0) {
    const list = differs.map((k) => `${settingLabel(k)} ${JSON.stringify(input[k])} (the run has ${JSON.stringify(saved[k])})`).join(', ');
    throw new UserError(`cannot resume ${runDir} with other settings: ${list}; leave them out to continue the run as it was started`);
  }
  const session = Object.fromEntries([...SESSION_SETTINGS].flatMap((k) => (input[k] === undefined ? [] : [[k, input[k]]])));
  return resolveConfig({ ...saved, ...session, resume: true, outDir: input.outDir });
}
