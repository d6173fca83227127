import { describe, expect, it } from 'vitest';
import { METHODS } from '../../../../src/core/runs/lossKind';
import { cssColor, METHOD_COLORS, SHOT_COLORS } from '../../../../src/core/report/palette';

describe('palette', () => {
  it('gives each method its own colour, none shared with a shot group', () => {
    const methods = METHODS.map((m) => METHOD_COLORS[m].hex);
    const shots = (['many', 'medium', 'few', 'empty'] as const).map((g) => SHOT_COLORS[g].hex);
    expect(new Set([...methods, ...shots]).size).toBe(methods.length + shots.length);
    expect(new Set(METHODS.map((m) => METHOD_COLORS[m].cssVar)).size).toBe(METHODS.length);
  });

  it('writes theme colours with their fallback, and shot shades as a mix into the editor background', () => {
    expect(cssColor(METHOD_COLORS.lade)).toBe('var(--vscode-charts-green, #2ea043)');
    expect(cssColor(SHOT_COLORS.many)).toBe('var(--vscode-charts-blue, #1f5fa8)');
    expect(cssColor(SHOT_COLORS.few)).toBe('color-mix(in srgb, var(--vscode-charts-blue, #1f5fa8) 30%, var(--vscode-editor-background, #ffffff))');
  });
});
