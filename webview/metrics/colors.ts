// The metrics panel's colours, in one place: one colour per method (the same in every chart and table),
// and a separate sequential scale for the shot groups so that no hue means both a method and a group.
// Webview-side until a shared palette module exists.
import type { ShotGroup } from '../../src/core/metrics';
import type { LossKind, Method } from '../../src/core/runs/lossKind';
import { h, themeColor } from '../shared/dom';

/** Method colours: VS Code's chart variables (they follow the theme), with their dark-theme values as fallback. */
const METHOD_COLORS: Readonly<Record<string, readonly [string, string]>> = {
  softmax: ['--vscode-charts-orange', '#d18616'],
  pc_softmax: ['--vscode-charts-purple', '#b180d7'],
  lade: ['--vscode-charts-blue', '#3794ff'],
  bs: ['--vscode-charts-green', '#89d185'],
  la: ['--vscode-charts-yellow', '#cca700'],
};

/** The colour of a method; the prior-free compensation is coloured by its loss, as it is named by it. */
export function methodColor(method: Method, loss: LossKind): string {
  const key = method === 'lade' ? loss : method;
  const [variable, fallback] = METHOD_COLORS[key] ?? (METHOD_COLORS.lade as readonly [string, string]);
  return themeColor(variable, fallback);
}

/** Shot groups: one teal hue from dark (many) to light (few), readable on light and dark backgrounds. */
export const SHOT_COLORS: Readonly<Record<ShotGroup, string>> = { many: '#0f766e', medium: '#2bb3a3', few: '#8fe3d6' };

/** A small square of `color`, as a chart legend draws it, to tie a table's row or column to its chart series. */
export function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  el.style.background = color; // set through the CSSOM: the webview's CSP refuses inline style attributes
  return el;
}
