import { describe, expect, it, vi } from 'vitest';
import { choiceFromArgument, type TrainChoice } from '../../../src/extension/training/options';

vi.mock('vscode');

const defaults: TrainChoice = { losses: ['lade', 'ce'], model: 'cnn', epochs: 10, batchSize: 128, size: 32, backend: 'auto' };

describe('training options from a command argument', () => {
  it('overrides only what it names', () => {
    expect(choiceFromArgument({ dataDir: '/d' }, defaults)).toEqual(defaults);
    expect(choiceFromArgument({ losses: ['bs'], epochs: 2, model: 'resnet20', backend: 'cpu' }, defaults)).toEqual({
      ...defaults,
      losses: ['bs'],
      epochs: 2,
      model: 'resnet20',
      backend: 'cpu',
    });
  });

  it.each([
    [{ losses: [] }, "'losses' must be a non-empty list"],
    [{ losses: ['focal'] }, "'losses' must be a non-empty list of lade, ce, bs"],
    [{ epochs: 0 }, "'epochs' must be a positive integer"],
    [{ epochs: 2.5 }, "'epochs' must be a positive integer"],
    [{ model: 'vit' }, "'model' must be one of cnn, resnet20"],
    [{ backend: 'cuda' }, "'backend' must be one of auto, wasm, cpu, webgpu, tensorflow"],
  ])('rejects %j naming the field', (arg, message) => {
    expect(() => choiceFromArgument(arg, defaults)).toThrow(message);
  });
});
