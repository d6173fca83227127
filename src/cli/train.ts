// `lade train <dir>`: train a model on an image-folder dataset into a run folder, printing progress and a
// summary. Ctrl-C once stops at the next step with a resumable checkpoint; twice quits at once.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { trainRun } from '../core/train';
import type { TrainConfigInput, TrainHooks } from '../core/train';
import { chooseEngine, DEVICES, ENGINES, EngineUnavailable, type EngineSetting, type TorchDevice } from '../core/engines/engine';
import { pythonCandidates, torchPackageDir } from '../core/engines/python';
import { torchEnv, trainWithTorch, TorchUserError } from '../core/engines/torchRunner';
import type { LossKind } from '../core/runs/lossKind';
import { runName } from '../core/runs/naming';
import { checkpointPath } from '../core/train/checkpoint';
import { loadRun } from '../core/train/runEvaluation';
import type { TrainProgress } from '../protocol/training';
import { EXIT_CANCELLED, EXIT_OK, numberFlag, parseCommandLine, UsageError, type CliIo } from './command';

export const usage = `Usage: lade train <dir> [options]

Trains an image classifier on <dir> (class folders, or train/ [val/ test/] folders of class folders) and
writes the run folder: run.json, model/ (TF.js layers model), logits-<split>.bin and labels-<split>.bin for
evaluation, checkpoint.bin (every epoch; resumable). Without val/, 10% of each class is held out.

Options:
  --out DIR          run folder (default .lade/runs/<dataset>-<loss>-<YYYYMMDD-HHMMSS>)
  --loss L           lade (default), ce, or bs (Balanced Softmax); the torch engine also la (logit adjustment)
  --model M          cnn (default) or resnet20; the torch engine also tv:<torchvision classifier>
  --width N          ResNet base width (default 16)
  --epochs N         (default 10)
  --batch N          batch size (default 128)
  --optimizer O      sgd (default, momentum 0.9) or adam
  --lr X             peak learning rate (default 0.05)
  --weight-decay X   L2 on kernels (default 5e-4)
  --schedule S       cosine (default) or step, after --warmup epochs (default 1)
  --warmup N         warm-up epochs
  --size N           input side in pixels (default 32)
  --no-augment       no random crop / flip
  --seed N           (default 0)
  --alpha A          LADE regularizer weight (default 0.1)
  --lambda L         LADE B^2 weight (default 0.01)
  --backend B        auto (default), wasm, cpu, webgpu or tensorflow
  --finetune FILE    start from a TF.js layers model.json with a new head
  --freeze           with --finetune: train only the new head
  --retune-head RUN  train only a new head (LADE by default) on cached features of RUN's model
  --workers N        1 (default) or 2: a replica worker trains on half of each batch on the second core
  --resume           continue from the run folder's checkpoint, with the settings the run was started with
                     (only --backend and --workers may change)
  --force            replace a run already in --out (with --launch: its <out>.config.json)
  --engine E         auto (default: torch when a Python with torch >= 1.13 is found, else tfjs), tfjs or torch
  --python FILE      the Python for the torch engine (default $LADE_PYTHON, else python3 on the PATH)
  --device D         torch engine: auto (default: CUDA, then MPS, then CPU), cpu, cuda or mps
  --nproc N          torch engine: N data-parallel processes on this machine (torchrun; gloo on CPU, nccl on CUDA)
  --launch K         torch engine on a cluster: print the torchrun command, slurm sbatch script or skypilot
                     task (with --print) that trains into --out on shared storage; the config is written beside it
  --nodes N          with --launch: nodes (default 1)
  --gpus-per-node N  with --launch: GPUs per node (default 1)
  --print            with --launch: write the launch file to stdout instead of running anything
  -h, --help         show this help
`;

const OPTIONS = {
  out: { type: 'string' },
  loss: { type: 'string' },
  model: { type: 'string' },
  width: { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  size: { type: 'string' },
  'no-augment': { type: 'boolean' },
  seed: { type: 'string' },
  alpha: { type: 'string' },
  lambda: { type: 'string' },
  backend: { type: 'string' },
  finetune: { type: 'string' },
  freeze: { type: 'boolean' },
  'retune-head': { type: 'string' },
  resume: { type: 'boolean' },
  force: { type: 'boolean' },
  workers: { type: 'string' },
  engine: { type: 'string' },
  python: { type: 'string' },
  device: { type: 'string' },
  nproc: { type: 'string' },
  launch: { type: 'string' },
  nodes: { type: 'string' },
  'gpus-per-node': { type: 'string' },
  print: { type: 'boolean' },
} as const;

const LAUNCH_KINDS = ['torchrun', 'slurm', 'skypilot'] as const;

function oneOfFlag<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
  throw new UsageError(`lade train: --${flag} must be one of ${allowed.join(', ')}, not '${value}'`);
}

/** Why a run needs the TF.js engine, if it does. */
function tfjsOnlyReason(v: { finetune?: string; 'retune-head'?: string; workers?: string; backend?: string; resume?: boolean; out?: string }): string | undefined {
  if (v.resume && v.out !== undefined && existsSync(checkpointPath(path.resolve(v.out)))) return 'the run resumes from its TF.js checkpoint';
  if (v['retune-head']) return '--retune-head retunes a TF.js run';
  if (v.finetune?.endsWith('.json')) return '--finetune names a TF.js model.json';
  if (v.workers) return '--workers is a TF.js setting (use --nproc)';
  if (v.backend) return '--backend is a TF.js setting (use --device)';
  return undefined;
}

/** `--launch K --print`: the config beside the run folder, and the cluster's launch file on stdout. */
function printLaunch(kind: string, config: TrainConfigInput, python: string, nodes: number, gpus: number, force: boolean, io: CliIo): number {
  const outDir = path.resolve(config.outDir);
  const configFile = `${outDir}.config.json`;
  if (existsSync(configFile) && !force) throw new UsageError(`lade train: ${configFile} exists (use --force to overwrite it)`);
  writeFileSync(configFile, `${JSON.stringify({ ...config, dataDir: path.resolve(config.dataDir), outDir }, null, 2)}\n`);
  const args = ['-m', 'lade_torch.launchfile', '--kind', kind, '--nodes', String(nodes), '--gpus-per-node', String(gpus), '--config', configFile];
  const r = spawnSync(python, args, { env: torchEnv(torchPackageDir()), encoding: 'utf8' });
  if (r.error) throw new UsageError(`lade train: cannot run ${python} for the launch file: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`lade_torch.launchfile failed: ${r.stderr.trim()}`);
  io.out(r.stdout);
  io.err(`config: ${configFile}\nrun folder: ${outDir} (dataset and run folder must be at these paths on every node; lade eval ${outDir} reads the result)\n`);
  return EXIT_OK;
}

function progressLine(p: TrainProgress): string {
  if (p.phase !== 'train') return `${p.phase}: ${p.step}/${p.steps}`;
  const eta = p.etaSec >= 60 ? `${Math.round(p.etaSec / 60)} min` : `${Math.round(p.etaSec)} s`;
  return (
    `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps}  loss ${p.loss.total.toFixed(4)}  ` +
    `acc ${(100 * p.accuracy).toFixed(1)}%  lr ${p.lr.toPrecision(3)}  ${p.imagesPerSec.toFixed(0)} img/s  ETA ${eta}`
  );
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommandLine('train', argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(`lade train: expected one dataset folder, got ${positionals.length} (see lade train --help)`);
  const num = (flag: keyof typeof OPTIONS): number | undefined => numberFlag('train', flag, v[flag] as string | undefined);
  if (v.freeze && !v.finetune) throw new UsageError('lade train: --freeze needs --finetune FILE');
  if (v['retune-head'] && v.finetune) throw new UsageError('lade train: use either --finetune or --retune-head');
  const retune = v['retune-head'];
  const finetune = retune
    ? { modelJson: path.join(retune, 'model', 'model.json'), freezeBackbone: true }
    : v.finetune
      ? { modelJson: v.finetune, freezeBackbone: v.freeze === true }
      : undefined;
  // A retuned head sees the images exactly as its backbone was trained on them.
  const baseInput = retune ? loadRun(retune).record.input : undefined;
  if (v.resume && v.out === undefined) throw new UsageError('lade train: --resume needs --out RUN (the run folder to continue)');
  if (v.resume && v.force) throw new UsageError('lade train: use either --resume (continue the run) or --force (replace it)');
  const input = {
    dataDir: positionals[0]!,
    outDir: v.out ?? path.join('.lade', 'runs', runName(positionals[0]!, (v.loss ?? 'lade') as LossKind)),
    // Left undefined when not given, so a resume can tell a changed setting from a default.
    loss: v.loss,
    model: v.model,
    width: num('width'),
    epochs: num('epochs'),
    batchSize: num('batch'),
    optimizer: v.optimizer,
    lr: num('lr'),
    weightDecay: num('weight-decay'),
    schedule: v.schedule,
    warmupEpochs: num('warmup'),
    size: num('size') ?? baseInput?.size,
    channels: baseInput ? (baseInput.channels as 1 | 3) : undefined,
    augment: v['no-augment'] ? false : undefined,
    seed: num('seed'),
    alpha: num('alpha'),
    lambda: num('lambda'),
    backend: v.backend,
    resume: v.resume === true,
    workers: num('workers'),
    finetune,
    retuneHead: retune !== undefined,
  } as TrainConfigInput;

  const engineSetting = oneOfFlag('engine', v.engine ?? process.env.LADE_ENGINE ?? 'auto', ENGINES) as EngineSetting;
  const device = oneOfFlag('device', v.device, DEVICES) as TorchDevice | undefined;
  const nproc = num('nproc');
  if (nproc !== undefined && nproc < 1) throw new UsageError('lade train: --nproc must be at least 1');
  const launch = oneOfFlag('launch', v.launch, LAUNCH_KINDS);
  if ((launch !== undefined) !== (v.print === true)) throw new UsageError('lade train: --launch K and --print go together (the launch file is printed, not run)');
  const torchOnly = [device && '--device', nproc !== undefined && '--nproc', launch && '--launch'].filter(Boolean).join(', ');
  const candidates = pythonCandidates({ setting: v.python ?? process.env.LADE_PYTHON, settingName: v.python ? '--python' : '$LADE_PYTHON' });
  if (launch) {
    if (engineSetting === 'tfjs') throw new UsageError('lade train: --launch needs --engine torch');
    // The launch file runs on the cluster, so only this Python's standard library is needed here.
    return printLaunch(launch, input, candidates[0]!.command, num('nodes') ?? 1, num('gpus-per-node') ?? 1, v.force === true, io);
  }
  let choice;
  try {
    choice = await chooseEngine(torchOnly && engineSetting === 'auto' ? 'torch' : engineSetting, candidates, { tfjsOnly: tfjsOnlyReason(v) });
  } catch (err) {
    if (err instanceof EngineUnavailable) throw new UsageError(`lade train: ${err.message}`);
    throw err;
  }
  if (choice.engine === 'tfjs' && torchOnly) throw new UsageError(`lade train: ${torchOnly}: only with the torch engine (${choice.reason})`);
  // Said with the run's first output, so a run refused before it starts (a resume with other settings)
  // is still one line.
  let engineLine = `engine ${choice.engine}: ${choice.reason}\n`;
  const say = (text: string): void => {
    io.err(engineLine + text);
    engineLine = '';
  };

  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    io.err('\nstopping at the next step (Ctrl-C again to quit now)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let lastLine = 0;
  try {
    const hooks: TrainHooks = {
      signal: controller.signal,
      force: v.force === true,
      onLog: (level, message) => say(`${io.interactive ? '\r\x1b[K' : ''}${level === 'warn' ? 'warning: ' : ''}${message}\n`),
      onProgress: (p) => {
        const now = Date.now();
        if (io.interactive) {
          if (now - lastLine > 100) say(`\r${progressLine(p)}\x1b[K`);
        } else if (now - lastLine > 10_000) {
          say(`${progressLine(p)}\n`);
        } else return;
        lastLine = now;
      },
    };
    const record =
      choice.engine === 'torch'
        ? await trainWithTorch(input, { python: choice.python.command, device, nproc }, hooks).catch((err: unknown) => {
            if (err instanceof TorchUserError) throw new UsageError(`lade train: ${err.message.replace(/^lade_torch\.train: /, '')}`);
            throw err;
          })
        : await trainRun(input, hooks);
    if (io.interactive) io.err('\r\x1b[K');
    const dir = path.resolve(input.outDir);
    const t = record.timings;
    const lade = io.program ?? 'lade';
    const lines = [
      `run ${record.status}: ${dir}`,
      `backend ${record.backend.name}`, // why it was chosen is logged once, at the start
      `classes ${record.classes.length}, training images ${record.trainCounts.reduce((a, b) => a + b, 0)}, input ${record.input.size}x${record.input.size}x${record.input.channels}`,
      `time: scan ${(t.scanMs / 1000).toFixed(1)} s, decode ${(t.decodeMs / 1000).toFixed(1)} s, train ${(t.trainMs / 1000).toFixed(1)} s, evaluate ${(t.evalMs / 1000).toFixed(1)} s`,
      ...Object.entries(record.finalAccuracy).map(([s, a]) => `${s} accuracy (plain argmax): ${a.toFixed(2)}%`),
      record.status === 'completed' ? `next: ${lade} eval ${dir}` : `continue: ${lade} train ${positionals[0]} --out ${dir} --resume`,
    ];
    io.out(`${lines.join('\n')}\n`);
    return record.status === 'cancelled' ? EXIT_CANCELLED : EXIT_OK;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
