// `lade import <run-dir> ...`: an ordinary run folder from predictions made elsewhere, so `lade eval`, the
// metrics panel, the prior editor and estimate-prior work on them: logits files (--split NAME=FILE, read
// here into split producers for core/import's importRun) or an ONNX model run over a dataset (--model,
// importOnnx.ts).
import path from 'node:path';
import { ImportError, importRun, readClassList, readPredictions, readTrainCounts, type SplitSource } from '../core/import';
import { LOSS_KINDS, type LossKind } from '../core/runs';
import { SPLIT_NAME } from '../core/runs/fields';
import { EXIT_OK, parseCommandLine, UsageError, type CliIo } from './command';
import { importOnnx, onnxUsage } from './importOnnx';

export const usage = `Usage: lade import <run-dir> --classes FILE --train-counts FILE|DATASET --loss L --split NAME=FILE ... [options]
       lade import <run-dir> --model model.onnx --data DATASET [options]

Makes a run folder from a model's predictions saved elsewhere (e.g. by PyTorch), or from an ONNX model run
over a dataset, so that lade eval, the metrics panel, the prior editor and lade estimate-prior work on it.

Logits files:
  --classes FILE        class names in logit-column order: one per line, or a JSON array
  --train-counts F|DIR  training images per class: JSON {"name": count}, CSV class,count, or a dataset
                        folder whose train split is counted
  --loss L              how the model was trained: ce (evaluated as Softmax and PC Softmax), or lade, bs
                        (Balanced Softmax), la (logit adjustment), whose logits exclude log p_s
  --split NAME=FILE     a labelled evaluation split (repeatable): .npz (arrays logits [N, C] and labels
                        [N]), .safetensors (tensors logits, labels) or .csv (label, then one column per
                        class); float16/32/64 logits, integer labels
  --force               replace an existing run folder
  --json                print the run record as JSON

ONNX model:
${onnxUsage}  -h, --help            show this help

Exit codes: 0 done, 2 bad input (missing file, wrong shapes, unknown class), 1 unexpected failure.
`;

const OPTIONS = {
  classes: { type: 'string' },
  'train-counts': { type: 'string' },
  loss: { type: 'string' },
  split: { type: 'string', multiple: true },
  model: { type: 'string' },
  data: { type: 'string' },
  mean: { type: 'string' },
  std: { type: 'string' },
  device: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** A user error as one line (JSON.parse messages quote the text, line breaks included). */
function fail(message: string): never {
  throw new UsageError(`lade import: ${message.replace(/\s*\n\s*/g, ' ')}`);
}

/** NAME=FILE pairs, with plain, distinct split names (they become file names in the run folder). */
function parseSplits(specs: readonly string[]): { name: string; file: string }[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    if (eq < 0 || file === '') fail(`--split expects NAME=FILE, got '${spec}'`);
    if (!SPLIT_NAME.test(name)) fail(`--split name '${name}' must be 1-64 letters, digits, _ or -`);
    if (seen.has(name)) fail(`--split '${name}' is given twice`);
    seen.add(name);
    return { name, file };
  });
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommandLine('import', argv, OPTIONS);
  if (positionals.length !== 1) fail(`expected one run folder, got ${positionals.length} (see lade import --help)`);
  if (v.model !== undefined) {
    if (v.split !== undefined || v['train-counts'] !== undefined) fail('give either --model (an ONNX model) or --split files (logits), not both');
    return importOnnx(positionals[0]!, { ...v, model: v.model }, io);
  }
  for (const flag of ['data', 'mean', 'std', 'device'] as const) if (v[flag] !== undefined) fail(`--${flag} goes with --model (see lade import --help)`);
  const required = (flag: 'classes' | 'train-counts' | 'loss'): string => v[flag] ?? fail(`--${flag} is required (see lade import --help)`);
  const loss = required('loss') as LossKind;
  if (!LOSS_KINDS.includes(loss)) fail(`--loss must be one of ${LOSS_KINDS.join(', ')}, got '${loss}'`);
  const classesFile = required('classes');
  const countsSource = required('train-counts');
  const specs = parseSplits(v.split ?? []);
  if (specs.length === 0) fail('give at least one --split NAME=FILE (see lade import --help)');
  try {
    const classes = readClassList(classesFile);
    const trainCounts = await readTrainCounts(countsSource, classes);
    const splits: SplitSource[] = specs.map(({ name, file }) => ({ name, read: () => readPredictions(file, { labels: 'required', classes }) }));
    const record = await importRun({
      dir: positionals[0]!,
      classes,
      trainCounts,
      loss,
      source: 'logits',
      files: specs.map((s) => s.file),
      splits,
      force: v.force === true,
    });
    if (v.json) io.out(`${JSON.stringify(record, null, 2)}\n`);
    else {
      const splitText = record.evalSplits.map((s) => `${s.name} ${s.count} images, top-1 ${record.finalAccuracy[s.name]!.toFixed(2)}%`).join('; ');
      io.out(`Imported ${classes.length} classes (${loss}) into ${path.resolve(positionals[0]!)}: ${splitText}\n`);
    }
  } catch (e) {
    if (e instanceof ImportError) fail(e.message);
    throw e;
  }
  return EXIT_OK;
}
