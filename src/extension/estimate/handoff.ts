// What the command hands on once the worker has estimated: the prior's name, the named prior the prior
// editor takes, the lines for the LADE output channel, and the
// progress notification's text and fraction per phase. No vscode here.
import path from 'node:path';
import type { NamedPrior } from '../../core/priors/files';
import type { EstimateWorkerProgress, PriorEstimate } from '../../protocol/estimateWorker';

const pad = (n: number): string => String(n).padStart(2, '0');

/** estimated-<folder>-<yyyymmdd-hhmm> (local time), within the prior name rules (64 safe characters). */
export function estimatedPriorName(folder: string, date: Date): string {
  const base = path.basename(path.resolve(folder)).replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'images';
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}`;
  return `estimated-${base}-${stamp}`;
}

/** The estimate as a named prior, as the prior editor takes it (and would save it). */
export function estimatedPrior(estimate: PriorEstimate, name: string): NamedPrior {
  const { classes, intervals } = estimate;
  const origin = `estimated (${estimate.method}, calibrated on ${estimate.calibrationSplit}) from ${estimate.images} images in ${estimate.folder}`;
  const prior = { name, origin, classes, shares: estimate.prior };
  if (!intervals) return prior;
  return { ...prior, intervals: classes.map((_, i) => [intervals.lo[i] ?? 0, intervals.hi[i] ?? 0] as const) };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * Below this top-1 accuracy on the calibration split the model's confusions dominate the estimate: the
 * bootstrap resamples images, not the model's mistakes, so its intervals can look certain and be wrong.
 */
export const LOW_CALIBRATION_ACCURACY = 0.5;

/** Why calibrating on `split` is a trap, or null: the metrics panel evaluates on test. */
export function splitCaution(split: string): string | null {
  return split === 'test'
    ? "Calibrating on 'test': the metrics panel evaluates on the same images, so its figures under this prior are optimistic; calibrate on val to keep test unseen."
    : null;
}

/** The note shown with the estimate when the model is too inaccurate on the calibration split to trust it, or null. */
export function lowAccuracyNote(estimate: PriorEstimate): string | null {
  if (estimate.calibrationAccuracy >= LOW_CALIBRATION_ACCURACY) return null;
  return (
    `The model is only ${pct(estimate.calibrationAccuracy)} accurate on the '${estimate.calibrationSplit}' split: ` +
    'this estimate is unreliable and its intervals cover resampling only, not the model’s errors.'
  );
}

/** The cautions that bear on trusting the estimate: shown with it in the prior editor, and warned. */
export function estimateCautions(estimate: PriorEstimate): string[] {
  return [lowAccuracyNote(estimate), splitCaution(estimate.calibrationSplit)].filter((n): n is string => n !== null);
}

/** Every warning, the cautions, the estimator's and the undecodable files, as one list. */
export function estimateWarnings(estimate: PriorEstimate): string[] {
  const out = estimateCautions(estimate);
  out.push(...estimate.warnings);
  const n = estimate.skipped.length;
  if (n > 0) out.push(`${n} image(s) could not be decoded and were left out; first: ${estimate.skipped[0]}`);
  return out;
}

/** The estimate as the output channel shows it: one line per class with the training share and the interval. */
export function estimateLogLines(estimate: PriorEstimate, name: string): string[] {
  const { classes, intervals } = estimate;
  const width = Math.max(5, ...classes.map((c) => c.length));
  return [
    `Estimated '${name}': ${estimate.images} images in ${estimate.folder} with run ${estimate.runDir} (${estimate.method}, ${estimate.backend}; ` +
      `calibrated on its ${estimate.calibrationSplit} split, ${estimate.calibrationImages} images, ${pct(estimate.calibrationAccuracy)} accurate)`,
    `  ${'class'.padEnd(width)}   train  estimate${intervals ? `  ${Math.round(100 * intervals.level)}% interval` : ''}`,
    ...classes.map((c, i) => {
      const iv = intervals ? `  [${pct(intervals.lo[i] ?? 0)}, ${pct(intervals.hi[i] ?? 0)}]` : '';
      return `  ${c.padEnd(width)}  ${pct(estimate.trainPrior[i] ?? 0).padStart(6)}  ${pct(estimate.prior[i] ?? 0).padStart(8)}${iv}`;
    }),
  ];
}

/**
 * Where each phase sits on the notification's bar: decoding and inference (interleaved per batch) take
 * most of it, then calibration, EM or BBSE, and the bootstrap resamples.
 */
const SPAN: Readonly<Record<EstimateWorkerProgress['phase'], readonly [number, number]>> = {
  decode: [0, 0.7],
  infer: [0, 0.7],
  calibrate: [0.7, 0.8],
  estimate: [0.8, 0.85],
  bootstrap: [0.85, 1],
};

export function progressStep(
  p: EstimateWorkerProgress,
  method: PriorEstimate['method'],
  split: string,
): { readonly fraction: number; readonly message: string } {
  const [from, to] = SPAN[p.phase];
  const fraction = from + (to - from) * (p.total > 0 ? p.done / p.total : 0);
  const message = {
    decode: `decoding images ${p.done}/${p.total}`,
    infer: `running the model ${p.done}/${p.total} images`,
    calibrate: method === 'em-bcts' ? `calibrating on the ${split} split (BCTS)` : `reading the ${split} split`,
    estimate: method === 'bbse' ? 'solving BBSE' : 'EM on the deployment posteriors',
    bootstrap: `bootstrap ${p.done}/${p.total} resamples (95% intervals)`,
  }[p.phase];
  return { fraction, message };
}
