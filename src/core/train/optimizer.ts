// SGD with momentum (PyTorch semantics: buf = m * buf + g; w -= lr * buf) and Adam, both with L2 weight decay
// on kernels only (not biases or batch-norm parameters). Written here rather than taken from tf.train so that
// the learning rate can follow a schedule and the whole state can be saved in and restored from a checkpoint.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerKind } from '../runs/config';

export interface OptimizerOptions {
  readonly kind: OptimizerKind;
  readonly momentum: number;
  readonly weightDecay: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

export class Optimizer {
  /** Named slots, one per variable (momentum buffer, or Adam's m and v). */
  private slots = new Map<string, tf.Variable>();
  private stepCount = 0;

  constructor(
    private readonly vars: readonly tf.Variable[],
    private readonly opts: OptimizerOptions,
  ) {}

  /** Slots are keyed by the variable's position, since tfjs renames variables when a model is rebuilt. */
  private slot(index: number, name: string): tf.Variable {
    const key = `${index}/${name}`;
    let s = this.slots.get(key);
    if (!s) {
      s = tf.tidy(() => tf.variable(tf.zerosLike(this.vars[index]), false));
      this.slots.set(key, s);
    }
    return s;
  }

  step(grads: tf.NamedTensorMap, lr: number): void {
    this.stepCount++;
    const t = this.stepCount;
    tf.tidy(() => {
      this.vars.forEach((v, index) => {
        const g0 = grads[v.name];
        if (!g0) return;
        const decay = this.opts.weightDecay > 0 && v.rank > 1;
        const g = decay ? g0.add(v.mul(this.opts.weightDecay)) : g0;
        if (this.opts.kind === 'sgd') {
          const buf = this.slot(index, 'momentum');
          const next = buf.mul(this.opts.momentum).add(g);
          buf.assign(next);
          v.assign(v.sub(next.mul(lr)));
        } else {
          const m = this.slot(index, 'm');
          const s = this.slot(index, 'v');
          const m1 = m.mul(BETA1).add(g.mul(1 - BETA1));
          const v1 = s.mul(BETA2).add(g.square().mul(1 - BETA2));
          m.assign(m1);
          s.assign(v1);
          const mHat = m1.div(1 - BETA1 ** t);
          const vHat = v1.div(1 - BETA2 ** t);
          v.assign(v.sub(mHat.mul(lr).div(vHat.sqrt().add(EPS))));
        }
      });
    });
  }

  /** Slot values keyed by variable index and slot, plus the step count (for Adam's bias correction). */
  async getState(): Promise<{ step: number; slots: { key: string; shape: number[]; values: Float32Array }[] }> {
    const slots = [];
    for (const [key, s] of this.slots) slots.push({ key, shape: s.shape, values: (await s.data()) as Float32Array });
    return { step: this.stepCount, slots };
  }

  setState(state: { step: number; slots: { key: string; shape: number[]; values: Float32Array }[] }): void {
    this.stepCount = state.step;
    for (const { key, shape, values } of state.slots) {
      const [index, name] = key.split('/');
      const v = this.vars[Number(index)];
      if (!v || v.shape.join('x') !== shape.join('x')) {
        throw new Error(`Checkpoint optimizer slot '${key}' (shape ${shape.join('x')}) does not fit this model.`);
      }
      const slot = this.slot(Number(index), name);
      tf.tidy(() => slot.assign(tf.tensor(values, shape)));
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) s.dispose();
    this.slots.clear();
  }
}

export interface ScheduleOptions {
  readonly kind: 'cosine' | 'step';
  readonly peak: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
}

/** Linear warm-up to the peak, then cosine decay to 0, or steps of x0.1 at 50% and 75% of training. */
export function learningRate(step: number, o: ScheduleOptions): number {
  if (step < o.warmupSteps) return (o.peak * (step + 1)) / o.warmupSteps;
  const span = Math.max(1, o.totalSteps - o.warmupSteps);
  const progress = Math.min(1, (step - o.warmupSteps) / span);
  if (o.kind === 'cosine') return 0.5 * o.peak * (1 + Math.cos(Math.PI * progress));
  return o.peak * (progress >= 0.75 ? 0.01 : progress >= 0.5 ? 0.1 : 1);
}
