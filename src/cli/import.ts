// `lade import`: provisional command that handles --model (ONNX) only; importing logits files (the other
// half of `lade import`) is merged into this dispatch by the integrator.
import { parseCommandLine, UsageError, type CliIo } from './command';
import { importOnnx, onnxUsage } from './importOnnx';

export const usage = `Usage: lade import <run-dir> --model model.onnx --data DATASET [options]

Writes an ordinary run folder (docs/run-format.md) for a model trained elsewhere, so lade eval, the
metrics panel, prior estimation and Export Adjusted Model work on it.

Options:
${onnxUsage}  -h, --help       show this help

Exit codes: 0 done, 2 bad input (missing file, wrong shapes, unknown class), 1 unexpected failure.
`;

const OPTIONS = {
  model: { type: 'string' },
  data: { type: 'string' },
  classes: { type: 'string' },
  loss: { type: 'string' },
  mean: { type: 'string' },
  std: { type: 'string' },
  device: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('import', argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(`lade import: expected one run folder, got ${positionals.length} (see lade import --help)`);
  if (values.model === undefined) throw new UsageError('lade import: --model FILE is required (see lade import --help)');
  return importOnnx(positionals[0]!, { ...values, model: values.model }, io);
}
