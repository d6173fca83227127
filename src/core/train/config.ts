// Completes a partial training configuration with the defaults and rejects values that cannot work,
// naming the field.
import { BACKENDS, CHANNEL_SETTINGS, DEFAULT_TRAIN_CONFIG, MODEL_KINDS, OPTIMIZER_KINDS, SCHEDULE_KINDS, type TrainConfig } from '../runs/config';
import { TFJS_LOSSES } from '../runs/lossKind';
import { UserError } from '../userError';

export type TrainConfigInput = Partial<TrainConfig> & Pick<TrainConfig, 'dataDir' | 'outDir'>;

const CHOICES: Partial<Record<keyof TrainConfig, readonly unknown[]>> = {
  loss: TFJS_LOSSES,
  model: MODEL_KINDS,
  optimizer: OPTIMIZER_KINDS,
  schedule: SCHEDULE_KINDS,
  channels: CHANNEL_SETTINGS,
  backend: BACKENDS,
  workers: [1, 2],
};

/** Names users know the settings by (the CLI flag), rather than the field names of TrainConfig. */
const LABELS: Partial<Record<keyof TrainConfig, string>> = {
  dataDir: 'dataset folder',
  outDir: 'run folder (--out)',
  batchSize: '--batch',
  weightDecay: '--weight-decay',
  warmupEpochs: '--warmup',
  valFraction: 'held-out fraction',
  retuneHead: '--retune-head',
  finetune: '--finetune',
  augment: '--no-augment',
};

export function settingLabel(field: keyof TrainConfig): string {
  return LABELS[field] ?? `--${field}`;
}

function check(ok: boolean, field: keyof TrainConfig, value: unknown, rule: string): void {
  if (!ok) throw new UserError(`training setting ${settingLabel(field)} is ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}: ${rule}`);
}

export function resolveConfig(input: TrainConfigInput): TrainConfig {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const c: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...defined } as TrainConfig;
  for (const [field, allowed] of Object.entries(CHOICES)) {
    const v = c[field as keyof TrainConfig];
    check(allowed.includes(v), field as keyof TrainConfig, v, `use one of ${allowed.join(', ')}`);
  }
  const int = (field: keyof TrainConfig, min: number, max = Infinity): void => {
    const v = c[field];
    check(typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max, field, v, `an integer from ${min} to ${max}`);
  };
  const num = (field: keyof TrainConfig, min: number, max: number): void => {
    const v = c[field];
    check(typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max, field, v, `a number from ${min} to ${max}`);
  };
  int('epochs', 1, 100_000);
  int('batchSize', 1, 65_536);
  int('size', 8, 1024);
  int('width', 1, 1024);
  int('seed', 0, 2 ** 32 - 1);
  num('lr', Number.MIN_VALUE, 100);
  num('momentum', 0, 0.9999);
  num('weightDecay', 0, 1);
  num('warmupEpochs', 0, 100_000);
  num('alpha', 0, 100);
  num('lambda', 0, 100);
  num('valFraction', 0, 0.5);
  check(c.workers === 1 || c.finetune === undefined, 'workers', c.workers, 'data parallelism trains from-scratch models only');
  check(!c.retuneHead || c.finetune !== undefined, 'retuneHead', c.retuneHead, 'needs finetune (the model whose head is retuned)');
  check(typeof c.dataDir === 'string' && c.dataDir.length > 0, 'dataDir', c.dataDir, 'a dataset folder');
  check(typeof c.outDir === 'string' && c.outDir.length > 0, 'outDir', c.outDir, 'a run folder');
  return c;
}
