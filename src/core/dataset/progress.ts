// Throttled progress: counting is per file, reporting at most every `intervalMs`, plus once at the end.
import type { ScanProgress } from './types';

export class ProgressCounter {
  private count = 0;
  private lastReport = 0;

  constructor(
    private readonly phase: ScanProgress['phase'],
    private readonly onProgress: ((p: ScanProgress) => void) | undefined,
    private readonly total?: number,
    private readonly intervalMs = 100,
  ) {}

  get value(): number {
    return this.count;
  }

  /** Counts one file; checks the clock only every 1024 files, so the hot path stays cheap. */
  readonly tick = (): void => {
    this.count++;
    if (this.onProgress && (this.count & 1023) === 0) {
      const now = Date.now();
      if (now - this.lastReport >= this.intervalMs) {
        this.lastReport = now;
        this.report();
      }
    }
  };

  /** Sets the count directly (for phases that already know it), reporting on the same throttle. */
  set(count: number): void {
    this.count = count;
    const now = Date.now();
    if (this.onProgress && now - this.lastReport >= this.intervalMs) {
      this.lastReport = now;
      this.report();
    }
  }

  report(): void {
    this.onProgress?.({ phase: this.phase, filesSeen: this.count, ...(this.total !== undefined ? { total: this.total } : {}) });
  }
}
