// `lade estimate-prior <run> <unlabelled-folder|logits-file>`: the deployment class distribution of a
// folder of unlabelled images (through the run's model) or of logits saved elsewhere, calibrated on the
// run's labelled validation logits (src/core/estimate).
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomicWrite';
import path from 'node:path';
import { EstimateInputError, type EstimateMethod, type EstimateResult } from '../core/estimate';
import { estimateFromRun, type RunEstimate } from '../core/estimate/fromRun';
import { priorNameProblem, serializePriorFile } from '../core/priors/files';
import type { BackendChoice } from '../core/tf/backend';
import { EXIT_OK, numberFlag, parseCommandLine, UsageError, type CliIo } from './command';

export const usage = `Usage: lade estimate-prior <run> <unlabelled-folder|logits-file> [options]

Estimates the class distribution of a folder of unlabelled deployment images (searched recursively for
PNG and JPEG files) with the run's model, or of the model's logits on them saved elsewhere (.npz or
.safetensors with 'logits' [N, C], or CSV with one column per class; for imported runs, which have no
model): EM on posteriors calibrated on the run's labelled validation split (bias-corrected temperature
scaling), with bootstrap 95% intervals. Assumes label shift: the classes' proportions changed, not what
each class looks like; a warning says when that looks violated.

Options:
  --method M       em-bcts (default), em (uncalibrated) or bbse (confusion-matrix inversion)
  --bootstrap N    resamples for the 95% intervals (default 200; 0 for none; at most 10000)
  --seed N         bootstrap seed (default 0)
  --smoothing A    Dirichlet pseudo-count added to every class in EM (default 0)
  --split S        labelled split of the run to calibrate on (default val)
  --out FILE       also write the estimate as a prior file (usable as lade eval --prior FILE)
  --force          replace FILE when it exists
  --backend B      auto (default), wasm, cpu, webgpu or tensorflow
  --json           print JSON instead of the table
  -h, --help       show this help
`;

const OPTIONS = {
  method: { type: 'string' },
  bootstrap: { type: 'string' },
  seed: { type: 'string' },
  smoothing: { type: 'string' },
  split: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const METHODS: readonly EstimateMethod[] = ['em-bcts', 'em', 'bbse'];
/** Enough for stable 95% intervals; memory grows with it (one estimate per resample). */
const MAX_BOOTSTRAP = 10_000;

export interface EstimateReport {
  readonly run: string;
  readonly folder: string;
  readonly images: number;
  readonly skipped: readonly string[];
  readonly classes: readonly string[];
  /** The run's training prior p_s. */
  readonly trainPrior: readonly number[];
  /** The labelled split calibrated on, and its number of images. */
  readonly split: string;
  readonly splitImages: number;
  readonly result: EstimateResult;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function formatReport(r: EstimateReport): string {
  const { result } = r;
  const cal = result.calibration;
  const head =
    `Estimated deployment prior of ${r.images} images in ${r.folder} (${result.method}` +
    (result.method === 'bbse' ? ')' : `, EM ${result.iterations} iterations)`);
  const lines = [head];
  if (result.method === 'em-bcts') {
    lines.push(
      `calibration on the ${r.split} split (${r.splitImages} images): T = ${cal.T.toFixed(3)}, NLL ${cal.nllUncalibrated.toFixed(4)} -> ${cal.nll.toFixed(4)}`,
    );
  }
  const width = Math.max(5, ...r.classes.map((c) => c.length));
  lines.push(`  ${'class'.padEnd(width)}   train  estimate${result.intervals ? '  95% interval' : ''}`);
  r.classes.forEach((name, c) => {
    const iv = result.intervals ? `  [${pct(result.intervals.lo[c])}, ${pct(result.intervals.hi[c])}]` : '';
    lines.push(`  ${name.padEnd(width)}  ${pct(r.trainPrior[c]!).padStart(6)}  ${pct(result.prior[c]!).padStart(8)}${iv}`);
  });
  const notes = [...result.warnings];
  if (r.skipped.length > 0) notes.push(`${r.skipped.length} image(s) could not be decoded and were left out; first: ${r.skipped[0]}`);
  if (notes.length > 0) lines.push('', 'warnings:', ...notes.map((w) => `  - ${w}`));
  return `${lines.join('\n')}\n`;
}

export function reportJson(r: EstimateReport): object {
  const { result } = r;
  const list = (a: Float64Array): number[] => Array.from(a);
  return {
    run: r.run,
    folder: r.folder,
    images: r.images,
    skipped: r.skipped,
    method: result.method,
    split: r.split,
    splitImages: r.splitImages,
    classes: r.classes,
    trainPrior: r.trainPrior,
    validationPrior: list(result.sourcePrior),
    prior: list(result.prior),
    intervals: result.intervals && {
      level: result.intervals.level,
      resamples: result.intervals.resamples,
      includesCalibration: result.intervals.includesCalibration,
      lo: list(result.intervals.lo),
      hi: list(result.intervals.hi),
    },
    iterations: result.iterations,
    converged: result.converged,
    calibration: { ...result.calibration, b: list(result.calibration.b) },
    shiftCheck: {
      statistic: Number.isNaN(result.shiftCheck.statistic) ? null : result.shiftCheck.statistic,
      threshold: Number.isNaN(result.shiftCheck.threshold) ? null : result.shiftCheck.threshold,
      violated: result.shiftCheck.violated,
    },
    warnings: result.warnings,
  };
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommandLine('estimate-prior', argv, OPTIONS);
  if (positionals.length !== 2) {
    throw new UsageError(
      `lade estimate-prior: expected a run folder and an image folder or logits file, got ${positionals.length} argument(s) ` +
        '(see lade estimate-prior --help)',
    );
  }
  const [runDir, folder] = positionals as [string, string];
  const method = (v.method ?? 'em-bcts') as EstimateMethod;
  if (!METHODS.includes(method)) throw new UsageError(`lade estimate-prior: --method must be one of ${METHODS.join(', ')}, got '${method}'`);
  const num = (flag: 'bootstrap' | 'seed' | 'smoothing'): number | undefined => numberFlag('estimate-prior', flag, v[flag]);
  if (v.out !== undefined) {
    const problem = priorNameProblem(path.basename(v.out, '.json'));
    if (problem) throw new UsageError(`lade estimate-prior: --out ${problem}`);
    if (existsSync(v.out) && !v.force) throw new UsageError(`lade estimate-prior: ${v.out} exists; add --force to replace it`);
  }
  const bootstrap = num('bootstrap') ?? 200;
  if (!Number.isInteger(bootstrap) || bootstrap < 0 || bootstrap > MAX_BOOTSTRAP) {
    throw new UsageError(`lade estimate-prior: --bootstrap expects a whole number from 0 to ${MAX_BOOTSTRAP}, got ${v.bootstrap}`);
  }

  const progress = (text: string): void => {
    if (io.interactive) io.err(`\r${text}\x1b[K`);
  };
  const split = v.split ?? 'val';
  let estimate: RunEstimate;
  try {
    estimate = await estimateFromRun({
      runDir,
      folder,
      method,
      backend: (v.backend ?? 'auto') as BackendChoice,
      split,
      bootstrap,
      seed: num('seed'),
      smoothing: num('smoothing'),
      onProgress: (p) => progress(`${p.phase} ${p.done}/${p.total}`),
    });
  } catch (e) {
    if (e instanceof EstimateInputError) throw new UsageError(`lade estimate-prior: ${e.message}`);
    throw e;
  }
  if (io.interactive) io.err('\r\x1b[K');
  const { run, result } = estimate;

  const report: EstimateReport = {
    run: runDir,
    folder,
    images: estimate.images,
    skipped: estimate.skipped,
    classes: run.record.classes,
    trainPrior: run.record.sourcePrior,
    split,
    splitImages: run.labels.length,
    result,
  };
  if (v.out !== undefined) {
    const intervals = result.intervals;
    writeFileAtomic(
      v.out,
      serializePriorFile({
        name: path.basename(v.out, '.json'),
        origin: `estimated (${method}) from ${estimate.images} images in ${folder}`,
        classes: run.record.classes,
        shares: Array.from(result.prior),
        intervals: intervals && run.record.classes.map((_, c) => [intervals.lo[c]!, intervals.hi[c]!] as const),
      }),
    );
  }
  io.out(v.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : formatReport(report));
  return EXIT_OK;
}
