import { describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../../../src/core/dataset/types';
import { htmlReport } from '../../../../src/core/report/htmlReport';
import { METHOD_COLORS, SHOT_COLORS } from '../../../../src/core/report/palette';
import { niceTicks } from '../../../../src/core/report/svg';

/** Each <svg> of a page, with its axis titles and legend labels. */
function charts(html: string): { axisTitles: string[]; legend: string[]; svg: string }[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map(([svg]) => ({
    svg,
    axisTitles: [...svg.matchAll(/<text class="axis-title"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!),
    legend: [...(svg.match(/<g class="legend">[\s\S]*?<\/g>/)?.[0] ?? '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!),
  }));
}

const dataset: AnalyzeResult = {
  root: '/data',
  layout: 'folder-per-class',
  primarySplit: 'train',
  classes: [
    { name: 'cat', count: 300, share: 0.75, effectiveNumber: 259, shot: 'many' },
    { name: 'A&B <b>', count: 100, share: 0.25, effectiveNumber: 95, shot: 'medium' },
  ],
  total: 400,
  imbalanceRatio: 3,
  gini: 0.25,
  entropy: 0.81,
  effectiveNumber: 354,
  options: { manyThreshold: 100, fewThreshold: 20, beta: 0.999 },
  shots: { many: ['cat'], medium: ['A&B <b>'], few: [] },
  splits: [
    { name: 'train', total: 400, counts: [300, 100] },
    { name: 'test', total: 20, counts: [10, 10] },
  ],
  warnings: [],
  durationMs: 5,
};

describe('HTML report', () => {
  it('shows every class with its per-split counts, escaped, and runs no script', () => {
    const html = htmlReport({ title: 'Demo', generatedAt: '2026-01-01', dataset });
    expect(html).toContain('<td>A&amp;B &lt;b&gt;</td><td>medium</td><td class="n">100</td><td class="n">10</td>');
    expect(html).toContain('<td>cat</td><td>many</td><td class="n">300</td><td class="n">10</td>');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    // One bar per class in the histogram (the legend's swatches have no tooltip).
    expect(html.match(/<rect [^>]*><title>/g)).toHaveLength(2);
  });

  it('marks the best method under each prior and draws the sweep', () => {
    const html = htmlReport({
      title: 'Demo',
      generatedAt: 'now',
      dataset,
      comparisons: [{ prior: 'backward-10', rows: [{ method: 'softmax', label: 'Softmax', accuracy: 40 }, { method: 'lade', label: 'LADE', accuracy: 61.234, ece: 0.05, nll: 1.2 }] }],
      sweep: { labels: ['forward-10', 'uniform', 'backward-10'], series: [{ method: 'lade', name: 'LADE', values: [70, 65, 61] }] },
    });
    expect(html).toContain('<h3>backward-10</h3>');
    expect(html).toContain('<td class="n best">61.23</td>');
    expect(html).toContain('<td class="n">40.00</td>');
    expect(html).toContain('<polyline');
  });

  it('gives every chart an x and a y axis title and a legend, coloured from the palette', () => {
    const html = htmlReport({
      title: 'Demo',
      generatedAt: 'now',
      dataset,
      curves: [
        { method: 'softmax', name: 'CE run', values: [2.1, 1.5, 1.2] },
        { method: 'lade', name: 'LADE run', values: [2.4, 1.7, 1.3] },
      ],
      sweep: {
        labels: ['forward-10', 'uniform', 'backward-10'],
        series: [
          { method: 'softmax', name: 'Softmax', values: [70, 60, 40] },
          { method: 'pc_softmax', name: 'PC Softmax', values: [72, 62, 55] },
          { method: 'lade', name: 'LADE', values: [71, 63, 58] },
        ],
      },
    });
    const [histogram, curves, sweep] = charts(html);
    expect(charts(html)).toHaveLength(3);
    for (const c of [histogram!, curves!, sweep!]) expect(c.axisTitles).toHaveLength(2);
    expect(histogram!.axisTitles[0]).toContain('(log scale)');
    expect(sweep!.axisTitles[0]).toContain('(%)');
    expect(histogram!.legend).toEqual(['many-shot', 'medium-shot']); // only the groups the dataset has
    expect(histogram!.svg).toContain(`fill="${SHOT_COLORS.many.hex}"`);
    expect(sweep!.legend).toEqual(['Softmax', 'PC Softmax', 'LADE']);
    expect(curves!.legend).toEqual(['CE run', 'LADE run']);
    // One colour per method, in every chart it appears in.
    for (const m of ['softmax', 'pc_softmax', 'lade'] as const) expect(sweep!.svg).toContain(`stroke="${METHOD_COLORS[m].hex}"`);
    expect(curves!.svg).toContain(`stroke="${METHOD_COLORS.softmax.hex}"`);
    // Round ticks: 40 … 80 in steps of 10, not the data's extremes (40 and 72).
    const ticks = [...sweep!.svg.matchAll(/<text x="63" [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['40', '50', '60', '70', '80']);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and encloses the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 7300)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(niceTicks(1.234, 2.71)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(niceTicks(-3, 3)).toEqual([-4, -2, 0, 2, 4]);
    expect(niceTicks(5, 5)).toEqual([5, 5.1, 5.2, 5.3, 5.4, 5.5]); // a flat line still gets an axis
  });
});
