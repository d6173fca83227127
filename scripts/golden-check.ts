// Checks any file with the golden schema (docs/math.md, section 6) against the project's own
// losses, gradients, prior bias, metrics kernel and shift protocol, and reports the largest absolute
// error of each quantity. Used by `npm run golden -- FILE` and by the unit tests.
import * as tf from '@tensorflow/tfjs';
import {
  fusedLadeLoss,
  ladeCrossEntropy,
  ladeLoss,
  ladeLossWithGradients,
  ladeRegularizer,
  ladeRegularizerTerms,
  softmaxCrossEntropy,
} from '../src/core/losses';
import { WhatIfEvaluator, firstImagesMask } from '../src/core/metrics';
import { longTailedCounts, priorBias, shiftedPrior, shiftedTestCounts, type ShiftDirection, uniformPrior } from '../src/core/priors';
import { initBackend } from '../src/core/tf/backend';

/** webgpu is opt-in (optional packages and a GPU): never in the default set. */
export type GoldenBackend = 'wasm' | 'cpu' | 'webgpu';
export type GoldenPath = 'autodiff' | 'fused';

/** scalars: |d| <= 1e-4 + 1e-5 |ref|; gradients and probabilities: |d| <= 1e-5; counts, masks, predictions: exact. */
type ToleranceKind = 'scalar' | 'elementwise' | 'exact';

const TOLERANCE_TEXT: Record<ToleranceKind, string> = {
  scalar: '1e-4 + 1e-5|ref|',
  elementwise: '1e-5',
  exact: 'exact',
};

function tolerance(kind: ToleranceKind, ref: number): number {
  if (kind === 'scalar') return 1e-4 + 1e-5 * Math.abs(ref);
  return kind === 'elementwise' ? 1e-5 : 0;
}

export interface QuantityReport {
  readonly name: string;
  readonly tolerance: string;
  /** Largest |ours - reference| over every element of every case. */
  maxAbsError: number;
  /** Case holding the largest error relative to its tolerance. */
  worstCase: string;
  compared: number;
  failed: number;
}

export interface ComboReport {
  /** e.g. 'wasm / fused', or 'shift protocol' for the backend-free checks. */
  readonly label: string;
  readonly quantities: QuantityReport[];
}

export interface GoldenReport {
  readonly cases: number;
  readonly shiftCases: number;
  readonly combos: ComboReport[];
  readonly ok: boolean;
}

class Tally {
  private readonly byName = new Map<string, QuantityReport & { worstRatio: number }>();

  compare(name: string, kind: ToleranceKind, caseId: string, ours: ArrayLike<number>, ref: readonly number[]): void {
    let q = this.byName.get(name);
    if (!q) {
      q = { name, tolerance: TOLERANCE_TEXT[kind], maxAbsError: 0, worstCase: '', compared: 0, failed: 0, worstRatio: -1 };
      this.byName.set(name, q);
    }
    if (ours.length !== ref.length) {
      throw new Error(`case '${caseId}' ${name}: we computed ${ours.length} values, the file holds ${ref.length}.`);
    }
    for (let i = 0; i < ref.length; i++) {
      const err = Math.abs(ours[i] - ref[i]);
      const tol = tolerance(kind, ref[i]);
      const bad = !(err <= tol); // NaN fails
      const ratio = Number.isNaN(err) ? Infinity : tol > 0 ? err / tol : err > 0 ? Infinity : 0;
      q.compared++;
      if (bad) q.failed++;
      if (Number.isNaN(err) || err > q.maxAbsError) q.maxAbsError = Number.isNaN(err) ? NaN : err;
      if (ratio > q.worstRatio) {
        q.worstRatio = ratio;
        q.worstCase = caseId;
      }
    }
  }

  report(label: string): ComboReport {
    const quantities = [...this.byName.values()].map(({ worstRatio: _unused, ...q }) => q);
    return { label, quantities };
  }
}

// ---- reading the file: every field is checked, and errors name the case and the field ----

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(obj: Json, key: string, where: string): Json {
  if (!isRecord(obj) || !(key in obj)) throw new Error(`${where}: missing field '${key}'.`);
  return obj[key];
}

function num(v: Json, where: string): number {
  if (typeof v !== 'number') throw new Error(`${where}: expected a number, got ${JSON.stringify(v)?.slice(0, 40)}.`);
  return v;
}

function vector(v: Json, where: string): number[] {
  if (!Array.isArray(v)) throw new Error(`${where}: expected a list of numbers.`);
  return v.map((x, i) => (typeof x === 'boolean' ? (x ? 1 : 0) : num(x, `${where}[${i}]`)));
}

function matrix(v: Json, rows: number, cols: number, where: string): number[][] {
  if (!Array.isArray(v) || v.length !== rows) throw new Error(`${where}: expected ${rows} rows.`);
  return v.map((r, i) => {
    const row = vector(r, `${where}[${i}]`);
    if (row.length !== cols) throw new Error(`${where}[${i}]: expected ${cols} values, got ${row.length}.`);
    return row;
  });
}

interface LossCase {
  readonly id: string;
  readonly logits: number[][];
  readonly labels: number[];
  readonly sourcePrior: number[];
  readonly targetPrior: number[];
  readonly alpha: number;
  readonly lambda: number;
  readonly outputs: Json;
  readonly inference: Json;
}

function readCase(raw: Json, index: number): LossCase {
  const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : `#${index}`;
  const where = `case '${id}'`;
  const inputs = field(raw, 'inputs', where);
  const labels = vector(field(inputs, 'labels', `${where} inputs`), `${where} inputs.labels`);
  const sourcePrior = vector(field(inputs, 'source_prior', `${where} inputs`), `${where} inputs.source_prior`);
  const numClasses = sourcePrior.length;
  const logits = matrix(field(inputs, 'logits', `${where} inputs`), labels.length, numClasses, `${where} inputs.logits`);
  return {
    id,
    logits,
    labels,
    sourcePrior,
    targetPrior: vector(field(inputs, 'target_prior', `${where} inputs`), `${where} inputs.target_prior`),
    alpha: num(field(inputs, 'alpha', `${where} inputs`), `${where} inputs.alpha`),
    lambda: num(field(inputs, 'remine_lambda', `${where} inputs`), `${where} inputs.remine_lambda`),
    outputs: field(raw, 'outputs', where),
    inference: isRecord(raw) ? (raw.inference ?? null) : null,
  };
}

// ---- the checks ----

async function values(t: tf.Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

async function checkLosses(c: LossCase, path: GoldenPath, tally: Tally): Promise<void> {
  const where = `case '${c.id}' outputs`;
  const out = c.outputs;
  const n = c.labels.length;
  const numClasses = c.sourcePrior.length;
  const ref = (key: string): number => num(field(out, key, where), `${where}.${key}`);
  const refMatrix = (key: string): number[] => matrix(field(out, key, where), n, numClasses, `${where}.${key}`).flat();
  const opts = { alpha: c.alpha, lambda: c.lambda };

  const z = tf.tensor2d(c.logits);
  const y = tf.tensor1d(c.labels, 'int32');
  const kept: tf.Tensor[] = [z, y];
  try {
    let total: tf.Scalar, ce: tf.Scalar, reg: tf.Scalar, gradTotal: tf.Tensor, gradCe: tf.Tensor, gradReg: tf.Tensor;
    if (path === 'autodiff') {
      ({ total, ce, reg } = ladeLoss(z, y, c.sourcePrior, opts));
      gradTotal = tf.grad((x: tf.Tensor) => ladeLoss(x as tf.Tensor2D, y, c.sourcePrior, opts).total)(z);
      gradCe = tf.grad((x: tf.Tensor) => ladeCrossEntropy(x as tf.Tensor2D, y, c.sourcePrior))(z);
      gradReg = tf.grad((x: tf.Tensor) => ladeRegularizer(x as tf.Tensor2D, y, c.sourcePrior, c.lambda))(z);
    } else {
      ({ ce, reg, gradCe, gradReg } = ladeLossWithGradients(z, y, c.sourcePrior, opts));
      // The total and its gradient go through the custom-gradient op training uses.
      total = fusedLadeLoss(z, y, c.sourcePrior, opts);
      gradTotal = tf.grad((x: tf.Tensor) => fusedLadeLoss(x as tf.Tensor2D, y, c.sourcePrior, opts))(z);
    }
    kept.push(total, ce, reg, gradTotal, gradCe, gradReg);
    const regValue = (await values(reg))[0];
    tally.compare('loss_total', 'scalar', c.id, await values(total), [ref('loss_total')]);
    tally.compare('ce', 'scalar', c.id, await values(ce), [ref('ce')]);
    tally.compare('reg', 'scalar', c.id, [regValue], [ref('reg')]);
    tally.compare('reg_weighted', 'scalar', c.id, [c.alpha * regValue], [ref('reg_weighted')]);
    tally.compare('grad_total', 'elementwise', c.id, await values(gradTotal), refMatrix('grad_total'));
    tally.compare('grad_ce', 'elementwise', c.id, await values(gradCe), refMatrix('grad_ce'));
    tally.compare('grad_reg', 'elementwise', c.id, await values(gradReg), refMatrix('grad_reg'));

    const plain = softmaxCrossEntropy(z, y);
    kept.push(plain);
    tally.compare('ce_plain', 'scalar', c.id, await values(plain), [ref('ce_plain')]);

    const terms = ladeRegularizerTerms(z, y, c.sourcePrior, c.lambda);
    kept.push(...Object.values(terms));
    const perClass = field(out, 'per_class', where);
    const termOf: Array<[string, tf.Tensor]> = [
      ['num_samples', terms.numSamples],
      ['first_term', terms.firstTerm],
      ['second_term', terms.secondTerm],
      ['estim', terms.estimate],
      ['cls_weight', terms.classWeight],
    ];
    for (const [key, t] of termOf) {
      const refs = vector(field(perClass, key, `${where}.per_class`), `${where}.per_class.${key}`);
      tally.compare(`per_class.${key}`, 'scalar', c.id, await values(t), refs);
    }
  } finally {
    tf.dispose(kept);
  }
}

/** Inference: probabilities through TF.js softmax(z + bias), predictions through the metrics kernel. */
async function checkInference(c: LossCase, tally: Tally): Promise<void> {
  if (c.inference === null) return; // the file leaves it out where PC Softmax is undefined (p_s = 0)
  const where = `case '${c.id}' inference`;
  const n = c.labels.length;
  const numClasses = c.sourcePrior.length;
  const flat = Float32Array.from(c.logits.flat());
  const evaluator = new WhatIfEvaluator({ logits: flat, labels: Int32Array.from(c.labels), numClasses });
  const targets: Array<[string, number[] | Float64Array]> = [
    ['target', c.targetPrior],
    ['uniform', uniformPrior(numClasses)],
  ];
  for (const [model, kind] of [['pc_softmax', 'ce-pc'], ['lade', 'lade']] as const) {
    for (const [targetName, target] of targets) {
      const bias = priorBias(kind, c.sourcePrior, target);
      const key = `${model}_probs_${targetName}`;
      const refProbs = matrix(field(c.inference, key, where), n, numClasses, `${where}.${key}`).flat();
      const probs = tf.tidy(() => tf.softmax(tf.add(tf.tensor2d(flat, [n, numClasses]), tf.tensor1d(Float32Array.from(bias)))));
      tally.compare(`${model}_probs_${targetName}`, 'elementwise', c.id, await values(probs), refProbs);
      probs.dispose();
      const predKey = `${model}_pred_${targetName}`;
      const refPred = vector(field(c.inference, predKey, where), `${where}.${predKey}`);
      tally.compare(predKey, 'exact', c.id, evaluator.predict(bias), refPred);
    }
  }
}

const DIRECTIONS: readonly string[] = ['forward', 'backward', 'uniform'];

/** Shifted-test-set counts and priors, the first-images mask, and the CIFAR-LT profiles. */
function checkShiftProtocol(doc: Json, tally: Tally): number {
  const raw = isRecord(doc) ? doc.shift_protocol_cases : undefined;
  const cases = Array.isArray(raw) ? raw : [];
  for (const [index, s] of cases.entries()) {
    const id = isRecord(s) && typeof s.id === 'string' ? s.id : `#${index}`;
    const where = `shift case '${id}'`;
    if (isRecord(s) && 'mask' in s) {
      const labels = Int32Array.from(vector(field(s, 'test_labels', where), `${where}.test_labels`));
      const counts = vector(field(s, 'test_counts', where), `${where}.test_counts`);
      tally.compare('shift.mask', 'exact', id, firstImagesMask(labels, counts), vector(s.mask, `${where}.mask`));
      continue;
    }
    const trainPrior = vector(field(s, 'train_prior', where), `${where}.train_prior`);
    const m = num(field(s, 'img_max', where), `${where}.img_max`);
    const direction = field(s, 'direction', where);
    if (typeof direction !== 'string' || !DIRECTIONS.includes(direction)) {
      throw new Error(`${where}.direction: expected one of ${DIRECTIONS.join(', ')}, got ${JSON.stringify(direction)}.`);
    }
    const dir = direction as ShiftDirection;
    const ratio = num(field(s, 'ratio', where), `${where}.ratio`);
    const refCounts = vector(field(s, 'test_counts', where), `${where}.test_counts`);
    const refPrior = vector(field(s, 'target_prior', where), `${where}.target_prior`);
    tally.compare('shift.test_counts', 'exact', id, shiftedTestCounts(trainPrior, m, dir, ratio), refCounts);
    tally.compare('shift.target_prior', 'elementwise', id, shiftedPrior(trainPrior, m, dir, ratio), refPrior);
  }
  const profiles = isRecord(doc) ? doc.cifar100_lt_train_counts : undefined;
  if (isRecord(profiles)) {
    for (const [ratio, counts] of Object.entries(profiles)) {
      const ref = vector(counts, `cifar100_lt_train_counts.${ratio}`);
      const maxCount = ref.length > 0 ? ref[0] : 0;
      tally.compare('cifar_lt_train_counts', 'exact', `ratio ${ratio}`, longTailedCounts(ref.length, maxCount, Number(ratio)), ref);
    }
  }
  return cases.length;
}

export async function checkGolden(
  doc: Json,
  options: { backends?: readonly GoldenBackend[]; paths?: readonly GoldenPath[] } = {},
): Promise<GoldenReport> {
  const rawCases = field(doc, 'cases', 'golden file');
  if (!Array.isArray(rawCases)) throw new Error("golden file: 'cases' must be a list.");
  const cases = rawCases.map(readCase);
  const combos: ComboReport[] = [];
  for (const backend of options.backends ?? ['wasm', 'cpu']) {
    await initBackend(backend);
    for (const path of options.paths ?? ['autodiff', 'fused']) {
      const tally = new Tally();
      for (const c of cases) {
        await checkLosses(c, path, tally);
        await checkInference(c, tally);
      }
      combos.push(tally.report(`${backend} / ${path}`));
    }
  }
  const shiftTally = new Tally();
  const shiftCases = checkShiftProtocol(doc, shiftTally);
  combos.push(shiftTally.report('shift protocol'));
  const ok = combos.every((combo) => combo.quantities.every((q) => q.failed === 0));
  return { cases: cases.length, shiftCases, combos, ok };
}

export function formatReport(report: GoldenReport): string {
  const lines = [`${report.cases} loss cases, ${report.shiftCases} shift-protocol cases`];
  for (const combo of report.combos) {
    lines.push('', `[${combo.label}]`, `  ${'quantity'.padEnd(28)}${'max |error|'.padEnd(14)}${'tolerance'.padEnd(20)}status`);
    for (const q of combo.quantities) {
      const status = q.failed === 0 ? 'ok' : `FAIL (${q.failed} of ${q.compared}, worst in ${q.worstCase})`;
      lines.push(`  ${q.name.padEnd(28)}${q.maxAbsError.toExponential(2).padEnd(14)}${q.tolerance.padEnd(20)}${status}`);
    }
  }
  lines.push('', report.ok ? 'golden: all quantities within tolerance' : 'golden: FAILED');
  return lines.join('\n');
}
