// The one set of colours for LADE Studio's charts, shared by the HTML report and the panels' webviews
// (pure data: no Node or vscode import). A method keeps its colour everywhere; the shot groups use a
// separate, sequential scale (dark = many images, light = few) so they never read as methods.
import type { Shot } from '../dataset/types';
import type { Method } from '../runs/lossKind';

/** A VS Code theme colour (`--vscode-charts-*`) and the hex used where no theme exists (the HTML report). */
export interface PaletteColor {
  readonly cssVar: string;
  readonly hex: string;
}

/** Softmax, PC Softmax and the prior-free compensation (LADE, Balanced Softmax, logit adjustment). */
export const METHOD_COLORS: Readonly<Record<Method, PaletteColor>> = {
  softmax: { cssVar: '--vscode-charts-orange', hex: '#d18616' },
  pc_softmax: { cssVar: '--vscode-charts-purple', hex: '#8957e5' },
  lade: { cssVar: '--vscode-charts-green', hex: '#2ea043' },
};

/** A shade of a theme colour: `mix` of `cssVar` (whose own fallback is `base`) blended into the background. */
export interface ShadeColor extends PaletteColor {
  readonly mix: number;
  readonly base: string;
}

const BLUE = { cssVar: '--vscode-charts-blue', base: '#1f5fa8' };

/**
 * Shot groups as shades of one hue: in a webview `mix` of `--vscode-charts-blue` blended into the editor
 * background; `hex` is the same shade on white for the report. A class with no training images ('empty')
 * is grey.
 */
export const SHOT_COLORS: Readonly<Record<Shot, ShadeColor>> = {
  many: { ...BLUE, mix: 1, hex: '#1f5fa8' },
  medium: { ...BLUE, mix: 0.6, hex: '#5b9bd5' },
  few: { ...BLUE, mix: 0.3, hex: '#a9cbeb' },
  empty: { cssVar: '--vscode-disabledForeground', base: '#999999', mix: 1, hex: '#999999' },
};

/** A palette colour as a CSS value in a webview: the theme's variable (falling back to the hex), or a shade of it. */
export function cssColor(c: PaletteColor | ShadeColor): string {
  if (!('mix' in c) || c.mix === 1) return `var(${c.cssVar}, ${c.hex})`;
  return `color-mix(in srgb, var(${c.cssVar}, ${c.base}) ${Math.round(c.mix * 100)}%, var(--vscode-editor-background, #ffffff))`;
}
