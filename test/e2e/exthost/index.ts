// Entry point VS Code loads in the extension host (extensionTestsPath): runs every compiled *.test.js
// next to this file with mocha and writes a summary to $LADE_E2E_RESULT_FILE for the harness to report.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

interface Outcome {
  readonly title: string;
  readonly error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  const grep = process.env.LADE_E2E_GREP;
  if (grep) mocha.grep(grep);
  const passed: Outcome[] = [];
  const failed: Outcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultFile = process.env.LADE_E2E_RESULT_FILE;
      if (resultFile) writeFileSync(resultFile, JSON.stringify({ passed, failed }, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => passed.push({ title: t.fullTitle() }));
    runner.on('fail', (t, err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      failed.push({ title: t.fullTitle(), error: e.stack ?? e.message });
    });
  });
}
