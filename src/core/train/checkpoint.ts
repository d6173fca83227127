// The resumable training state in one file, checkpoint.bin, replaced atomically: magic, a JSON header
// (position in training, RNG states, history, tensor table), then the float32 tensors (model weights in
// model.getWeights() order, then optimizer slots).
import { UserError } from '../userError';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TrainConfig } from '../runs/config';
import type { EpochRecord } from '../runs/record';
import { writeFileAtomic } from '../atomicWrite';

const MAGIC = 'LADECKP1';
export const CHECKPOINT_FILE = 'checkpoint.bin';

export interface TensorEntry {
  readonly key: string;
  readonly shape: number[];
  readonly values: Float32Array;
}

export interface CheckpointState {
  /** Completed epochs; training continues in epoch + 1. */
  readonly epoch: number;
  /** Steps already done in epoch + 1 (non-zero after a cancel mid-epoch). */
  readonly stepInEpoch: number;
  readonly globalStep: number;
  /** RNG state the epoch's shuffle was drawn from, and the current state (augmentation). */
  readonly epochRngState: number;
  readonly rngState: number;
  readonly optimizerStep: number;
  readonly history: readonly EpochRecord[];
  /** Running sums of the interrupted epoch, so its record stays exact after a resume. */
  readonly partial: { readonly lossSum: number; readonly correct: number; readonly seen: number; readonly seconds: number };
  /** Identifies the run the state belongs to (model kind, classes, input shape). */
  readonly fingerprint: string;
  /** The settings the run was started with: a resume continues exactly this schedule. */
  readonly config?: TrainConfig;
  readonly weights: readonly TensorEntry[];
  readonly slots: readonly TensorEntry[];
}

type Header = Omit<CheckpointState, 'weights' | 'slots'> & {
  weights: { key: string; shape: number[] }[];
  slots: { key: string; shape: number[] }[];
};

export function checkpointPath(runDir: string): string {
  return path.join(runDir, CHECKPOINT_FILE);
}

export function writeCheckpoint(runDir: string, state: CheckpointState): void {
  const { weights, slots, ...rest } = state;
  const header: Header = {
    ...rest,
    weights: weights.map(({ key, shape }) => ({ key, shape })),
    slots: slots.map(({ key, shape }) => ({ key, shape })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + json.length) % 4)) % 4;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length + pad);
  const chunks: Uint8Array[] = [Buffer.from(MAGIC, 'ascii'), len, json, Buffer.alloc(pad, 0x20)];
  for (const t of [...weights, ...slots]) chunks.push(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
  writeFileAtomic(checkpointPath(runDir), chunks);
}

function parseHeader(buf: Buffer, file: string): { header: Header; end: number } {
  if (buf.length < MAGIC.length + 4 || buf.subarray(0, MAGIC.length).toString('ascii') !== MAGIC) throw new UserError(`${file} is not a LADE checkpoint`);
  const headerLen = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + headerLen > buf.length) throw new UserError(`checkpoint ${file} is truncated in its header`);
  try {
    return { header: JSON.parse(buf.subarray(start, start + headerLen).toString('utf8')) as Header, end: start + headerLen };
  } catch (e) {
    throw new UserError(`checkpoint ${file} has a damaged header (${(e as Error).message})`);
  }
}

export function readCheckpoint(runDir: string): CheckpointState | undefined {
  const file = checkpointPath(runDir);
  if (!existsSync(file)) return undefined;
  const buf = readFileSync(file);
  const { header, end } = parseHeader(buf, file);
  let at = end;
  const take = (entries: { key: string; shape: number[] }[]): TensorEntry[] =>
    entries.map(({ key, shape }) => {
      const n = shape.reduce((a, b) => a * b, 1);
      if (at + 4 * n > buf.length) throw new UserError(`Checkpoint '${file}' is truncated at tensor '${key}'.`);
      const values = new Float32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + 4 * n));
      at += 4 * n;
      return { key, shape, values };
    });
  const weights = take(header.weights);
  const slots = take(header.slots);
  return { ...header, weights, slots };
}
