// run.json of an imported run (docs/run-format.md, version 2). The one place this module writes it, to
// be replaced by src/core/runs' writer once that lands.
import path from 'node:path';
import { writeFileAtomic } from '../atomicWrite';

export type ImportedLoss = 'ce' | 'lade' | 'bs' | 'la';

export interface ImportedRunRecord {
  readonly version: 2;
  readonly name: string;
  readonly status: 'completed';
  readonly loss: ImportedLoss;
  readonly origin: { readonly kind: 'imported'; readonly source: 'logits' | 'onnx'; readonly files: readonly string[] };
  readonly classes: readonly string[];
  readonly trainCounts: readonly number[];
  readonly sourcePrior: readonly number[];
  readonly evalSplits: readonly { readonly name: string; readonly count: number }[];
  readonly finalAccuracy: Readonly<Record<string, number>>;
  readonly timings: { readonly importMs: number };
  readonly startedAt: string;
  readonly finishedAt: string;
}

export function writeRunRecord(dir: string, record: ImportedRunRecord): void {
  writeFileAtomic(path.join(dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
}
