// `lade demo [dir]`: the main job end to end on the embedded sample — analyse the label distribution,
// train LADE and the CE baseline with the same schedule, compare Softmax / PC Softmax / LADE under the
// uniform and shifted priors, and write a self-contained HTML report.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDataset } from '../core/dataset';
import { htmlReport, type PriorComparison } from '../core/report/htmlReport';
import { trainRun } from '../core/train';
import { evaluateRuns, loadRun, parsePriorSpec, type PriorEvaluation } from '../core/train/runEvaluation';
import { BACKENDS, type BackendSetting } from '../core/runs/config';
import { methodLabel, methodsFor, type LossKind, type Method } from '../core/runs/lossKind';
import type { TrainedRunRecord } from '../core/runs/record';
import { EXIT_OK, numberFlag, parseCommandLine, UsageError, type CliIo } from './command';
import { formatEvaluations } from './eval';

export const usage = `Usage: lade demo [dir] [options]

Runs the whole LADE Studio job on a dataset (default: the embedded samples/fashion-lt): analyses the label
distribution, trains a LADE model and a plain-CE baseline with the same schedule, evaluates Softmax,
PC Softmax and LADE under the uniform prior and the forward/backward shifted test sets, and writes
<out>/index.html (a self-contained report) and <out>/summary.json; the runs are kept in <out>/runs/.

Options:
  --out DIR        report folder (default demo-report)
  --epochs N       training epochs per run (default 12)
  --backend B      auto (default), wasm, cpu, webgpu or tensorflow
  --seed N         (default 0)
  --force          replace the report and runs of an earlier demo in --out
  -h, --help       show this help
`;

const OPTIONS = {
  out: { type: 'string' },
  epochs: { type: 'string' },
  backend: { type: 'string' },
  seed: { type: 'string' },
  force: { type: 'boolean' },
} as const;

/** The embedded sample ships beside the program (dist/../samples), wherever lade is run from. */
function embeddedSample(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return path.join(here, '..', 'samples', 'fashion-lt');
}

const SWEEP = ['forward:50', 'forward:25', 'forward:10', 'forward:5', 'forward:2', 'uniform', 'backward:2', 'backward:5', 'backward:10', 'backward:25', 'backward:50'];
const TABLES = ['uniform', 'forward:10', 'backward:10'];
// The demo's prior-free run is LADE's, so its compensation is labelled LADE.
const label = (m: Method) => methodLabel(m, 'lade');

function comparison(e: PriorEvaluation): PriorComparison {
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? undefined : 100 * v);
  return {
    prior: e.prior,
    rows: e.results.map((r) => ({
      method: r.method,
      label: label(r.method),
      accuracy: 100 * r.metrics.expectedAccuracy,
      many: pct(r.metrics.shots?.many),
      medium: pct(r.metrics.shots?.medium),
      few: pct(r.metrics.shots?.few),
      ece: r.metrics.ece,
      nll: r.metrics.nll,
    })),
  };
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommandLine('demo', argv, OPTIONS);
  if (positionals.length > 1) throw new UsageError(`lade demo: expected at most one dataset folder, got ${positionals.length}`);
  const dataDir = path.resolve(positionals[0] ?? embeddedSample());
  const epochs = numberFlag('demo', 'epochs', v.epochs) ?? 12;
  const seed = numberFlag('demo', 'seed', v.seed) ?? 0;
  const backend = v.backend ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`lade demo: unknown --backend '${backend}'`);
  // The flags first: a mistyped flag is named whatever an earlier demo left in --out.
  const out = path.resolve(v.out ?? 'demo-report');
  if (!v.force && existsSync(path.join(out, 'runs'))) throw new UsageError(`lade demo: ${out} holds an earlier demo; add --force to replace it, or choose another --out`);

  const dataset = await analyzeDataset(dataDir);
  io.err(
    `Dataset ${dataDir}: ${dataset.total} training images in ${dataset.classes.length} classes, ` +
      `imbalance ratio ${dataset.imbalanceRatio.toFixed(1)} (many ${dataset.shots.many.length} / medium ${dataset.shots.medium.length} / few ${dataset.shots.few.length})\n`,
  );

  mkdirSync(out, { recursive: true });
  const runDirs: string[] = [];
  const records: TrainedRunRecord[] = [];
  // CE first, so every table reads as the paper's: Softmax, PC Softmax, then LADE.
  // The backend's reason is long (it says how to get the GPU): print it once, not for every run.
  let backendLine = '';
  for (const loss of ['ce', 'lade'] as const satisfies readonly LossKind[]) {
    const outDir = path.join(out, 'runs', loss);
    const record = await trainRun(
      { dataDir, outDir, loss, epochs, seed, backend: backend as BackendSetting, model: 'cnn', size: 28, lr: 0.05, batchSize: 64 },
      {
        onLog: (_level, message) => {
          if (message.startsWith('backend ')) {
            if (message === backendLine) return;
            backendLine = message;
          }
          io.err(`[${loss}] ${message}\n`);
        },
        force: v.force === true,
      },
    );
    io.err(`[${loss}] done on ${record.backend.name}; test accuracy ${record.finalAccuracy.test?.toFixed(2) ?? '-'}%\n`);
    runDirs.push(outDir);
    records.push(record);
  }

  const runs = runDirs.map((d) => loadRun(d));
  const tables = TABLES.map((p) => evaluateRuns(runs, parsePriorSpec(p)));
  const sweep = SWEEP.map((p) => evaluateRuns(runs, parsePriorSpec(p)));
  for (const w of new Set([...tables, ...sweep].flatMap((e) => e.warnings))) io.err(`warning: ${w}\n`);
  const methods = sweep[0]!.results.map((r) => r.method);
  const html = htmlReport({
    title: `LADE Studio demo: ${path.basename(dataDir)}`,
    generatedAt: new Date().toISOString(),
    dataset,
    curves: records.map((r) => ({ method: methodsFor(r.config.loss)[0]!, name: `${r.config.loss.toUpperCase()} run`, values: r.history.map((e) => e.loss) })),
    comparisons: tables.map(comparison),
    sweep: {
      labels: sweep.map((e) => e.prior),
      series: methods.map((m) => ({ method: m, name: label(m), values: sweep.map((e) => 100 * (e.results.find((r) => r.method === m)?.metrics.expectedAccuracy ?? NaN)) })),
    },
    notes: [
      ...new Set(records.map((r) => `Backend ${r.backend.name}: ${r.backend.reason}`)),
      ...records.map((r) => `${r.config.loss.toUpperCase()} run: ${r.config.epochs} epochs of ${r.config.model} on ${r.backend.name}, ${(r.timings.trainMs / 1000).toFixed(1)} s of training.`),
    ],
  });
  writeFileSync(path.join(out, 'index.html'), html);
  writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ dataset: { total: dataset.total, classes: dataset.classes.length, imbalanceRatio: dataset.imbalanceRatio }, sweep: sweep.map(comparison) }, null, 2));
  io.out(formatEvaluations(tables));
  io.out(`Report: ${path.join(out, 'index.html')}\n`);
  return EXIT_OK;
}
