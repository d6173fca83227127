// Opens an ONNX model with onnxruntime-node. CUDA is tried only when asked for and falls back to the CPU
// runtime (which ships inside the npm package) when its provider library does not load; the provider in
// use and why are reported, as the TF.js backend is.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { inputSpec, normalisation, type InputSpec, type Normalisation } from './input';
import { readMetadata } from './modelProto';

export type OnnxDevice = 'cpu' | 'cuda';

export interface ProviderReport {
  readonly name: OnnxDevice;
  readonly reason: string;
}

export interface OnnxModel {
  readonly session: ort.InferenceSession;
  readonly provider: ProviderReport;
  readonly input: InputSpec;
  readonly output: string;
  readonly numClasses: number;
  readonly norm: Normalisation;
}

export interface OpenOptions {
  readonly device?: OnnxDevice;
  readonly mean?: string;
  readonly std?: string;
}

async function createSession(bytes: Uint8Array, device: OnnxDevice): Promise<{ session: ort.InferenceSession; provider: ProviderReport }> {
  if (device === 'cuda') {
    try {
      // A missing CUDA provider is reported below, not as the runtime's red log line. The runtime reads its
      // log level when the first session of the process (here: of the worker) is created.
      ort.env.logLevel = 'fatal';
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cuda'] });
      return { session, provider: { name: 'cuda', reason: 'requested with --device cuda' } };
    } catch (e) {
      const why = (e as Error).message.split('\n')[0]!;
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
      return { session, provider: { name: 'cpu', reason: `CUDA was requested but did not load (${why})` } };
    }
  }
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  return { session, provider: { name: 'cpu', reason: 'default (--device cuda to use a GPU)' } };
}

/** Loads the model and reads its input spec, output width and normalisation. */
export async function openOnnxModel(file: string, options: OpenOptions = {}): Promise<OnnxModel> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`Cannot read model '${file}': ${(e as Error).message}`, { cause: e });
  }
  const metadata = readMetadata(bytes, file);
  let opened: Awaited<ReturnType<typeof createSession>>;
  try {
    opened = await createSession(bytes, options.device ?? 'cpu');
  } catch (e) {
    throw new Error(`onnxruntime cannot load '${file}': ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const { session } = opened;
  if (session.inputMetadata.length !== 1) throw new Error(`'${file}' has ${session.inputMetadata.length} inputs; an image classifier has one.`);
  const input = inputSpec(session.inputMetadata[0]!, file);
  const out = session.outputMetadata[0];
  const width = out?.isTensor ? out.shape[out.shape.length - 1] : undefined;
  if (!out?.isTensor || out.shape.length !== 2 || typeof width !== 'number' || width < 2) {
    throw new Error(`'${file}' output '${out?.name ?? '?'}' should be [batch, classes] logits, got [${out?.isTensor ? out.shape.join(', ') : ''}].`);
  }
  const norm = normalisation(options, metadata, input.channels);
  return { session, provider: opened.provider, input, output: out.name, numClasses: width, norm };
}
