// Screenshots of the metrics panel at 300 and 1400 px in a dark and a light theme, fed with a synthetic
// long-tailed CE and LADE run (100 classes), for looking at the layout: test-results/metrics-<theme>-<width>.png.
// Usage: node esbuild.mjs && npx tsx scripts/metrics-screenshots.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '../test/support/browser';
import { openWebview } from '../test/support/webviewHarness';

/** VS Code's Light+ values of the variables the panel reads; Dark+ is the panel's own fallback. */
const LIGHT: Record<string, string> = {
  '--vscode-foreground': '#616161',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-editor-selectionBackground': '#add6ff',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-button-secondaryBackground': '#5f6a79',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#616161',
  '--vscode-input-border': '#cecece',
  '--vscode-textLink-foreground': '#006ab1',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-charts-red': '#e51400',
};

function synthetic(dir: string, c: number, perClass: number): number[] {
  let s = 11;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0), s / 4294967296);
  const counts = Array.from({ length: c }, (_, k) => Math.round(500 * Math.pow(0.005, k / (c - 1))));
  const total = counts.reduce((a, b) => a + b, 0);
  const n = c * perClass;
  const labels = new Int32Array(n);
  const ce = new Float32Array(n * c);
  const lade = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const y = i % c;
    labels[i] = y;
    for (let k = 0; k < c; k++) {
      const evidence = 2.5 * rand() + (k === y ? 1.4 : 0);
      lade[i * c + k] = evidence + 0.6 * rand(); // a different model: its curve must not hide PC Softmax's
      ce[i * c + k] = evidence + Math.log((counts[k] as number) / total);
    }
  }
  writeFileSync(path.join(dir, 'labels.bin'), labels);
  writeFileSync(path.join(dir, 'ce.bin'), ce);
  writeFileSync(path.join(dir, 'lade.bin'), lade);
  return counts;
}

async function main(): Promise<void> {
  const c = 100;
  const perClass = 30;
  const dir = mkdtempSync(path.join(tmpdir(), 'lade-shots-'));
  mkdirSync('test-results', { recursive: true });
  const counts = synthetic(dir, c, perClass);
  const classes = Array.from({ length: c }, (_, k) => `class-${String(k).padStart(3, '0')}`);
  const run = (name: string, lossKind: 'ce' | 'lade') => ({ name, lossKind, classes, trainCounts: counts, split: 'test', numSamples: c * perClass, logitsUrl: `/${lossKind}.bin`, labelsUrl: '/labels.bin' });
  const browser = await launchChromium();
  try {
    for (const theme of ['dark', 'light'] as const) {
      for (const width of [300, 1400]) {
        const w = await openWebview(browser, 'metrics', { files: { '/labels.bin': path.join(dir, 'labels.bin'), '/ce.bin': path.join(dir, 'ce.bin'), '/lade.bin': path.join(dir, 'lade.bin') } });
        await w.page.setViewportSize({ width, height: 900 });
        if (theme === 'light') await w.page.evaluate((vars) => Object.entries(vars).forEach(([k, v]) => document.body.style.setProperty(k, v)), LIGHT);
        await w.post({
          type: 'setState',
          state: {
            status: 'ready',
            available: [
              { name: 'ce-1', lossKind: 'ce', numClasses: c, splits: ['test'] },
              { name: 'lade-1', lossKind: 'lade', numClasses: c, splits: ['test'] },
            ],
            runs: [run('ce-1', 'ce'), run('lade-1', 'lade')],
            split: 'test',
            shots: { many: 100, few: 20 },
            perClassTestCount: perClass,
          },
        });
        await w.post({ type: 'setTarget', prior: { label: 'uniform', shares: Array.from({ length: c }, () => 1 / c) } });
        for (const section of ['sweep', 'per-class']) await w.page.locator(`[data-testid=${section}][data-label="uniform"][data-complete]`).waitFor({ timeout: 60_000 });
        await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const file = `test-results/metrics-${theme}-${width}.png`;
        await w.page.screenshot({ path: file, fullPage: true });
        await w.close();
        console.log(`wrote ${file}`);
      }
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
