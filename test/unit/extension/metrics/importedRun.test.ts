// An imported run (lade import) is an ordinary run to the metrics panel and the prior editor: listed with
// its loss and splits, its labels readable, and no TF.js model to export.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IMPORT_FIXTURES as FIXTURES, importFixtureRun } from '../../../support/importedFixture';
import { listRuns, readLabels, runChoice } from '../../../../src/extension/metrics/runFolders';

const root = mkdtempSync(path.join(tmpdir(), 'lade-imported-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an imported run in the workspace', () => {
  it('is listed for the metrics panel with its loss, classes and splits', async () => {
    await importFixtureRun(root, 'val.safetensors');
    const { runs, problems } = listRuns(root);
    expect(problems).toEqual([]);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(runChoice(run)).toEqual({ name: 'torch-la', lossKind: 'la', numClasses: 3, splits: ['val'] });
    expect(run.modelJson).toBeNull();
    expect(run.record.origin).toEqual({ kind: 'imported', source: 'logits', files: ['val.safetensors'] });
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as { labels: number[] };
    expect(Array.from(readLabels(run.splits[0]!, 3))).toEqual(expected.labels);
  });
});
