// One training run, in process: scan the folder, decode into the pixel cache, train with checkpoints
// every epoch, then save the model, the evaluation logits and run.json. Cancel (AbortSignal) stops at the
// next step boundary with a resumable checkpoint; `resume` continues from it with the same shuffles and
// augmentations the uninterrupted run would have drawn.
import { UserError } from '../userError';
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fusedLadeLoss, ladeCrossEntropy, logitAdjustedCrossEntropy, softmaxCrossEntropy } from '../losses';
import { initBackend } from '../tf/backend';
import type { TrainConfig } from '../runs/config';
import type { EpochRecord, TrainedRunRecord } from '../runs/record';
import { writeRun } from '../runs/writer';
import { prepareRunFolder } from './runFolder';
import { resumeConfig } from './resume';
import { fillBatch, NORMALISATION, type BatchShape } from './batches';
import { checkpointPath, readCheckpoint, writeCheckpoint, type CheckpointState, type TensorEntry } from './checkpoint';
import { resolveConfig, type TrainConfigInput } from './config';
import { computeLogits } from './evaluate';
import { accuracyOf, writeEvalFiles } from './evalFiles';
import { decodeImage, ImageDecodeError, isGray } from './images';
import { loadModel, saveModel } from './modelFiles';
import { buildModel, splitAtHead, withNewHead } from './models';
import { learningRate, Optimizer } from './optimizer';
import { buildPixelCache, DecodeCancelled, openPixelCache, type PixelCacheFile, type PixelSource } from './pixelCache';
import { Rng } from '../rng';
import { trainStep, type LossFn } from './trainStep';
import type { LogLevel, Phase, TrainProgress } from './workerMessages';
import { ReplicaPair } from './dataParallel';
import { classCounts, holdOutValidation, listImageFolder, type Sample } from './samples';

export interface TrainHooks {
  readonly onProgress?: (p: TrainProgress) => void;
  readonly onLog?: (level: LogLevel, message: string) => void;
  /** After each epoch's checkpoint, so live views can draw the curves while the run goes on. */
  readonly onEpoch?: (record: EpochRecord) => void;
  readonly signal?: AbortSignal;
  /** The data-parallel replica script (default: replica.worker.js next to this bundle). */
  readonly replicaWorkerPath?: string;
  /** Replace a run already in outDir, or write into the dataset folder (otherwise both are refused). */
  readonly force?: boolean;
}

interface SplitData {
  readonly name: string;
  readonly source: PixelSource;
  readonly labels: Int32Array;
}

function detectChannels(samples: readonly Sample[]): 1 | 3 {
  const probe = samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 16)) === 0).slice(0, 16);
  // An undecodable probe says nothing about colour; the pixel cache reports it.
  const gray = (s: Sample): boolean => {
    try {
      return isGray(decodeImage(readFileSync(s.path), s.path));
    } catch (e) {
      if (e instanceof ImageDecodeError) return true;
      throw e;
    }
  };
  return probe.every(gray) ? 1 : 3;
}

export function lossFunction(config: Pick<TrainConfig, 'loss' | 'alpha' | 'lambda'>, sourcePrior: readonly number[]): LossFn {
  switch (config.loss) {
    case 'lade':
      return (z, y) => fusedLadeLoss(z, y, sourcePrior, { alpha: config.alpha, lambda: config.lambda });
    case 'bs':
      return (z, y) => ladeCrossEntropy(z, y, sourcePrior);
    case 'ce':
      return (z, y) => softmaxCrossEntropy(z, y);
    case 'la':
      return (z, y) => logitAdjustedCrossEntropy(z, y, sourcePrior);
  }
}

function yieldToEvents(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export async function trainRun(input: TrainConfigInput, hooks: TrainHooks = {}): Promise<TrainedRunRecord> {
  const config = input.resume ? resumeConfig(input) : resolveConfig(input);
  const runDir = path.resolve(config.outDir);
  const created = prepareRunFolder(runDir, path.resolve(config.dataDir), { resume: config.resume, force: hooks.force === true });
  try {
    return await train(config, runDir, hooks);
  } catch (e) {
    // A run that failed before its first checkpoint leaves nothing worth keeping in a folder it made.
    if (created && !existsSync(checkpointPath(runDir))) rmSync(runDir, { recursive: true, force: true });
    throw e;
  }
}

async function train(config: TrainConfig, runDir: string, hooks: TrainHooks): Promise<TrainedRunRecord> {
  const startedAt = new Date().toISOString();
  const log = (level: LogLevel, message: string): void => hooks.onLog?.(level, message);

  const backend = await initBackend(config.backend);
  log('info', `backend ${backend.name}: ${backend.reason}`);
  // Reported once per step, per 256 decoded images and per evaluated batch: few enough for a worker channel.
  const emit = (p: Omit<TrainProgress, 'backend' | 'backendReason' | 'epochs'>): void => {
    hooks.onProgress?.({ ...p, epochs: config.epochs, backend: backend.name, backendReason: backend.reason });
  };
  const phase = (name: Phase, step: number, steps: number): void =>
    emit({ phase: name, epoch: 0, step, steps, loss: { total: 0 }, accuracy: 0, lr: 0, imagesPerSec: 0, etaSec: 0 });

  // Scan.
  let t0 = Date.now();
  phase('scan', 0, 1);
  const listing = await listImageFolder(config.dataDir);
  for (const w of listing.warnings) log('warn', w.message);
  const numClasses = listing.classes.length;
  let train = [...(listing.splits.get('train') ?? [])];
  const splits = new Map<string, readonly Sample[]>(listing.splits);
  if (!splits.has('val') && config.valFraction > 0) {
    const held = holdOutValidation(train, numClasses, config.valFraction, config.seed);
    train = held.train;
    splits.set('val', held.val);
    log('info', `no val/ split: held out ${held.val.length} training images (stratified, ${config.valFraction * 100}%)`);
  }
  let trainCounts = classCounts(train, numClasses);
  let sourcePrior = trainCounts.map((n) => n / train.length);
  const channels = config.channels === 'auto' ? detectChannels(train) : config.channels;
  const shape: BatchShape = { size: config.size, channels };
  const scanMs = Date.now() - t0;
  /** Writes run.json for a run that ends now: what every record holds, plus its timings and results. */
  const finish = (
    status: 'completed' | 'cancelled',
    timings: TrainedRunRecord['timings'],
    results: Pick<TrainedRunRecord, 'history' | 'evalSplits' | 'finalAccuracy'>,
  ): TrainedRunRecord =>
    writeRun(runDir, {
      version: 2,
      name: path.basename(runDir),
      status,
      loss: config.loss,
      origin: { kind: 'trained', engine: 'tfjs', processes: config.workers },
      config,
      classes: listing.classes,
      trainCounts,
      sourcePrior,
      backend,
      input: { size: config.size, channels, mean: NORMALISATION.mean, std: NORMALISATION.std },
      timings,
      ...results,
      startedAt,
      finishedAt: new Date().toISOString(),
    });

  // Decode into the pixel cache.
  t0 = Date.now();
  const evalNames = ['val', 'test'].filter((s) => (splits.get(s) ?? []).length > 0);
  const toDecode: [string, readonly Sample[]][] = [['train', train], ...evalNames.map((s): [string, readonly Sample[]] => [s, splits.get(s)!])];
  const total = toDecode.reduce((n, [, s]) => n + s.length, 0);
  let decodedBefore = 0;
  const data = new Map<string, SplitData>();
  for (const [name, samples] of toDecode) {
    let cache: PixelCacheFile;
    try {
      cache = await buildPixelCache(path.join(runDir, 'cache'), name, samples, {
        size: config.size,
        channels,
        signal: hooks.signal,
        onProgress: (done) => phase('decode', decodedBefore + done, total),
      });
    } catch (e) {
      if (!(e instanceof DecodeCancelled)) throw e;
      for (const d of data.values()) d.source.close();
      log('info', 'cancelled while decoding images: nothing trained yet');
      return finish('cancelled', { scanMs, decodeMs: Date.now() - t0, trainMs: 0, evalMs: 0 }, { history: [], evalSplits: [], finalAccuracy: {} });
    }
    decodedBefore += samples.length;
    const skipped = new Set(cache.skipped.map((s) => s.index));
    for (const s of cache.skipped) log('warn', `skipped ${s.path} (${name}): cannot decode it: ${s.reason}`);
    const kept = samples.filter((_, i) => !skipped.has(i));
    if (name === 'train' && skipped.size > 0) {
      train = kept;
      trainCounts = classCounts(train, numClasses);
      sourcePrior = trainCounts.map((n) => n / train.length);
    }
    data.set(name, { name, source: openPixelCache(cache.file, config.size * config.size * channels), labels: Int32Array.from(kept, (s) => s.label) });
  }
  phase('decode', total, total);
  const decodeMs = Date.now() - t0;

  const rng = new Rng(config.seed);
  let model: tf.LayersModel;
  if (config.finetune) {
    const base = await loadModel(config.finetune.modelJson);
    model = withNewHead(base, numClasses, rng, config.finetune.freezeBackbone);
  } else {
    model = buildModel({ kind: config.model, size: config.size, channels, numClasses, width: config.width }, rng);
  }
  // Head retuning trains a head-only model on features computed once; otherwise the whole model steps.
  let stepModel = model;
  let trainFeatures: { values: Float32Array; dim: number } | undefined;
  if (config.retuneHead) {
    const parts = splitAtHead(model);
    const source = data.get('train')!;
    const values = await computeLogits(parts.features, source.source, source.labels, shape, (d, t) => phase('evaluate', d, t));
    trainFeatures = { values, dim: values.length / source.labels.length };
    stepModel = parts.head;
    log('info', `retuning the head on cached ${trainFeatures.dim}-dimensional features of ${source.labels.length} images`);
  }
  const vars = stepModel.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new Optimizer(vars, { kind: config.optimizer, momentum: config.momentum, weightDecay: config.weightDecay });
  const lossFn = lossFunction(config, sourcePrior);
  const fingerprint = JSON.stringify({
    model: config.finetune ? config.finetune.modelJson : config.model,
    retuneHead: config.retuneHead === true,
    width: config.width,
    size: config.size,
    channels,
    classes: listing.classes,
    trainCounts,
    loss: config.loss,
    optimizer: config.optimizer,
  });

  const trainData = data.get('train')!;
  const n = trainData.labels.length;
  const batch = Math.min(config.batchSize, n);
  const stepsPerEpoch = Math.max(1, Math.floor(n / batch));
  const totalSteps = stepsPerEpoch * config.epochs;
  const schedule = {
    kind: config.schedule,
    peak: config.lr,
    warmupSteps: Math.round(config.warmupEpochs * stepsPerEpoch),
    totalSteps,
  };

  let startEpoch = 0;
  let startStep = 0;
  let globalStep = 0;
  let epochRngState = rng.getState();
  const history: EpochRecord[] = [];
  let partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
  let resumeRngState: number | undefined;
  if (config.resume) {
    const ckpt = readCheckpoint(runDir);
    if (!ckpt) throw new UserError(`cannot resume: no checkpoint.bin in ${runDir}`);
    if (ckpt.globalStep > totalSteps) {
      throw new UserError(`cannot resume ${runDir}: its checkpoint is at step ${ckpt.globalStep}, past the ${totalSteps} steps of this schedule`);
    }
    if (ckpt.fingerprint !== fingerprint) {
      throw new UserError(`Cannot resume from '${runDir}': its checkpoint was made with a different model, loss, input or dataset.`);
    }
    const current = model.getWeights();
    if (current.length !== ckpt.weights.length) throw new UserError(`Checkpoint in '${runDir}' does not fit the model.`);
    const restored = ckpt.weights.map((w) => tf.tensor(w.values, w.shape));
    model.setWeights(restored);
    tf.dispose(restored);
    optimizer.setState({ step: ckpt.optimizerStep, slots: ckpt.slots.map((s) => ({ ...s })) });
    startEpoch = ckpt.epoch;
    startStep = ckpt.stepInEpoch;
    globalStep = ckpt.globalStep;
    epochRngState = ckpt.epochRngState;
    resumeRngState = ckpt.rngState;
    history.push(...ckpt.history);
    // Live views start from the restored history, so a resumed run shows one continuous curve.
    for (const e of ckpt.history) hooks.onEpoch?.(e);
    partial = { ...ckpt.partial };
    log('info', `resumed at epoch ${startEpoch + 1}, step ${startStep} of ${stepsPerEpoch}`);
  }

  const saveCheckpoint = async (epoch: number, stepInEpoch: number): Promise<void> => {
    const weights: TensorEntry[] = [];
    const values = model.getWeights();
    for (let i = 0; i < values.length; i++) {
      weights.push({ key: String(i), shape: values[i].shape, values: (await values[i].data()) as Float32Array });
    }
    const opt = await optimizer.getState();
    const state: CheckpointState = {
      epoch,
      stepInEpoch,
      globalStep,
      epochRngState,
      rngState: rng.getState(),
      optimizerStep: opt.step,
      history,
      partial,
      fingerprint,
      weights,
      slots: opt.slots,
      config,
    };
    writeCheckpoint(runDir, state);
  };

  const rowSize = trainFeatures ? trainFeatures.dim : trainData.source.sampleBytes;
  const xShape = trainFeatures ? [batch, trainFeatures.dim] : [batch, config.size, config.size, channels];
  const x = new Float32Array(batch * rowSize);
  const y = new Int32Array(batch);
  let replica: ReplicaPair | undefined;
  if (config.workers === 2 && batch >= 2) {
    const opt = await optimizer.getState();
    const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
    replica = await ReplicaPair.start(
      {
        type: 'init',
        spec: { kind: config.model, size: config.size, channels, numClasses, width: config.width },
        loss: config,
        sourcePrior,
        optimizer: { kind: config.optimizer, momentum: config.momentum, weightDecay: config.weightDecay },
        weights,
        optimizerState: opt,
      },
      hooks.replicaWorkerPath,
    );
    log('info', 'data parallel: 2 engines, half of each batch each, gradients averaged every step');
  }
  const trainStart = Date.now();
  let cancelled = false;
  try {
    for (let epoch = startEpoch; epoch < config.epochs && !cancelled; epoch++) {
      rng.setState(epochRngState);
      const order = rng.permutation(n);
      // After a mid-epoch resume the augmentation stream continues where the checkpoint left it.
      if (epoch === startEpoch && startStep > 0 && resumeRngState !== undefined) rng.setState(resumeRngState);
      const epochStart = Date.now() - partial.seconds * 1000;
      let sessionEpochStart = Date.now();
      let sessionImages = 0;
      let lr = 0;
      for (let step = epoch === startEpoch ? startStep : 0; step < stepsPerEpoch; step++) {
        const indices = order.subarray(step * batch, (step + 1) * batch);
        if (trainFeatures) {
          const { values, dim } = trainFeatures;
          indices.forEach((i, b) => {
            x.set(values.subarray(i * dim, (i + 1) * dim), b * dim);
            y[b] = trainData.labels[i];
          });
        } else {
          fillBatch(trainData.source, trainData.labels, indices, shape, x, y, config.augment ? rng : undefined);
        }
        lr = learningRate(globalStep, schedule);
        const { loss: lossValue, correct } = replica
          ? await replica.step(stepModel, vars, optimizer, lossFn, x, y, xShape, lr)
          : await trainStep(stepModel, vars, optimizer, lossFn, x, y, xShape, lr);
        if (!Number.isFinite(lossValue)) {
          throw new UserError(`Training diverged: loss is ${lossValue} at epoch ${epoch + 1}, step ${step + 1}; lower --lr (now ${config.lr}).`);
        }
        globalStep++;
        sessionImages += batch;
        partial = {
          lossSum: partial.lossSum + lossValue * batch,
          correct: partial.correct + correct,
          seen: partial.seen + batch,
          seconds: (Date.now() - epochStart) / 1000,
        };
        const rate = sessionImages / Math.max(1e-3, (Date.now() - sessionEpochStart) / 1000);
        const stepsLeft = totalSteps - globalStep;
        emit(
          {
            phase: 'train',
            epoch: epoch + 1,
            step: step + 1,
            steps: stepsPerEpoch,
            loss: { total: partial.lossSum / partial.seen },
            accuracy: partial.correct / partial.seen,
            lr,
            imagesPerSec: rate,
            etaSec: (stepsLeft * batch) / rate,
          });
        await yieldToEvents();
        if (hooks.signal?.aborted && step + 1 < stepsPerEpoch) {
          await saveCheckpoint(epoch, step + 1);
          log('info', `cancelled at epoch ${epoch + 1}, step ${step + 1}: checkpoint saved, continue with --resume`);
          cancelled = true;
          break;
        }
      }
      if (cancelled) break;
      const val = data.get('val');
      let valAccuracy: number | null = null;
      if (val) valAccuracy = accuracyOf(await computeLogits(model, val.source, val.labels, shape), val.labels, numClasses);
      const seconds = (Date.now() - epochStart) / 1000;
      history.push({
        epoch: epoch + 1,
        loss: partial.lossSum / partial.seen,
        trainAccuracy: partial.correct / partial.seen,
        valAccuracy,
        lr,
        seconds,
        imagesPerSec: partial.seen / seconds,
      });
      partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      epochRngState = rng.getState();
      await saveCheckpoint(epoch + 1, 0);
      const last = history[history.length - 1];
      hooks.onEpoch?.(last);
      log(
        'info',
        `epoch ${epoch + 1}/${config.epochs}: loss ${last.loss.toFixed(4)}, train acc ${(100 * last.trainAccuracy).toFixed(1)}%` +
          (valAccuracy === null ? '' : `, val acc ${(100 * valAccuracy).toFixed(1)}%`) +
          `, ${last.imagesPerSec.toFixed(0)} img/s`,
      );
      sessionEpochStart = Date.now();
      if (hooks.signal?.aborted && epoch + 1 < config.epochs) {
        log('info', `cancelled after epoch ${epoch + 1}: checkpoint saved, continue with --resume`);
        cancelled = true;
      }
    }
  } finally {
    await replica?.close();
  }
  const trainMs = Date.now() - trainStart;

  // Evaluate and save.
  t0 = Date.now();
  const finalAccuracy: Record<string, number> = {};
  const evalSplits: { name: string; count: number }[] = [];
  if (!cancelled) {
    await saveModel(model, path.join(runDir, 'model'));
    for (const name of evalNames) {
      const split = data.get(name)!;
      const logits = await computeLogits(model, split.source, split.labels, shape, (d, t) => phase('evaluate', d, t));
      writeEvalFiles(runDir, name, logits, split.labels);
      finalAccuracy[name] = 100 * accuracyOf(logits, split.labels, numClasses);
      evalSplits.push({ name, count: split.labels.length });
    }
  }
  const evalMs = Date.now() - t0;
  for (const d of data.values()) d.source.close();
  optimizer.dispose();
  model.dispose();

  return finish(cancelled ? 'cancelled' : 'completed', { scanMs, decodeMs, trainMs, evalMs }, { history, evalSplits, finalAccuracy });
}
