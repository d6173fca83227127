// `lade estimate-prior <run> <unlabelled-folder>`: the deployment class distribution of a folder of
// unlabelled images, from a finished run's model and its labelled validation logits (src/core/estimate).
import * as tf from '@tensorflow/tfjs';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { estimatePrior, EstimateInputError, type EstimateMethod, type EstimateResult, type LossKind } from '../core/estimate';
import { priorNameProblem, serializePriorFile } from '../core/priors/files';
import { initBackend, type BackendChoice } from '../core/tf/backend';
import { loadModel } from '../core/train';
import { decodeImage, resizeInto } from '../core/train/images';
import { loadRun, type LoadedRun } from '../core/train/runEvaluation';
import { EXIT_OK, numberFlag, parseCommandLine, UsageError, type CliIo } from './command';

export const usage = `Usage: lade estimate-prior <run> <unlabelled-folder> [options]

Estimates the class distribution of a folder of unlabelled deployment images (searched recursively for
PNG and JPEG files) with the run's model: EM on posteriors calibrated on the run's labelled validation
split (bias-corrected temperature scaling), with bootstrap 95% intervals. Assumes label shift: the
classes' proportions changed, not what each class looks like; a warning says when that looks violated.

Options:
  --method M       em-bcts (default), em (uncalibrated) or bbse (confusion-matrix inversion)
  --bootstrap N    resamples for the 95% intervals (default 200; 0 for none)
  --seed N         bootstrap seed (default 0)
  --smoothing A    Dirichlet pseudo-count added to every class in EM (default 0)
  --split S        labelled split of the run to calibrate on (default val)
  --out FILE       also write the estimate as a prior file (usable as lade eval --prior FILE)
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
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const METHODS: readonly EstimateMethod[] = ['em-bcts', 'em', 'bbse'];
const IMAGE = /\.(png|jpe?g)$/i;
const BATCH = 256;

/** The run's training loss decides how its logits become source posteriors. */
const LOSS_KIND: Record<string, LossKind> = { ce: 'ce', lade: 'lade', bs: 'balanced-softmax' };

export function listImages(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch (e) {
    throw new UsageError(`lade estimate-prior: cannot read folder '${folder}': ${(e as Error).message}`);
  }
  const files = entries.filter((f) => IMAGE.test(f)).sort().map((f) => path.join(folder, f));
  if (files.length === 0) throw new UsageError(`lade estimate-prior: no PNG or JPEG images in '${folder}'`);
  return files;
}

interface DeployLogits {
  readonly logits: Float32Array;
  readonly used: number;
  /** Files that could not be decoded, with the reason. */
  readonly skipped: readonly string[];
}

/** Runs the model over the images with the run's input size, channels and normalisation. */
async function deploymentLogits(run: LoadedRun, files: readonly string[], onBatch: (done: number) => void): Promise<DeployLogits> {
  const { size, mean, std } = run.record.input;
  const channels = run.record.input.channels;
  if (channels !== 1 && channels !== 3) throw new Error(`Run '${run.dir}': run.json input.channels is ${channels}, expected 1 or 3.`);
  const C = run.record.classes.length;
  const model = await loadModel(path.join(run.dir, 'model', 'model.json'));
  const pixels = new Uint8Array(size * size * channels);
  const out: Float32Array[] = [];
  const skipped: string[] = [];
  let used = 0;
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    const x = new Float32Array(batch.length * pixels.length);
    let rows = 0;
    for (const file of batch) {
      try {
        resizeInto(decodeImage(readFileSync(file), file), size, channels as 1 | 3, pixels);
      } catch (e) {
        skipped.push((e as Error).message);
        continue;
      }
      const base = rows++ * pixels.length;
      for (let k = 0; k < pixels.length; k++) x[base + k] = (pixels[k] / 255 - mean) / std;
    }
    if (rows > 0) {
      const y = tf.tidy(() => model.predict(tf.tensor4d(x.subarray(0, rows * pixels.length), [rows, size, size, channels])) as tf.Tensor);
      out.push((await y.data()) as Float32Array);
      y.dispose();
      used += rows;
    }
    onBatch(start + batch.length);
  }
  model.dispose();
  const logits = new Float32Array(used * C);
  let at = 0;
  for (const chunk of out) {
    logits.set(chunk, at);
    at += chunk.length;
  }
  return { logits, used, skipped };
}

export interface EstimateReport {
  readonly run: string;
  readonly folder: string;
  readonly images: number;
  readonly skipped: readonly string[];
  readonly classes: readonly string[];
  /** The run's training prior p_s. */
  readonly trainPrior: readonly number[];
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
    lines.push(`calibration: T = ${cal.T.toFixed(3)}, validation NLL ${cal.nllUncalibrated.toFixed(4)} -> ${cal.nll.toFixed(4)}`);
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
    classes: r.classes,
    trainPrior: r.trainPrior,
    validationPrior: list(result.sourcePrior),
    prior: list(result.prior),
    intervals: result.intervals && {
      level: result.intervals.level,
      resamples: result.intervals.resamples,
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

function loadRunOrExplain(dir: string, split: string): LoadedRun {
  try {
    return loadRun(dir, split);
  } catch (e) {
    throw new UsageError(`lade estimate-prior: ${(e as Error).message}`);
  }
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommandLine('estimate-prior', argv, OPTIONS);
  if (positionals.length !== 2) {
    throw new UsageError(
      `lade estimate-prior: expected a run folder and an image folder, got ${positionals.length} argument(s) ` +
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
  }

  const run = loadRunOrExplain(runDir, v.split ?? 'val');
  const lossKind = LOSS_KIND[run.record.config.loss];
  if (!lossKind) throw new UsageError(`lade estimate-prior: run '${runDir}' has an unknown loss '${run.record.config.loss}'`);
  const files = listImages(folder);
  const progress = (text: string): void => {
    if (io.interactive) io.err(`\r${text}\x1b[K`);
  };
  await initBackend((v.backend ?? 'auto') as BackendChoice);
  const deploy = await deploymentLogits(run, files, (done) => progress(`inference ${done}/${files.length}`));
  if (deploy.used === 0) {
    throw new UsageError(
      `lade estimate-prior: none of the ${files.length} images in '${folder}' could be decoded; first: ${deploy.skipped[0]}`,
    );
  }

  let result: EstimateResult;
  try {
    result = estimatePrior({
      valLogits: run.logits,
      valLabels: run.labels,
      deployLogits: deploy.logits,
      numClasses: run.record.classes.length,
      lossKind,
      sourcePrior: run.record.sourcePrior,
      method,
      bootstrap: num('bootstrap') ?? 200,
      seed: num('seed'),
      smoothing: num('smoothing'),
      classNames: run.record.classes,
      onProgress: (p) => progress(`${p.phase} ${p.done}/${p.total}`),
    });
  } catch (e) {
    if (e instanceof EstimateInputError) throw new UsageError(`lade estimate-prior: ${e.message}`);
    throw e;
  }
  if (io.interactive) io.err('\r\x1b[K');

  const report: EstimateReport = {
    run: runDir,
    folder,
    images: deploy.used,
    skipped: deploy.skipped,
    classes: run.record.classes,
    trainPrior: run.record.sourcePrior,
    result,
  };
  if (v.out !== undefined) {
    const intervals = result.intervals;
    writeFileSync(
      v.out,
      serializePriorFile({
        name: path.basename(v.out, '.json'),
        origin: `estimated (${method}) from ${deploy.used} images in ${folder}`,
        classes: run.record.classes,
        shares: Array.from(result.prior),
        intervals: intervals && run.record.classes.map((_, c) => [intervals.lo[c]!, intervals.hi[c]!] as const),
      }),
    );
  }
  io.out(v.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : formatReport(report));
  return EXIT_OK;
}
