// run.json of an imported ONNX run (docs/run-format.md, version 2), written by src/core/runs' writer.
import { writeRun } from '../runs';

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

/** Through the one run.json writer (schema-checked, atomic). */
export function writeRunRecord(runDir: string, record: ImportedRunRecord): void {
  writeRun(runDir, record);
}
