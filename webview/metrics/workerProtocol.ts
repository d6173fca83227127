// Messages between the metrics webview and its what-if workers. Each worker holds a contiguous share of the
// rows of every selected run and answers with prior-free class sums per method, which the page merges
// (ClassSums add up over disjoint rows) and summarises under the target prior.
import type { BiasKind, ShiftDirection } from '../../src/core/priors';
import type { ClassSums, ReliabilityBin, RowScanEngine, ShotMeans } from '../../src/core/metrics';

/** A column of the comparison: a run evaluated with one post-compensation. */
export interface MethodSpec {
  readonly id: string;
  readonly label: string;
  readonly kind: BiasKind;
}

export interface Scalars {
  readonly expectedAccuracy: number;
  readonly top1: number;
  readonly shots: ShotMeans | null;
  readonly macroRecall: number;
  readonly macroPrecision: number;
  readonly nll: number;
  readonly ece: number;
}

/** A method's metrics under the current prior, as the page shows them. */
export interface MethodResult {
  readonly method: string;
  readonly error?: string;
  readonly scalars?: Scalars;
  readonly perClassRecall?: Float64Array;
  readonly reliability?: readonly ReliabilityBin[];
  /** The confusion's non-empty cells (ClassSums.cells: [true, predicted, rows, ...], a cell possibly listed twice). */
  readonly cells?: Int32Array;
}

export interface SweepPoint {
  readonly name: string;
  readonly direction: ShiftDirection;
  readonly ratio: number;
  /** Top-1 accuracy on the shifted subset, predictions compensated to its exact prior. */
  readonly accuracy: number;
}

/** One shifted test set, restricted to the worker's rows. */
export interface SweepSlice {
  /** Row indices local to the worker's share (0 = its first row). */
  readonly rows: ArrayBuffer;
  /** The subset's exact prior (over all its rows, not just the worker's). */
  readonly targetPrior: readonly number[];
}

/** A run's share of rows in one worker. */
export interface RunSlice {
  readonly methods: readonly MethodSpec[];
  readonly logits: ArrayBuffer;
  readonly labels: ArrayBuffer;
  readonly trainCounts: readonly number[];
  /** Absent where the sweep's subsets could not be built (the page shows why). */
  readonly sweep?: readonly SweepSlice[];
}

/** A worker's part of one method's answer: its sums, the same sums as in its last answer, or why it has none. */
export type MethodPart =
  | { readonly method: string; readonly sums: ClassSums }
  | { readonly method: string; readonly unchanged: true }
  | { readonly method: string; readonly error: string };

/** Hits and rows of each shifted test set in this worker's share (sums over workers give the top-1). */
export interface SweepPart {
  readonly method: string;
  readonly error?: string;
  readonly points?: readonly { readonly correct: number; readonly count: number }[];
}

export type ToWorker =
  | { readonly type: 'load'; readonly numClasses: number; readonly runs: readonly RunSlice[] }
  | { readonly type: 'evaluate'; readonly id: number; readonly target: readonly number[] };

export type FromWorker =
  | {
      readonly type: 'loaded';
      /** What runs the row scan here: WebAssembly SIMD, or JavaScript where the page refuses WebAssembly. */
      readonly engine: RowScanEngine;
      readonly uniform: readonly MethodPart[];
      readonly sweep: readonly SweepPart[];
    }
  | { readonly type: 'result'; readonly id: number; readonly parts: readonly MethodPart[] }
  | { readonly type: 'error'; readonly message: string };
