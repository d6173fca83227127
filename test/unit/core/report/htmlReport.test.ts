import { describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../../../src/core/dataset/types';
import { htmlReport } from '../../../../src/core/report/htmlReport';

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
    // One bar per class in the histogram.
    expect(html.match(/<rect /g)).toHaveLength(2);
  });

  it('marks the best method under each prior and draws the sweep', () => {
    const html = htmlReport({
      title: 'Demo',
      generatedAt: 'now',
      dataset,
      comparisons: [{ prior: 'backward-10', rows: [{ method: 'Softmax', accuracy: 40 }, { method: 'LADE', accuracy: 61.234, ece: 0.05, nll: 1.2 }] }],
      sweep: { labels: ['forward-10', 'uniform', 'backward-10'], series: [{ name: 'LADE', values: [70, 65, 61] }] },
    });
    expect(html).toContain('<h3>backward-10</h3>');
    expect(html).toContain('<td class="n best">61.23</td>');
    expect(html).toContain('<td class="n">40.00</td>');
    expect(html).toContain('<polyline');
  });
});
