// The class rows, virtualized: only the rows in view (and a margin) are in the DOM, so 8,142 classes
// (iNaturalist) scroll and filter like 5. Each row is two fixed-height lines (name, source share, target
// field, lock; then a full-width slider and the training count), so offsets are plain prefix sums.
import type { ShotGroup } from '../../src/core/metrics/summarize';
import { formatNumber, h } from '../shared/dom';

export interface ClassRow {
  readonly name: string;
  readonly trainCount: number;
  /** Share of the training images, 0..1; NaN when there are none. */
  readonly sourceShare: number;
}

/** A group heading (when grouped by shot) or a class, by its index in the editor's class list. */
export type ListItem = { readonly kind: 'group'; readonly group: ShotGroup; readonly title: string; readonly members: readonly number[] } | { readonly kind: 'class'; readonly index: number };

export interface ListHandlers {
  readonly mode: () => 'percent' | 'count';
  /** The target as the text field shows it. */
  readonly shown: (i: number) => string;
  readonly share: (i: number) => number;
  readonly interval: (i: number) => readonly [number, number] | null;
  readonly locked: (i: number) => boolean;
  readonly edit: (i: number, raw: string, fromSlider: boolean) => void;
  readonly lock: (i: number, locked: boolean) => void;
}

export const ROW_HEIGHT = 46;
export const GROUP_HEIGHT = 24;
/** Rows rendered above and below the visible ones, so a quick scroll shows no gap. */
const OVERSCAN = 8;

interface RenderedRow {
  readonly el: HTMLElement;
  readonly text: HTMLInputElement;
  readonly slider: HTMLInputElement | null;
  readonly interval: HTMLElement;
}

const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)}%`;

export class ClassList {
  /** The scrolling box; its spacer is as tall as all items, the rendered ones sit at their offsets. */
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private items: readonly ListItem[] = [];
  private offsets: number[] = [0];
  /** Rendered elements by item position, for in-place updates while a slider moves. */
  private rendered = new Map<number, RenderedRow | HTMLElement>();
  private frame = 0;

  constructor(
    private readonly classes: readonly ClassRow[],
    private readonly on: ListHandlers,
  ) {
    this.spacer = h('div', { class: 'spacer' });
    this.element = h('div', { class: 'class-list', 'data-testid': 'class-list', role: 'list', 'aria-label': 'Classes' }, this.spacer);
    this.element.addEventListener('scroll', () => {
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.renderWindow();
      });
    });
  }

  setItems(items: readonly ListItem[]): void {
    this.items = items;
    this.offsets = [0];
    for (const it of items) this.offsets.push(this.offsets[this.offsets.length - 1]! + (it.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT));
    this.spacer.style.height = `${this.offsets[items.length]}px`;
    this.element.scrollTop = 0;
    this.rendered.forEach((r) => ('el' in r ? r.el : r).remove());
    this.rendered.clear();
    this.renderWindow();
  }

  /** Puts the current target into the rendered rows (all but `skip`, the field being typed in). */
  refresh(skip = -1): void {
    for (const [pos, r] of this.rendered) {
      const item = this.items[pos];
      if (!item) continue;
      if (item.kind === 'group') (r as HTMLElement).querySelector('.group-share')!.textContent = this.groupShare(item);
      else this.fill(r as RenderedRow, item.index, skip);
    }
  }

  /** Renders the items in view and drops the others; called on scroll, resize and new items. */
  renderWindow(): void {
    const top = this.element.scrollTop;
    // Before the box is laid out (or in a zero-height view) it still shows a first screenful.
    const height = this.element.clientHeight || 600;
    const first = Math.max(0, this.indexAt(top) - OVERSCAN);
    const last = Math.min(this.items.length - 1, this.indexAt(top + height) + OVERSCAN);
    for (const [pos, r] of this.rendered) {
      if (pos < first || pos > last) {
        ('el' in r ? r.el : r).remove();
        this.rendered.delete(pos);
      }
    }
    for (let pos = first; pos <= last; pos++) {
      if (this.rendered.has(pos)) continue;
      const item = this.items[pos]!;
      const r = item.kind === 'group' ? this.groupEl(item) : this.rowEl(item.index);
      const el = 'el' in r ? r.el : r;
      el.style.top = `${this.offsets[pos]}px`;
      // Keep DOM order = list order, so reading order and tab order follow the list.
      const next = [...this.rendered.keys()].filter((p) => p > pos).sort((a, b) => a - b)[0];
      const after = next === undefined ? null : this.rendered.get(next)!;
      this.spacer.insertBefore(el, after ? ('el' in after ? after.el : after) : null);
      this.rendered.set(pos, r);
    }
  }

  /** Position of the item covering vertical offset y (binary search over the offsets). */
  private indexAt(y: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }

  private groupShare(item: Extract<ListItem, { kind: 'group' }>): string {
    return `target ${pct(item.members.reduce((a, i) => a + this.on.share(i), 0), 1)}`;
  }

  private groupEl(item: Extract<ListItem, { kind: 'group' }>): HTMLElement {
    return h(
      'div',
      { class: 'group-head', role: 'listitem', 'data-group': item.group },
      h('span', { class: `swatch shot-${item.group}` }),
      h('span', { class: 'group-title', title: item.title }, item.title),
      h('span', { class: 'group-share' }, this.groupShare(item)),
    );
  }

  private rowEl(i: number): RenderedRow {
    const c = this.classes[i]!;
    const percent = this.on.mode() === 'percent';
    const text = h('input', {
      type: 'text',
      inputmode: 'decimal',
      class: 'share-input',
      'aria-label': `Target ${percent ? 'share (%)' : 'count'} of ${c.name}`,
    });
    text.addEventListener('change', () => this.on.edit(i, text.value, false));
    let slider: HTMLInputElement | null = null;
    if (percent) {
      const sl = h('input', { type: 'range', min: 0, max: 100, step: 0.01, class: 'share-slider', 'aria-label': `Target share slider of ${c.name}` });
      sl.addEventListener('input', () => this.on.edit(i, sl.value, true));
      slider = sl;
    }
    const lock = h('input', { type: 'checkbox', class: 'lock', 'aria-label': `Lock ${c.name}`, title: 'Lock: keep this share while others change', checked: this.on.locked(i) });
    lock.addEventListener('change', () => this.on.lock(i, lock.checked));
    const interval = h('span', { class: 'interval', title: '95% interval of the estimate' });
    const el = h(
      'div',
      { class: 'class-row', role: 'listitem', 'data-class': c.name },
      h(
        'div',
        { class: 'line' },
        h('span', { class: 'name', title: c.name }, c.name),
        h('span', { class: 'source-share', title: 'Source share (training images)' }, Number.isFinite(c.sourceShare) ? pct(c.sourceShare) : '—'),
        text,
        lock,
      ),
      h('div', { class: 'line' }, slider ?? h('span', { class: 'slider-gap' }), interval, h('span', { class: 'train-count', title: 'Training images' }, formatNumber(c.trainCount))),
    );
    const row = { el, text, slider, interval };
    this.fill(row, i, -1);
    return row;
  }

  private fill(r: RenderedRow, i: number, skip: number): void {
    if (i !== skip) r.text.value = this.on.shown(i);
    if (r.slider) r.slider.value = String(this.on.share(i) * 100);
    const iv = this.on.interval(i);
    r.interval.textContent = iv ? `${(iv[0] * 100).toFixed(1)}–${(iv[1] * 100).toFixed(1)}%` : '';
  }
}
