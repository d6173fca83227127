// `lade import <run-dir> --model model.onnx --data DATASET`: a model trained elsewhere, exported to ONNX,
// as an ordinary run folder (src/core/onnx/importRun.ts); inference runs in a worker thread.
import path from 'node:path';
import { CancelledError, OnnxInputError } from '../core/onnx/inferInWorker';
import { importOnnxRun } from '../core/onnx/importRun';
import type { RunLoss } from '../core/onnx/runRecord';
import type { OnnxDevice } from '../core/onnx/session';
import { EXIT_OK, UsageError, type CliIo } from './command';

export const onnxUsage = `  --model FILE     an ONNX image classifier (e.g. torch.onnx.export of a PyTorch model): runs it on
                   the dataset's labelled val/ and test/ splits and stores its logits
  --data DIR       the dataset: DIR/train/<class>/..., DIR/val/<class>/... and/or DIR/test/<class>/...
  --classes FILE   class order of the model's outputs (one name per line, or "name index" lines);
                   default torchvision ImageFolder's: class folder names sorted by code point
  --loss L         how the model was trained: ce (default), lade, bs (Balanced Softmax), la (logit adjusted)
  --mean M         per-channel mean after scaling pixels to [0, 1], e.g. 0.485,0.456,0.406; default the
                   model's metadata_props 'mean', else 0
  --std S          per-channel std, e.g. 0.229,0.224,0.225; default metadata_props 'std', else 1
  --device D       cpu (default) or cuda (used when onnxruntime's CUDA provider loads, else cpu)
  --force          replace an existing run folder
  --json           print the run record as JSON
`;

export interface OnnxFlags {
  readonly model: string;
  readonly data?: string;
  readonly classes?: string;
  readonly loss?: string;
  readonly mean?: string;
  readonly std?: string;
  readonly device?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

const LOSSES: readonly RunLoss[] = ['ce', 'lade', 'bs', 'la'];
const DEVICES: readonly OnnxDevice[] = ['cpu', 'cuda'];

export async function importOnnx(runDir: string, flags: OnnxFlags, io: CliIo): Promise<number> {
  if (flags.data === undefined) throw new UsageError('lade import: --model needs --data DATASET (the labelled images to run it on)');
  const loss = (flags.loss ?? 'ce') as RunLoss;
  if (!LOSSES.includes(loss)) throw new UsageError(`lade import: --loss must be one of ${LOSSES.join(', ')}, got '${flags.loss}'`);
  const device = (flags.device ?? 'cpu') as OnnxDevice;
  if (!DEVICES.includes(device)) throw new UsageError(`lade import: --device must be cpu or cuda, got '${flags.device}'`);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const result = await importOnnxRun(
      { runDir, model: flags.model, data: flags.data, classes: flags.classes, loss, mean: flags.mean, std: flags.std, device, force: flags.force },
      {
        signal: abort.signal,
        onProgress: (p) => {
          if (io.interactive) io.err(`\r${p.split}: ${p.phase} ${p.done}/${p.total}\x1b[K`);
        },
      },
    );
    if (io.interactive) io.err('\r\x1b[K');
    const r = result.record;
    if (flags.json) {
      io.out(`${JSON.stringify({ ...r, provider: result.provider, layout: result.layout, normalisation: result.normSource }, null, 2)}\n`);
    } else {
      const acc = r.evalSplits.map((s) => `${s.name} ${s.count} images, top-1 ${r.finalAccuracy[s.name]!.toFixed(2)}%`).join('; ');
      io.out(
        [
          `Imported ${flags.model} as ${path.resolve(runDir)}`,
          `${r.classes.length} classes; ${acc}`,
          `input ${r.input.size}x${r.input.size}x${r.input.channels} ${result.layout}, mean ${r.input.mean.join(',')} std ${r.input.std.join(',')} (${result.normSource})`,
          `onnxruntime provider: ${result.provider.name} (${result.provider.reason})`,
          '',
        ].join('\n'),
      );
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof OnnxInputError) throw new UsageError(`lade import: ${e.message}`);
    if (e instanceof CancelledError) throw new UsageError('lade import: cancelled');
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
