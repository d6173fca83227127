import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasImageExtension, imageExtension } from '../../../../src/core/dataset/imageFiles';

describe('image file names', () => {
  it('recognises the image extensions in any case and nothing else', () => {
    const yes = ['a.jpg', 'B.JPEG', 'c.Png', 'd.webp', 'e.GIF', 'f.bmp', 'g.tif', 'h.TiFf', 'x.y.png'];
    const no = ['a.jpgg', 'a.pn', 'png', 'a.txt', 'a.j@g', 'a.JP G', 'a.', 'a.svg', 'a.heic'];
    for (const name of yes) expect([name, hasImageExtension(name), imageExtension(name) !== null]).toEqual([name, true, true]);
    for (const name of no) expect([name, hasImageExtension(name), imageExtension(name) !== null]).toEqual([name, false, false]);
  });

  it('the allocation-free check agrees with imageExtension on arbitrary names', () => {
    const chars = fc.constantFrom(...'.jpegnwbfitJPEGNWBFIT@`*0 x'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 8 }), (cs) => {
        const name = cs.join('');
        expect(hasImageExtension(name)).toBe(imageExtension(name) !== null);
      }),
      { numRuns: 3000 },
    );
  });

});
