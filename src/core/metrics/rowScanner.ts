// What a row-scan engine offers the what-if evaluator; both engines (rowScan.ts, rowScanWasm.ts) implement it.
export type RowScanEngine = 'wasm' | 'js';

export interface RowScanner {
  readonly engine: RowScanEngine;
  /** E, N x C row-major, where the engine reads it: filled once by the evaluator. */
  readonly expLogits: Float32Array;
  /** B_c, set before each pass. */
  readonly scale: Float64Array;
  /** After scan(): [sum v, sum v^2, max v, first argmax]. */
  readonly out: Float64Array;
  /** Scans the row that starts at element `start` of expLogits. */
  scan(start: number): void;
}
