// `lade demo` end to end on a tiny dataset: both runs trained, every table evaluated, the report written.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyDataset, type TinyDataset } from '../core/train/fixtures';
import { buildCli, runCli } from './buildCli';

let cli: string;
let ds: TinyDataset;
let out: string;

beforeAll(async () => {
  cli = await buildCli();
  ds = makeTinyDataset([24, 12, 6], 10);
  out = mkdtempSync(path.join(os.tmpdir(), 'lade-demo-'));
});
afterAll(() => {
  for (const dir of [path.dirname(cli), ds.root, out]) rmSync(dir, { recursive: true, force: true });
});

describe('lade demo (built CLI)', () => {
  it('trains CE and LADE, prints the three tables and writes the report and summary', async () => {
    const r = await runCli(cli, ['demo', ds.root, '--out', out, '--epochs', '1']);
    expect(r.stderr).toContain('42 training images in 3 classes');
    expect(r.code).toBe(0);
    // Why the backend was chosen is said once, not for each run.
    expect(r.stderr.match(/backend \w+: /g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^\[lade\] done on \w+; test accuracy/m);
    for (const prior of ['uniform', 'forward-10', 'backward-10']) expect(r.stdout).toContain(`prior ${prior}`);
    // Softmax and PC Softmax come from the CE run, LADE from the LADE run, in the paper's order.
    const methods = [...r.stdout.split('prior uniform')[1]!.split('prior forward-10')[0]!.matchAll(/^ {2}(softmax|pc_softmax|lade) /gm)].map((m) => m[1]);
    expect(methods).toEqual(['softmax', 'pc_softmax', 'lade']);
    expect(existsSync(path.join(out, 'runs', 'ce', 'run.json'))).toBe(true);
    expect(existsSync(path.join(out, 'runs', 'lade', 'run.json'))).toBe(true);

    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    for (const c of ds.classes) expect(html).toContain(`<td>${c}</td>`);
    expect(html).toContain('<h3>backward-10</h3>');
    expect(html.match(/class="axis-title"/g)).toHaveLength(6); // x and y on the histogram, the loss curves and the sweep
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { dataset: { total: number }; sweep: { prior: string }[] };
    expect(summary.dataset.total).toBe(42);
    expect(summary.sweep.map((s) => s.prior)).toEqual([
      'forward-50', 'forward-25', 'forward-10', 'forward-5', 'forward-2', 'uniform',
      'backward-2', 'backward-5', 'backward-10', 'backward-25', 'backward-50',
    ]);
  });

  it('rejects a bad flag with exit code 2 and one line', async () => {
    const r = await runCli(cli, ['demo', ds.root, '--backend', 'cuda']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("lade demo: unknown --backend 'cuda'");
  });
});
