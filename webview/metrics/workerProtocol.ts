// Messages between the metrics webview and its what-if workers (one worker per run, holding its logits).
import type { BiasKind, ShiftDirection } from '../../src/core/priors';
import type { ReliabilityBin, ShotMeans, ShotThresholds } from '../../src/core/metrics';

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

export interface MethodResult {
  readonly method: string;
  readonly error?: string;
  readonly scalars?: Scalars;
  readonly perClassRecall?: Float64Array;
  readonly reliability?: readonly ReliabilityBin[];
  readonly confusion?: Int32Array;
}

export interface SweepPoint {
  readonly name: string;
  readonly direction: ShiftDirection;
  readonly ratio: number;
  /** Top-1 accuracy on the shifted subset, predictions compensated to its exact prior. */
  readonly accuracy: number;
}

export type ToWorker =
  | {
      readonly type: 'load';
      readonly logits: ArrayBuffer;
      readonly labels: ArrayBuffer;
      readonly numClasses: number;
      readonly trainCounts: readonly number[];
      readonly methods: readonly MethodSpec[];
      readonly thresholds: ShotThresholds;
      readonly perClassTestCount: number;
    }
  | { readonly type: 'evaluate'; readonly id: number; readonly target: readonly number[] };

export type FromWorker =
  | {
      readonly type: 'loaded';
      readonly uniform: readonly { readonly method: string; readonly scalars?: Scalars }[];
      readonly sweep: readonly { readonly method: string; readonly points?: readonly SweepPoint[]; readonly error?: string }[];
    }
  | { readonly type: 'result'; readonly id: number; readonly results: readonly MethodResult[] }
  | { readonly type: 'error'; readonly message: string };
