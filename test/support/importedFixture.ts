// The committed PyTorch fixture (test/fixtures/import) imported as a workspace run: .lade/runs/torch-la,
// three classes, a logit-adjusted model, its val split read from one of the fixture's file formats.
import path from 'node:path';
import { importRun, readPredictions } from '../../src/core/import';

export const IMPORT_FIXTURES = path.resolve('test/fixtures/import');
export const FIXTURE_CLASSES = ['cat', 'dog', 'bird'];

/** Imports <fixtures>/<valFile> as the val split of <root>/.lade/runs/torch-la. */
export async function importFixtureRun(root: string, valFile: string): Promise<void> {
  await importRun({
    dir: path.join(root, '.lade', 'runs', 'torch-la'),
    classes: FIXTURE_CLASSES,
    trainCounts: [60, 20, 6],
    loss: 'la',
    source: 'logits',
    files: [valFile],
    splits: [{ name: 'val', read: () => readPredictions(path.join(IMPORT_FIXTURES, valFile), { labels: 'required', classes: FIXTURE_CLASSES }) }],
    force: false,
  });
}
