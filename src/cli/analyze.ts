// `lade analyze <dir>`: scan a dataset and print its label distribution (a table, or JSON with --json).
import { analyzeDataset } from '../core/dataset';
import type { ScanProgress } from '../core/dataset/types';
import { formatAnalyzeReport } from './analyzeReport';
import { EXIT_OK, numberFlag, parseCommandLine, UsageError, type CliIo } from './command';

export const usage = `Usage: lade analyze <dir> [options]

Counts the images of each class in <dir> and describes the label distribution of the training split.
Layouts: <dir>/<class>/**/image, or <dir>/<split>/<class>/**/image with split folders such as train/,
val/, test/; or manifest files (--manifest) with paths relative to <dir>.

Options:
  --json               print one JSON object instead of the table
  --validate           read every image: corrupt, truncated, wrong-extension and duplicate files
  --manifest FILE      split list ("relative/path label" lines, e.g. ImageNet_LT_train.txt), CSV
                       with a header naming the path and label columns, or COCO-style JSON (images,
                       annotations, categories; e.g. iNaturalist's train2018.json); repeat for
                       several splits
  --classes FILE       class-name map for integer labels (one name per line, or "name index" lines)
  --path-column NAME   CSV column holding the image path (default: path, file, filename, image ...)
  --label-column NAME  CSV column holding the label (default: label, class, category, target ...)
  --ignore GLOB        leave out files and folders matching GLOB (relative to <dir>); repeatable
  --many N             many-shot classes have more than N training images (default 100)
  --few N              few-shot classes have fewer than N training images (default 20)
  --beta B             beta of the effective number of samples, in [0, 1) (default 0.999)
  -h, --help           show this help

Exit codes: 0 done, 2 bad input (missing folder, no images, bad manifest line), 1 unexpected failure.
`;

const OPTIONS = {
  json: { type: 'boolean' },
  validate: { type: 'boolean' },
  manifest: { type: 'string', multiple: true },
  classes: { type: 'string' },
  'path-column': { type: 'string' },
  'label-column': { type: 'string' },
  ignore: { type: 'string', multiple: true },
  many: { type: 'string' },
  few: { type: 'string' },
  beta: { type: 'string' },
} as const;

/** A single status line on a terminal's stderr, redrawn in place. */
function terminalProgress(io: CliIo): ((p: ScanProgress) => void) | undefined {
  if (!io.interactive) return undefined;
  return (p) => {
    const text = p.phase === 'scan' ? `scanning: ${p.filesSeen} files` : `validating: ${p.filesSeen} / ${p.total ?? '?'} files`;
    io.err(`\r${text}\x1b[K`);
  };
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('analyze', argv, OPTIONS);
  if (positionals.length !== 1) {
    throw new UsageError(`lade analyze: expected one dataset folder, got ${positionals.length} (see lade analyze --help)`);
  }
  const progress = terminalProgress(io);
  const columns = { path: values['path-column'], label: values['label-column'] };
  const result = await analyzeDataset(positionals[0]!, {
    manifest: values.manifest,
    classNames: values.classes,
    columns,
    validate: values.validate === true,
    ignore: values.ignore,
    stats: {
      manyThreshold: numberFlag('analyze', 'many', values.many),
      fewThreshold: numberFlag('analyze', 'few', values.few),
      beta: numberFlag('analyze', 'beta', values.beta),
    },
    onProgress: progress,
  }).finally(() => {
    if (progress) io.err('\r\x1b[K');
  });
  io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatAnalyzeReport(result));
  return EXIT_OK;
}
