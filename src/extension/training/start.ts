// Where "Train with LADE" starts from: random weights, a TF.js model to fine-tune, or an earlier run whose
// backbone is kept while a new classifier head is retuned (the decoupled recipe).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { isRecord } from '../../protocol/validate';
import { listRuns } from '../metrics/runFolders';

export type TrainStart =
  | { readonly kind: 'scratch' }
  | { readonly kind: 'finetune'; readonly modelJson: string; readonly freezeBackbone: boolean }
  | { readonly kind: 'retune'; readonly runDir: string; readonly size: number; readonly channels: 1 | 3 };

/** The input a run's backbone was trained on (run.json `input`): a retuned head must see the same. */
export function runInput(runDir: string): { size: number; channels: 1 | 3 } {
  const file = path.join(runDir, 'run.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const input = isRecord(raw) && isRecord(raw.input) ? raw.input : undefined;
  const size = input?.size;
  const channels = input?.channels;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || (channels !== 1 && channels !== 3)) {
    throw new Error(`${file}: 'input' must hold an integer size and 1 or 3 channels.`);
  }
  return { size, channels };
}

/** From a command argument: { finetune: 'model.json', freeze?: true } or { retuneRun: '<run folder>' }. */
export function startFromArgument(arg: Readonly<Record<string, unknown>>): TrainStart {
  if (arg.finetune !== undefined && arg.retuneRun !== undefined) throw new Error("give either 'finetune' or 'retuneRun', not both");
  if (arg.retuneRun !== undefined) {
    if (typeof arg.retuneRun !== 'string') throw new Error("'retuneRun' must be a run folder");
    return { kind: 'retune', runDir: arg.retuneRun, ...runInput(arg.retuneRun) };
  }
  if (arg.finetune !== undefined) {
    if (typeof arg.finetune !== 'string' || !arg.finetune.endsWith('.json')) throw new Error("'finetune' must be the path of a TF.js model.json");
    if (arg.freeze !== undefined && typeof arg.freeze !== 'boolean') throw new Error("'freeze' must be true or false");
    return { kind: 'finetune', modelJson: arg.finetune, freezeBackbone: arg.freeze === true };
  }
  return { kind: 'scratch' };
}

export async function askStart(workspaceRoot: string | undefined): Promise<TrainStart | undefined> {
  const runs = workspaceRoot ? listRuns(workspaceRoot).runs.filter((r) => r.modelJson) : [];
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'From scratch', description: 'a new model with random weights', start: 'scratch' as const },
      { label: 'Fine-tune a TF.js model…', description: 'a layers model.json, with a new head for these classes', start: 'finetune' as const },
      ...(runs.length ? [{ label: 'Retune the head of a run…', description: 'keep its backbone, train a new classifier on cached features', start: 'retune' as const }] : []),
    ],
    { title: 'LADE: start from', placeHolder: 'Start from' },
  );
  if (!picked) return undefined;
  if (picked.start === 'scratch') return { kind: 'scratch' };
  if (picked.start === 'retune') {
    const run = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: r.name, description: `${r.lossKind}, ${r.classes.length} classes`, dir: r.dir })),
      { title: 'LADE: run whose backbone to keep' },
    );
    return run && { kind: 'retune', runDir: run.dir, ...runInput(run.dir) };
  }
  const files = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, filters: { 'TF.js model': ['json'] }, title: 'LADE: model.json to fine-tune' });
  if (!files?.[0]) return undefined;
  const freeze = await vscode.window.showQuickPick(
    [
      { label: 'Train the whole network', freeze: false },
      { label: 'Freeze the backbone', description: 'train only the new head', freeze: true },
    ],
    { title: 'LADE: fine-tuning' },
  );
  return freeze && { kind: 'finetune', modelJson: files[0].fsPath, freezeBackbone: freeze.freeze };
}

/** The worker config fields for a start, and the word that names runs started this way. */
export function startConfig(start: TrainStart): {
  readonly tag: string;
  readonly fields: { finetune?: { modelJson: string; freezeBackbone: boolean }; retuneHead?: boolean; size?: number; channels?: 1 | 3 };
} {
  switch (start.kind) {
    case 'scratch':
      return { tag: '', fields: {} };
    case 'finetune':
      return { tag: 'finetune', fields: { finetune: { modelJson: start.modelJson, freezeBackbone: start.freezeBackbone } } };
    case 'retune':
      return {
        tag: 'head',
        fields: {
          finetune: { modelJson: path.join(start.runDir, 'model', 'model.json'), freezeBackbone: true },
          retuneHead: true,
          size: start.size,
          channels: start.channels,
        },
      };
  }
}
