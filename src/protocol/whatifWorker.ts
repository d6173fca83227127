// Messages between the metrics webview and its what-if workers (webview/metrics/whatif.worker.ts). Each
// worker holds a contiguous share of the rows of every selected run and answers with prior-free class sums
// per method, which the page merges (ClassSums add up over disjoint rows) and summarises under the target
// prior. An 'evaluate' request carries an id; its 'result' carries the same id.
import * as v from 'valibot';
import type { ClassSums, RowScanEngine } from '../core/metrics';
import type { BiasKind } from '../core/priors';
import { count, finite, list, text } from './fields';

const BIAS_KINDS: readonly BiasKind[] = ['lade', 'bs', 'la', 'ce-pc', 'softmax'];
const ENGINES: readonly RowScanEngine[] = ['wasm', 'js'];
const buffer = v.instance(ArrayBuffer);
const typed = <T>(type: abstract new (...args: never[]) => T, name: string) => v.custom<T>((x) => x instanceof type, `must be ${name}`);
const ints = typed(Int32Array, 'an Int32Array');
const doubles = typed(Float64Array, 'a Float64Array');

/** A column of the comparison: a run evaluated with one post-compensation. */
const MethodSpecSchema = v.object({ id: text(512), label: text(512), kind: v.picklist(BIAS_KINDS) });
export type MethodSpec = v.InferOutput<typeof MethodSpecSchema>;

/** One shifted test set, restricted to the worker's rows. */
const SweepSliceSchema = v.object({
  /** Row indices local to the worker's share (0 = its first row), as Int32. */
  rows: buffer,
  /** The subset's exact prior (over all its rows, not just the worker's). */
  targetPrior: list(finite),
});

/** A run's share of rows in one worker. */
const RunSliceSchema = v.object({
  methods: list(MethodSpecSchema),
  logits: buffer,
  labels: buffer,
  trainCounts: list(finite),
  /** Absent where the sweep's subsets could not be built (the page shows why). */
  sweep: v.optional(list(SweepSliceSchema)),
});
export type RunSlice = v.InferOutput<typeof RunSliceSchema>;

const ClassSumsSchema: v.GenericSchema<unknown, ClassSums> = v.object({
  numClasses: count,
  numSamples: count,
  support: ints,
  cells: ints,
  nll: doubles,
  brier: doubles,
  binCount: ints,
  binConfidence: doubles,
  binCorrect: ints,
});

/** A worker's part of one method's answer: its sums, the same sums as in its last answer, or why it has none. */
const MethodPartSchema = v.union([
  v.object({ method: v.string(), sums: ClassSumsSchema }),
  v.object({ method: v.string(), unchanged: v.literal(true) }),
  v.object({ method: v.string(), error: v.string() }),
]);
export type MethodPart = v.InferOutput<typeof MethodPartSchema>;

/** Hits and rows of each shifted test set in this worker's share (sums over workers give the top-1). */
const SweepPartSchema = v.object({
  method: v.string(),
  error: v.optional(v.string()),
  points: v.optional(list(v.object({ correct: count, count }))),
});
export type SweepPart = v.InferOutput<typeof SweepPartSchema>;

export const ToWorkerSchema = v.variant('type', [
  v.object({ type: v.literal('load'), numClasses: count, runs: list(RunSliceSchema) }),
  v.object({ type: v.literal('evaluate'), id: count, target: list(finite) }),
]);
export type ToWorker = v.InferOutput<typeof ToWorkerSchema>;

export const FromWorkerSchema = v.variant('type', [
  v.object({
    type: v.literal('loaded'),
    /** What runs the row scan here: WebAssembly SIMD, or JavaScript where the page refuses WebAssembly. */
    engine: v.picklist(ENGINES),
    uniform: list(MethodPartSchema),
    sweep: list(SweepPartSchema),
  }),
  v.object({ type: v.literal('result'), id: count, parts: list(MethodPartSchema) }),
  v.object({ type: v.literal('error'), message: v.string() }),
]);
export type FromWorker = v.InferOutput<typeof FromWorkerSchema>;
