// Collects scan warnings, keeping at most a fixed number per kind so a million bad files cannot flood
// the result; the overflow is summed up in one closing warning per kind.
import type { ScanWarning, WarningKind } from './types';

const DEFAULT_LIMIT_PER_KIND = 100;

export class WarningSink {
  private readonly kept: ScanWarning[] = [];
  private readonly perKind = new Map<WarningKind, number>();

  constructor(private readonly limitPerKind = DEFAULT_LIMIT_PER_KIND) {}

  add(warning: ScanWarning): void {
    const n = (this.perKind.get(warning.kind) ?? 0) + 1;
    this.perKind.set(warning.kind, n);
    if (n <= this.limitPerKind) this.kept.push(warning);
  }

  /** Kept warnings in the order added, then one line per kind that overflowed. */
  list(): ScanWarning[] {
    const overflow: ScanWarning[] = [];
    for (const [kind, n] of this.perKind) {
      if (n > this.limitPerKind) {
        overflow.push({ kind, message: `... and ${n - this.limitPerKind} more ${kind} warnings (${n} in all)` });
      }
    }
    return [...this.kept, ...overflow];
  }
}

/** "a, b, c and 4 more" for messages; the full list goes in the warning's `classes` field. */
export function nameList(names: readonly string[], max = 8): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
