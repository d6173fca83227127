import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGolden, formatReport, type GoldenReport } from '../../../../scripts/golden-check';

const FIXTURE = 'test/fixtures/lade-golden-public.json';
const load = (): Record<string, unknown> => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

function quantity(report: GoldenReport, combo: string, name: string) {
  const q = report.combos.find((c) => c.label === combo)?.quantities.find((x) => x.name === name);
  if (!q) throw new Error(`no ${name} in ${combo}`);
  return q;
}

describe('the public golden vectors', () => {
  it.each([
    ['wasm', 'autodiff'],
    ['wasm', 'fused'],
    ['cpu', 'autodiff'],
    ['cpu', 'fused'],
  ] as const)('are met on %s with the %s path', async (backend, lossPath) => {
    const report = await checkGolden(load(), { backends: [backend], paths: [lossPath] });
    expect(formatReport(report)).toContain('all quantities within tolerance');
    expect(report.ok).toBe(true);
    expect(report.cases).toBe(8);
    const combo = `${backend} / ${lossPath}`;
    // Every quantity was really compared: 8 cases of N x C gradients, 7 cases with inference.
    expect(quantity(report, combo, 'grad_total').compared).toBeGreaterThan(1000);
    expect(quantity(report, combo, 'lade_pred_target').compared).toBeGreaterThan(100);
    expect(quantity(report, combo, 'per_class.second_term').compared).toBeGreaterThan(100);
    expect(quantity(report, 'shift protocol', 'shift.test_counts').compared).toBeGreaterThan(300);
    expect(quantity(report, 'shift protocol', 'shift.mask').compared).toBe(12);
  });

  it('fails, naming the quantity and the case, when one value is off by more than its tolerance', async () => {
    const doc = load();
    const cases = doc.cases as Array<{ id: string; outputs: { grad_reg: number[][]; ce: number } }>;
    cases[1].outputs.grad_reg[0][0] += 2e-5;
    cases[2].outputs.ce += 1e-5; // within 1e-4 + 1e-5 |ref|: still passes
    const report = await checkGolden(doc, { backends: ['cpu'], paths: ['fused'] });
    expect(report.ok).toBe(false);
    const bad = quantity(report, 'cpu / fused', 'grad_reg');
    expect(bad.failed).toBe(1);
    expect(bad.worstCase).toBe(cases[1].id);
    expect(quantity(report, 'cpu / fused', 'ce').failed).toBe(0);
    expect(formatReport(report)).toMatch(/grad_reg .* FAIL \(1 of \d+, worst in p02/);
  });

  it('names the case and field of a malformed file', async () => {
    const doc = load();
    delete (doc.cases as Array<{ inputs: Record<string, unknown> }>)[3].inputs.remine_lambda;
    await expect(checkGolden(doc, { backends: ['cpu'], paths: ['autodiff'] })).rejects.toThrow(
      "case 'p04_c100_n64_cifar100_ir100' inputs: missing field 'remine_lambda'",
    );
  });
});

describe('npm run golden', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/golden.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('prints the error of each quantity and exits 0 on the public file', () => {
    const res = run(FIXTURE, '--backend', 'cpu', '--path', 'fused');
    expect(res.stdout).toMatch(/\[cpu \/ fused\][\s\S]*grad_total\s+\d\.\d\de[-+]\d+\s+1e-5\s+ok/);
    expect(res.stdout).not.toContain('[wasm');
    expect(res.status).toBe(0);
  });

  it('exits 1 when a quantity is out of tolerance, 2 on bad usage', () => {
    const doc = load();
    (doc.cases as Array<{ outputs: { loss_total: number } }>)[0].outputs.loss_total += 0.01;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'golden-')), 'tampered.json');
    writeFileSync(file, JSON.stringify(doc));
    const res = run(file, '--backend', 'cpu', '--path', 'autodiff');
    expect(res.stdout).toMatch(/loss_total .* FAIL/);
    expect(res.status).toBe(1);
    const usage = run(FIXTURE, '--backend', 'webgl');
    expect(usage.stderr).toContain('--backend must be wasm, cpu or webgpu');
    expect(usage.status).toBe(2);
  });
});
