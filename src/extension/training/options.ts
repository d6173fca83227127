// What "Train with LADE" trains: from a command argument (automation, tests) or a few quick picks whose
// defaults come from the lade.train.* settings.
import * as vscode from 'vscode';
import { BACKENDS, MODEL_KINDS, type BackendSetting, type ModelKind } from '../../core/runs/config';
import { TFJS_LOSSES, type LossKind } from '../../core/runs/lossKind';

export interface TrainChoice {
  readonly losses: readonly LossKind[];
  readonly model: ModelKind;
  readonly epochs: number;
  readonly batchSize: number;
  readonly size: number;
  readonly backend: BackendSetting;
}

export function trainDefaults(scope?: vscode.Uri): TrainChoice {
  const c = vscode.workspace.getConfiguration('lade', scope);
  return {
    losses: ['lade', 'ce'],
    model: c.get<ModelKind>('train.model', 'cnn'),
    epochs: c.get<number>('train.epochs', 10),
    batchSize: c.get<number>('train.batchSize', 128),
    size: c.get<number>('train.inputSize', 32),
    backend: c.get<BackendSetting>('backend', 'auto'),
  };
}

/** Validates a command argument such as { dataDir, losses: ['lade'], epochs: 2 } over the defaults. */
export function choiceFromArgument(arg: Readonly<Record<string, unknown>>, defaults: TrainChoice): TrainChoice {
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = arg[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new Error(`'${key}' must be one of ${allowed.join(', ')}`);
    return v as T;
  };
  const positive = (key: string, fallback: number): number => {
    const v = arg[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`'${key}' must be a positive integer`);
    return v;
  };
  const losses = arg.losses === undefined ? defaults.losses : arg.losses;
  if (!Array.isArray(losses) || losses.length === 0 || !losses.every((l) => (TFJS_LOSSES as readonly unknown[]).includes(l))) {
    throw new Error(`'losses' must be a non-empty list of ${TFJS_LOSSES.join(', ')}`);
  }
  return {
    losses: losses as LossKind[],
    model: pick('model', MODEL_KINDS, defaults.model),
    epochs: positive('epochs', defaults.epochs),
    batchSize: positive('batchSize', defaults.batchSize),
    size: positive('size', defaults.size),
    backend: pick('backend', BACKENDS, defaults.backend),
  };
}

/** `askModel` is false when the network comes from a model or run (fine-tune, retune head). */
export async function askChoice(defaults: TrainChoice, askModel = true): Promise<TrainChoice | undefined> {
  const what = await vscode.window.showQuickPick(
    [
      { label: 'LADE and its CE baseline', description: 'compare Softmax, PC Softmax and LADE', losses: ['lade', 'ce'] as LossKind[], picked: true },
      { label: 'LADE', description: 'LADE-CE + LADER (alpha 0.1, lambda 0.01)', losses: ['lade'] as LossKind[] },
      { label: 'Cross-entropy', description: 'plain softmax CE, compensated at inference as PC Softmax', losses: ['ce'] as LossKind[] },
      { label: 'Balanced Softmax', description: 'LADE-CE without the regularizer', losses: ['bs'] as LossKind[] },
    ],
    { title: 'LADE: what to train', placeHolder: 'Loss' },
  );
  if (!what) return undefined;
  const model = !askModel
    ? { label: defaults.model }
    : await vscode.window.showQuickPick(
        [
          { label: 'cnn', description: 'small CNN: fast, good for 28-32 px images' },
          { label: 'resnet20', description: 'ResNet-20 for small images: slower, more accurate' },
        ].map((m) => ({ ...m, picked: m.label === defaults.model })),
        { title: 'LADE: model', placeHolder: `Model (default ${defaults.model})` },
      );
  if (!model) return undefined;
  const epochs = await vscode.window.showInputBox({
    title: 'LADE: epochs',
    value: String(defaults.epochs),
    validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : 'A positive whole number of epochs'),
  });
  if (!epochs) return undefined;
  return { ...defaults, losses: what.losses, model: model.label as ModelKind, epochs: Number(epochs) };
}
