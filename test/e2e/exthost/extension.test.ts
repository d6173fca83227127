// Runs inside the real extension host of code-server (VS Code 1.100.3) against the real `vscode` API.
// The harness (../extensionHost.e2e.ts) opens a generated dataset as the workspace and passes its
// path and class counts through the environment.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'mocha';
import * as vscode from 'vscode';

const extensionId = 'lade-studio.lade-studio';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`The extension-host suite needs $${name} (set by test/e2e/extensionHost.e2e.ts)`);
  return v;
}

function expectedCounts(): Record<string, number> {
  const parsed: unknown = JSON.parse(env('LADE_E2E_DATASET_COUNTS'));
  return parsed as Record<string, number>;
}

interface ManifestCommand {
  readonly command: string;
}

/** The subset of AnalyzeResult these tests read, checked rather than cast. */
interface AnalyzedClass {
  readonly name: string;
  readonly count: number;
  readonly shot: string;
}

function analyzedClasses(result: unknown): AnalyzedClass[] {
  assert.ok(typeof result === 'object' && result !== null, `lade.analyze returned ${String(result)}, not a result`);
  const classes = (result as { classes?: unknown }).classes;
  assert.ok(Array.isArray(classes), 'lade.analyze result has no classes array');
  return classes as AnalyzedClass[];
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('LADE Studio in the extension host', () => {
  const datasetUri = (): vscode.Uri => vscode.Uri.file(env('LADE_E2E_DATASET'));

  it('is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is not among the installed extensions`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    await ext.activate();
    const contributed = (ext.packageJSON as { contributes?: { commands?: ManifestCommand[] } }).contributes?.commands ?? [];
    assert.ok(contributed.some((c) => c.command === 'lade.analyze'), 'the manifest contributes lade.analyze');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('reads its settings with the defaults the manifest declares', () => {
    const lade = vscode.workspace.getConfiguration('lade');
    assert.equal(lade.get('shots.manyThreshold'), 100);
    assert.equal(lade.get('shots.fewThreshold'), 20);
    assert.equal(lade.get('effectiveNumberBeta'), 0.999);
    assert.deepEqual(lade.get('scan.ignore'), []);
  });

  describe('lade.analyze on the opened dataset', () => {
    afterEach(async () => {
      const lade = vscode.workspace.getConfiguration('lade');
      await lade.update('shots.fewThreshold', undefined, vscode.ConfigurationTarget.Global);
      await lade.update('scan.ignore', undefined, vscode.ConfigurationTarget.Global);
    });

    it('returns every class with its image count', async () => {
      const classes = analyzedClasses(await vscode.commands.executeCommand('lade.analyze', datasetUri()));
      const counts = Object.fromEntries(classes.map((c) => [c.name, c.count]));
      assert.deepEqual(counts, expectedCounts());
    });

    it('follows lade.* settings changed at run time', async () => {
      const lade = vscode.workspace.getConfiguration('lade');
      const [smallest] = Object.entries(expectedCounts()).sort((a, b) => a[1] - b[1]);
      assert.ok(smallest);
      await lade.update('scan.ignore', [`${smallest[0]}/**`], vscode.ConfigurationTarget.Global);
      await lade.update('shots.fewThreshold', 1, vscode.ConfigurationTarget.Global);
      const classes = analyzedClasses(await vscode.commands.executeCommand('lade.analyze', datasetUri()));
      const ignored = classes.find((c) => c.name === smallest[0]);
      assert.ok(!ignored || ignored.count === 0, `scan.ignore left ${smallest[0]} with ${ignored?.count} images`);
      assert.ok(classes.every((c) => c.shot !== 'few'), `with fewThreshold 1 no class is few-shot: ${JSON.stringify(classes)}`);
    });

    it('logs the scan to the LADE output channel', async () => {
      await vscode.commands.executeCommand('lade.analyze', datasetUri());
      const logs = files(path.join(env('LADE_E2E_USER_DATA'), 'logs')).filter((f) => path.basename(f) === 'LADE.log');
      assert.ok(logs.length > 0, `no LADE.log under ${env('LADE_E2E_USER_DATA')}/logs`);
      const text = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
      assert.match(text, /LADE Studio [\d.]+ activated/);
      assert.ok(text.includes(`Scanned ${datasetUri().fsPath}`), `LADE.log does not mention the scan:\n${text}`);
    });
  });
});
