// The default run name, the same from the CLI and the extension: <dataset-folder>-<loss>-<YYYYMMDD-HHMMSS>
// in local time, so runs sort by when they started and say what they were trained on.
import path from 'node:path';
import type { LossKind } from './lossKind';

const pad = (n: number): string => String(n).padStart(2, '0');

export function runStamp(date: Date): string {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

export function runName(dataDir: string, loss: LossKind, date: Date = new Date()): string {
  return `${path.basename(path.resolve(dataDir))}-${loss}-${runStamp(date)}`;
}
