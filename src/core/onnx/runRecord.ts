// run.json of an imported ONNX run (docs/run-format.md, version 2). Written through this one function until
// the shared run reader/writer (src/core/runs) lands; then this file gives way to it.
import path from 'node:path';
import { writeFileAtomic } from '../train/atomicWrite';

export type RunLoss = 'ce' | 'lade' | 'bs' | 'la';

export interface ImportedRunRecord {
  readonly version: 2;
  readonly name: string;
  readonly status: 'completed';
  readonly loss: RunLoss;
  readonly origin: { readonly kind: 'imported'; readonly source: 'onnx'; readonly files: readonly string[] };
  readonly classes: readonly string[];
  readonly trainCounts: readonly number[];
  readonly sourcePrior: readonly number[];
  readonly evalSplits: readonly { readonly name: string; readonly count: number }[];
  readonly finalAccuracy: Readonly<Record<string, number>>;
  /** mean / std: one value per channel, applied after scaling pixels to [0, 1]. */
  readonly input: { readonly size: number; readonly channels: number; readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly startedAt: string;
  readonly finishedAt: string;
}

export function writeRunRecord(runDir: string, record: ImportedRunRecord): void {
  writeFileAtomic(path.join(runDir, 'run.json'), JSON.stringify(record, null, 2) + '\n');
}
