// The fault-injection switch read by the training worker (LADE_TEST_FAULT).
import { describe, expect, it } from 'vitest';
import { parseTestFault } from '../../../../src/core/train/testFault';

describe('parseTestFault', () => {
  it('is off when the variable is unset or empty', () => {
    expect(parseTestFault(undefined)).toBeUndefined();
    expect(parseTestFault('')).toBeUndefined();
    expect(parseTestFault('  ')).toBeUndefined();
  });

  it('reads exit-after-epoch:N', () => {
    expect(parseTestFault('exit-after-epoch:1')).toEqual({ kind: 'exit-after-epoch', epoch: 1 });
    expect(parseTestFault(' exit-after-epoch:12 ')).toEqual({ kind: 'exit-after-epoch', epoch: 12 });
  });

  it('refuses anything else, naming the variable and the value', () => {
    for (const bad of ['exit-after-epoch:0', 'exit-after-epoch:', 'exit-after-epoch:1.5', 'crash', 'exit-after-step:3']) {
      expect(() => parseTestFault(bad)).toThrow(`LADE_TEST_FAULT='${bad}' is not a known fault: use exit-after-epoch:N with N >= 1.`);
    }
  });
});
