// `lade eval <run>`: Softmax / PC Softmax / LADE metrics from a run's cached logits under target priors.
import { evaluateRuns, loadRun, parsePriorSpec, type PriorEvaluation } from '../core/train/runEvaluation';
import { EXIT_OK, parseCommandLine, UsageError, type CliIo } from './command';

export const usage = `Usage: lade eval <run> [options]

Prints accuracy (percent), many/medium/few-shot means, ECE and NLL from the logits a finished run cached.
A CE run gives Softmax (raw) and PC Softmax (compensated with -log p_s + log p_t); a LADE or Balanced
Softmax run gives LADE (compensated with log p_t). Give the other run with --baseline to compare.

Options:
  --baseline RUN   a second run (typically the CE run) evaluated on the same data
  --prior P        uniform (default), forward:R, backward:R (the paper's shifted test subsets), or a
                   prior file (lade-prior JSON, JSON, or CSV of class,share); repeatable
  --split S        evaluation split (default test, else val)
  --json           print JSON instead of the table
  -h, --help       show this help
`;

const OPTIONS = {
  baseline: { type: 'string' },
  prior: { type: 'string', multiple: true },
  split: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '   -  ' : (100 * x).toFixed(2).padStart(6));

export function formatEvaluations(evals: readonly PriorEvaluation[]): string {
  const out: string[] = [];
  for (const e of evals) {
    out.push(`prior ${e.prior} (${e.rows} images)`);
    out.push('  method       accuracy    many  medium     few     ECE     NLL');
    for (const r of e.results) {
      const m = r.metrics;
      out.push(
        `  ${r.method.padEnd(11)}  ${pct(m.expectedAccuracy)}  ${pct(m.shots?.many)}  ${pct(m.shots?.medium)}  ${pct(m.shots?.few)}  ` +
          `${m.ece.toFixed(4)}  ${m.nll.toFixed(4)}`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export function evaluationsJson(evals: readonly PriorEvaluation[]): object {
  return evals.map((e) => ({
    prior: e.prior,
    rows: e.rows,
    results: e.results.map((r) => ({
      method: r.method,
      run: r.run,
      accuracy: 100 * r.metrics.expectedAccuracy,
      many: r.metrics.shots?.many == null ? null : 100 * r.metrics.shots.many,
      medium: r.metrics.shots?.medium == null ? null : 100 * r.metrics.shots.medium,
      few: r.metrics.shots?.few == null ? null : 100 * r.metrics.shots.few,
      ece: r.metrics.ece,
      nll: r.metrics.nll,
    })),
  }));
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('eval', argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(`lade eval: expected one run folder, got ${positionals.length} (see lade eval --help)`);
  const runs = [loadRun(positionals[0]!, values.split)];
  if (values.baseline) runs.push(loadRun(values.baseline, runs[0]!.split));
  const evals = (values.prior ?? ['uniform']).map((p) => evaluateRuns(runs, parsePriorSpec(p)));
  for (const w of new Set(evals.flatMap((e) => e.warnings))) io.err(`warning: ${w}\n`);
  io.out(values.json ? `${JSON.stringify(evaluationsJson(evals), null, 2)}\n` : formatEvaluations(evals));
  return EXIT_OK;
}
