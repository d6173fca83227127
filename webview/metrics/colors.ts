// The metrics panel's colours from the project's palette (src/core/report/palette.ts): one colour per method,
// the same in every chart and table, and the shot groups as shades of one hue, resolved here for the canvas
// (chart.js needs a colour value, not a CSS var() or color-mix()).
import type { ShotGroup } from '../../src/core/metrics';
import { METHOD_COLORS, SHOT_COLORS, type ShadeColor } from '../../src/core/report/palette';
import type { Method } from '../../src/core/runs/lossKind';
import { h, themeColor } from '../shared/dom';

export function methodColor(method: Method): string {
  const c = METHOD_COLORS[method];
  return themeColor(c.cssVar, c.hex);
}

function rgb(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
  return m ? [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)] : null;
}

/** What palette.cssColor asks CSS for (the shade's `mix` of the theme colour into the editor background), in sRGB. */
function shade(c: ShadeColor): string {
  const color = rgb(themeColor(c.cssVar, c.base)) ?? rgb(c.base);
  const background = rgb(themeColor('--vscode-editor-background', '#ffffff'));
  if (!color || !background) return c.hex;
  const mixed = color.map((v, i) => Math.round(v * c.mix + (background[i] as number) * (1 - c.mix)));
  return `rgb(${mixed.join(', ')})`;
}

/** The shot groups' shades under the current theme. */
export function shotColors(): Record<ShotGroup, string> {
  return { many: shade(SHOT_COLORS.many), medium: shade(SHOT_COLORS.medium), few: shade(SHOT_COLORS.few) };
}

/** A small square of `color`, as a chart legend draws it, to tie a table's row or column to its chart series. */
export function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  el.style.background = color; // set through the CSSOM: the webview's CSP refuses inline style attributes
  return el;
}
