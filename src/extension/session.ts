// What the prior editor and the metrics panel share: the run (or dataset) whose classes are being
// edited, and the current target prior. The editor follows the runs open in the metrics panel; the panel
// re-evaluates on every target change. Created once in activate() and handed to both features.
import { uniformTarget, type TargetPrior } from '../core/priors/target';
import type { PriorContext } from '../protocol/priorEditor';

export interface ClassContext {
  /** A run name, or the dataset root when no run is open. */
  readonly source: PriorContext;
  readonly classes: readonly string[];
  readonly trainCounts: readonly number[];
  /** m of the shift protocol for the forward/backward presets. */
  readonly perClassTestCount: number;
}

type Listener<T> = (value: T) => void;

export class LadeSession {
  private contextValue: ClassContext | undefined;
  private targetValue: TargetPrior | undefined;
  private readonly contextListeners = new Set<Listener<ClassContext | undefined>>();
  private readonly targetListeners = new Set<Listener<TargetPrior>>();

  get context(): ClassContext | undefined {
    return this.contextValue;
  }

  get target(): TargetPrior | undefined {
    return this.targetValue;
  }

  /** A new class context; the target resets to uniform unless the classes are the same as before. */
  setContext(context: ClassContext | undefined): void {
    const same =
      !!context && !!this.contextValue && context.classes.length === this.contextValue.classes.length && context.classes.every((c, i) => c === this.contextValue?.classes[i]);
    this.contextValue = context;
    if (!same) this.targetValue = context ? uniformTarget(context.classes.length) : undefined;
    for (const l of this.contextListeners) l(context);
    if (!same && this.targetValue) for (const l of this.targetListeners) l(this.targetValue);
  }

  /** Ignored unless it has one share per class of the current context (a late message from an old one). */
  setTarget(target: TargetPrior): void {
    if (!this.contextValue || target.shares.length !== this.contextValue.classes.length) return;
    this.targetValue = target;
    for (const l of this.targetListeners) l(target);
  }

  onContext(listener: Listener<ClassContext | undefined>): { dispose(): void } {
    this.contextListeners.add(listener);
    return { dispose: () => this.contextListeners.delete(listener) };
  }

  onTarget(listener: Listener<TargetPrior>): { dispose(): void } {
    this.targetListeners.add(listener);
    return { dispose: () => this.targetListeners.delete(listener) };
  }
}
