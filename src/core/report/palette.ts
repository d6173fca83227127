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

/**
 * Shot groups as shades of one hue: `mix` is the share of `--vscode-charts-blue` blended into the editor
 * background in a webview; `hex` is the same shade on white for the report. A class with no training
 * images ('empty') is grey.
 */
export const SHOT_COLORS: Readonly<Record<Shot, PaletteColor & { readonly mix: number }>> = {
  many: { cssVar: '--vscode-charts-blue', mix: 1, hex: '#1f5fa8' },
  medium: { cssVar: '--vscode-charts-blue', mix: 0.6, hex: '#5b9bd5' },
  few: { cssVar: '--vscode-charts-blue', mix: 0.3, hex: '#a9cbeb' },
  empty: { cssVar: '--vscode-disabledForeground', mix: 1, hex: '#999999' },
};

/** A palette colour as a CSS value in a webview: the theme's variable, falling back to the hex. */
export function cssColor(c: PaletteColor & { readonly mix?: number }): string {
  const base = `var(${c.cssVar}, ${c.hex})`;
  return c.mix === undefined || c.mix === 1 ? base : `color-mix(in srgb, ${base} ${Math.round(c.mix * 100)}%, var(--vscode-editor-background, #ffffff))`;
}
