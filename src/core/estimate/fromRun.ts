// The deployment prior of unlabelled data, estimated with a finished run: the run's model over a folder of
// images (its input size, channels and normalisation), or logits saved elsewhere (.npz, .safetensors,
// CSV; for imported runs, which have no model), then estimatePrior on the run's labelled validation
// logits. Shared by `lade estimate-prior` and the extension's estimate worker.
import { UserError } from '../userError';
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ImportError, isPredictionsFile, readPredictions } from '../import';
import { initBackend, type BackendChoice, type BackendReport } from '../tf/backend';
import { loadModel } from '../train/modelFiles';
import { decodeImage, resizeInto } from '../train/images';
import { loadRun, type LoadedRun } from '../train/runEvaluation';
import { estimatePrior } from './estimatePrior';
import type { EstimateMethod, EstimateProgress, EstimateResult } from './types';
import { EstimateInputError } from './validate';

const IMAGE = /\.(png|jpe?g)$/i;
const BATCH = 256;

/** decode and infer alternate batch by batch; the rest are estimatePrior's own phases. */
export type RunEstimatePhase = 'decode' | 'infer' | EstimateProgress['phase'];

export interface RunEstimateProgress {
  readonly phase: RunEstimatePhase;
  readonly done: number;
  readonly total: number;
}

export interface RunEstimateOptions {
  readonly runDir: string;
  /** A folder searched recursively for PNG and JPEG files, or a logits file (.npz, .safetensors, .csv). */
  readonly folder: string;
  readonly method: EstimateMethod;
  readonly backend: BackendChoice;
  /** Bootstrap resamples for the 95% intervals; 0 for none. */
  readonly bootstrap: number;
  readonly seed?: number;
  readonly smoothing?: number;
  /** Labelled split of the run to calibrate on (default val). */
  readonly split?: string;
  readonly onProgress?: (progress: RunEstimateProgress) => void;
}

export interface RunEstimate {
  readonly run: LoadedRun;
  /** The backend the model ran on; null for a logits file. */
  readonly backend: BackendReport | null;
  /** Images (or logit rows) that went into the estimate. */
  readonly images: number;
  /** Files that could not be decoded, with the reason. */
  readonly skipped: readonly string[];
  readonly result: EstimateResult;
}

/** The PNG and JPEG files under folder, sorted; an EstimateInputError when there are none. */
export function listDeploymentImages(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch (e) {
    throw new EstimateInputError(`cannot read folder '${folder}': ${(e as Error).message}`);
  }
  const files = entries.filter((f) => IMAGE.test(f)).sort().map((f) => path.join(folder, f));
  if (files.length === 0) throw new EstimateInputError(`no PNG or JPEG images in '${folder}'`);
  return files;
}

interface DeployLogits {
  readonly logits: Float32Array;
  readonly used: number;
  readonly skipped: readonly string[];
}

/** run.json's mean or std for channel c: one number for all, or one per channel. */
const perChannelValue = (v: number | readonly number[], c: number): number => (typeof v === 'number' ? v : v[c]!);

/** Runs the model over the images with the run's input size, channels and normalisation. */
async function deploymentLogits(run: LoadedRun, files: readonly string[], onProgress: (p: RunEstimateProgress) => void): Promise<DeployLogits> {
  const input = run.record.input;
  if (!input) throw new EstimateInputError(`Run '${run.dir}' has no model (imported logits): give the deployment images' logits as a .npz, .safetensors or CSV file instead of a folder.`);
  const { size, mean, std, channels } = input;
  if (channels !== 1 && channels !== 3) throw new UserError(`Run '${run.dir}': run.json input.channels is ${channels}, expected 1 or 3.`);
  const C = run.record.classes.length;
  const model = await loadModel(path.join(run.dir, 'model', 'model.json'));
  const pixels = new Uint8Array(size * size * channels);
  const out: Float32Array[] = [];
  const skipped: string[] = [];
  let used = 0;
  try {
    for (let start = 0; start < files.length; start += BATCH) {
      const batch = files.slice(start, start + BATCH);
      onProgress({ phase: 'decode', done: start, total: files.length });
      const x = new Float32Array(batch.length * pixels.length);
      let rows = 0;
      for (const file of batch) {
        try {
          resizeInto(decodeImage(readFileSync(file), file), size, channels, pixels);
        } catch (e) {
          skipped.push((e as Error).message);
          continue;
        }
        const base = rows++ * pixels.length;
        for (let k = 0; k < pixels.length; k++) x[base + k] = (pixels[k]! / 255 - perChannelValue(mean, k % channels)) / perChannelValue(std, k % channels);
      }
      onProgress({ phase: 'infer', done: start, total: files.length });
      if (rows > 0) {
        const y = tf.tidy(() => model.predict(tf.tensor4d(x.subarray(0, rows * pixels.length), [rows, size, size, channels])) as tf.Tensor);
        out.push((await y.data()) as Float32Array);
        y.dispose();
        used += rows;
      }
    }
    onProgress({ phase: 'infer', done: files.length, total: files.length });
  } finally {
    model.dispose();
  }
  const logits = new Float32Array(used * C);
  let at = 0;
  for (const chunk of out) {
    logits.set(chunk, at);
    at += chunk.length;
  }
  return { logits, used, skipped };
}

/** The run's normalisation as the ONNX loader's flags: run.json holds one value or one per channel. */
const perChannel = (v: number | readonly number[]): string => (typeof v === 'number' ? String(v) : v.join(','));

/** An imported ONNX run: its model.onnx on the CPU runtime, with the normalisation run.json records. */
async function onnxDeploymentLogits(run: LoadedRun, modelFile: string, files: readonly string[], onProgress: (p: RunEstimateProgress) => void): Promise<DeployLogits & { backend: BackendReport }> {
  const { mean, std } = run.record.input!;
  // Loaded on demand: a TF.js run never loads the onnxruntime binary.
  const [{ openOnnxModel }, { inferFiles }] = await Promise.all([import('../onnx/session'), import('../onnx/infer')]);
  const model = await openOnnxModel(modelFile, { mean: perChannel(mean), std: perChannel(std) });
  try {
    if (model.numClasses !== run.record.classes.length) {
      throw new EstimateInputError(`run '${run.dir}': model.onnx outputs ${model.numClasses} logits but the run has ${run.record.classes.length} classes`);
    }
    const { logits, rows, skipped } = await inferFiles(model, files, { skipUndecodable: true, onProgress });
    return { logits, used: rows, skipped, backend: { name: `onnxruntime-${model.provider.name}`, reason: model.provider.reason } };
  } finally {
    await model.session.release();
  }
}

function isLogitsFile(input: string): boolean {
  try {
    return isPredictionsFile(input) && statSync(input).isFile();
  } catch {
    return false;
  }
}

/** Deployment logits saved elsewhere, in the run's class order (labels, if any, are not read). */
function fileLogits(file: string, run: LoadedRun): DeployLogits {
  try {
    const p = readPredictions(file, { labels: 'ignored', classes: run.record.classes });
    return { logits: p.logits, used: p.rows, skipped: [] };
  } catch (e) {
    if (e instanceof ImportError) throw new EstimateInputError(e.message);
    throw e;
  }
}

/**
 * Loads the run, lists the images, initialises the backend, infers and estimates. Problems with the run,
 * the folder or the images throw EstimateInputError with a message that names which.
 */
export async function estimateFromRun(options: RunEstimateOptions): Promise<RunEstimate> {
  let run: LoadedRun;
  try {
    run = loadRun(options.runDir, options.split ?? 'val');
  } catch (e) {
    throw new EstimateInputError((e as Error).message);
  }
  let deploy: DeployLogits;
  let backend: BackendReport | null = null;
  if (isLogitsFile(options.folder)) {
    deploy = fileLogits(options.folder, run);
  } else {
    const files = listDeploymentImages(options.folder);
    const onProgress = options.onProgress ?? (() => undefined);
    // A run with model.onnx (an ONNX import) and no TF.js model runs on onnxruntime; the TF.js backend is not needed.
    const onnxFile = path.join(run.dir, 'model.onnx');
    if (!existsSync(path.join(run.dir, 'model', 'model.json')) && existsSync(onnxFile)) {
      const inferred = await onnxDeploymentLogits(run, onnxFile, files, onProgress);
      backend = inferred.backend;
      deploy = inferred;
    } else {
      backend = await initBackend(options.backend);
      deploy = await deploymentLogits(run, files, onProgress);
    }
    if (deploy.used === 0) {
      throw new EstimateInputError(`none of the ${files.length} images in '${options.folder}' could be decoded; first: ${deploy.skipped[0]}`);
    }
  }
  const result = estimatePrior({
    valLogits: run.logits,
    valLabels: run.labels,
    deployLogits: deploy.logits,
    numClasses: run.record.classes.length,
    lossKind: run.record.loss,
    sourcePrior: run.record.sourcePrior,
    method: options.method,
    bootstrap: options.bootstrap,
    seed: options.seed,
    smoothing: options.smoothing,
    classNames: run.record.classes,
    onProgress: options.onProgress,
  });
  return { run, backend, images: deploy.used, skipped: deploy.skipped, result };
}
