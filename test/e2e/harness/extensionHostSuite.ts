// Compiles the mocha suite that runs inside the extension host (test/e2e/exthost/*.ts) to out/e2e/exthost,
// and reads back the summary its runner writes.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { extensionHostSuiteOut, repoRoot } from './paths';

const suiteSrc = path.join(repoRoot, 'test/e2e/exthost');

/** Builds the runner and every *.test.ts; returns the runner's path (the extensionTestsPath). */
export async function buildExtensionHostSuite(): Promise<string> {
  rmSync(extensionHostSuiteOut, { recursive: true, force: true });
  const entries = readdirSync(suiteSrc).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await build({
    entryPoints: entries.map((f) => path.join(suiteSrc, f)),
    outdir: extensionHostSuiteOut,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // vscode is provided by the extension host; mocha must be one shared instance for runner and tests.
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(extensionHostSuiteOut, 'index.js');
}

export interface SuiteResult {
  readonly passed: ReadonlyArray<{ readonly title: string }>;
  readonly failed: ReadonlyArray<{ readonly title: string; readonly error?: string }>;
}

export function readSuiteResult(file: string): SuiteResult | undefined {
  if (!existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const r = parsed as Partial<SuiteResult>;
  if (!Array.isArray(r.passed) || !Array.isArray(r.failed)) throw new Error(`${file}: not a suite result`);
  return r as SuiteResult;
}

export function describeSuiteResult(r: SuiteResult): string {
  const lines = [`${r.passed.length} passed, ${r.failed.length} failed`];
  for (const t of r.passed) lines.push(`  ✓ ${t.title}`);
  for (const t of r.failed) lines.push(`  ✗ ${t.title}\n      ${(t.error ?? '').split('\n').join('\n      ')}`);
  return lines.join('\n');
}
