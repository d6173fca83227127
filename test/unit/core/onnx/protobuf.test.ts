// The protobuf wire walker: what it encodes it reads back field for field, and truncated input is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, fields, lenField, text, varintField, varints, LEN, VARINT } from '../../../../src/core/onnx/protobuf';

describe('protobuf walker', () => {
  it('reads back varint and length-delimited fields in order, with their raw bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ n: fc.integer({ min: 1, max: 5000 }), v: fc.nat({ max: 2 ** 53 - 1 }) }), fc.record({ n: fc.integer({ min: 1, max: 5000 }), s: fc.string({ maxLength: 300 }) })), { maxLength: 20 }),
        (spec) => {
          const parts = spec.map((f) => ('v' in f ? varintField(f.n, f.v) : lenField(f.n, f.s)));
          const read = fields(concat(parts));
          expect(read).toHaveLength(spec.length);
          spec.forEach((f, i) => {
            const r = read[i]!;
            expect(r.number).toBe(f.n);
            expect([...r.raw]).toEqual([...parts[i]!]);
            if ('v' in f) expect([r.wireType, r.varint]).toEqual([VARINT, f.v]);
            else expect([r.wireType, text(r)]).toEqual([LEN, f.s]);
          });
        },
      ),
    );
  });

  it('reads packed repeated varints', () => {
    const packed = lenField(1, Uint8Array.from([3, 0x96, 0x01, 0x80, 0x01]));
    expect(varints(fields(packed)[0]!)).toEqual([3, 150, 128]);
  });

  it('refuses truncated messages', () => {
    const whole = lenField(7, 'graph bytes');
    expect(() => fields(whole.subarray(0, whole.length - 1))).toThrow(/runs past the end/);
    expect(() => fields(Uint8Array.from([0x08, 0x80]))).toThrow(/truncated varint/);
  });
});
