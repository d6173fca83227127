// Fake npm executables for the install command's unit and e2e tests: each takes npm's arguments, records them, fills the
// --prefix folder like a partial install and then succeeds, fails as npm does offline, or hangs with a child.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type FakeNpmMode = 'succeed' | 'offline' | 'hang';

/** npm's real output when tfjs-node's install script cannot reach storage.googleapis.com (captured offline). */
export const OFFLINE_LOG = path.resolve(__dirname, '../fixtures/npm-offline-libtensorflow.txt');

const endings: Record<FakeNpmMode, string> = {
  succeed: `console.log('added 71 packages in 3s'); process.exit(0);`,
  offline: `process.stderr.write(fs.readFileSync(${JSON.stringify(OFFLINE_LOG)})); process.exit(1);`,
  // A grandchild stands in for tfjs-node's download script: cancel must kill it too.
  hang: `const c = require('node:child_process').spawn('sleep', ['600'], { stdio: 'ignore' });
fs.writeFileSync(path.join(recordDir, 'grandchild.pid'), String(c.pid));
console.log('* Downloading libtensorflow');
setInterval(() => undefined, 1000);`,
};

/** Writes an executable fake npm into dir; it records its call in <recordDir>/npm-call.json. */
export function writeFakeNpm(dir: string, mode: FakeNpmMode, recordDir: string): string {
  const file = path.join(dir, `npm-${mode}`);
  writeFileSync(
    file,
    `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const recordDir = ${JSON.stringify(recordDir)};
const args = process.argv.slice(2);
const prefix = args[args.indexOf('--prefix') + 1];
const spec = args[args.length - 1];
const pkg = spec.slice(0, spec.lastIndexOf('@'));
const manifest = JSON.parse(fs.readFileSync(path.join(prefix, 'package.json'), 'utf8'));
fs.writeFileSync(path.join(recordDir, 'npm-call.json'), JSON.stringify({ args, manifest }));
const pkgDir = path.join(prefix, 'node_modules', pkg);
fs.mkdirSync(pkgDir, { recursive: true });
fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: pkg, version: '4.22.0' }));
console.log('npm http fetch GET 200 https://registry.npmjs.org/' + pkg);
${endings[mode]}
`,
  );
  chmodSync(file, 0o755);
  return file;
}
