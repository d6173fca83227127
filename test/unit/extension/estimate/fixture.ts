// The estimate worker bundled the way esbuild.mjs bundles it, for the extension's estimate tests; the
// fabricated run lives in test/support/estimateFixture.ts (shared with the CLI test).
import path from 'node:path';
import { bundleNode } from '../../../support/bundle';

export { writeEstimateFixture, type EstimateFixture } from '../../../support/estimateFixture';

/** Bundles src/extension/workers/estimate.worker.ts to <outdir>/estimate.worker.js; returns its path. */
export function buildEstimateWorker(outdir: string): Promise<string> {
  return bundleNode('src/extension/workers/estimate.worker.ts', path.join(outdir, 'estimate.worker.js'));
}
