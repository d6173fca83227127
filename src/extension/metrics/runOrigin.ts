// How a run is told apart in pickers and labels: runs imported with LADE: Import Model or Predictions (or
// `lade import`) say so, since their numbers come from a model trained elsewhere.
import type { RunRecord } from '../../core/runs';

/** "imported logits" or "ONNX" for imported runs, null for runs trained here. */
export function originLabel(record: Pick<RunRecord, 'origin'>): string | null {
  const { origin } = record;
  if (origin.kind !== 'imported') return null;
  return origin.source === 'onnx' ? 'ONNX' : 'imported logits';
}

/** The run's name with its origin when imported: "torch-la (imported logits)". */
export function runLabel(run: { readonly name: string; readonly record: Pick<RunRecord, 'origin'> }): string {
  const origin = originLabel(run.record);
  return origin ? `${run.name} (${origin})` : run.name;
}
