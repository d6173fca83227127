// Puts the built extension where code-server finds it: a copy of what the .vsix would hold (manifest,
// dist/, media/) in an extensions folder, named <publisher>.<name>-<version> as VS Code names installs.
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/**
 * The built extension under test: the checkout, or LADE_E2E_EXTENSION_DIR (any folder with the manifest
 * and dist/, e.g. an unpacked .vsix or a deliberately broken copy).
 */
export const extensionRoot = process.env.LADE_E2E_EXTENSION_DIR ? path.resolve(process.env.LADE_E2E_EXTENSION_DIR) : repoRoot;

interface Manifest {
  readonly publisher: string;
  readonly name: string;
  readonly version: string;
  readonly main: string;
}

export function readManifest(root = extensionRoot): Manifest {
  const file = path.join(root, 'package.json');
  const m: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const { publisher, name, version, main } = m as Partial<Manifest>;
  if (typeof publisher !== 'string' || typeof name !== 'string' || typeof version !== 'string' || typeof main !== 'string') {
    throw new Error(`${file}: publisher, name, version and main must be strings`);
  }
  return { publisher, name, version, main };
}

/** Copies the built extension into extensionsDir; returns the installed folder. */
export function installBuiltExtension(extensionsDir: string, root = extensionRoot): string {
  const m = readManifest(root);
  const main = path.join(root, m.main);
  if (!existsSync(main) && !existsSync(`${main}.js`)) {
    throw new Error(`${m.main} is missing: build the extension first (npm run build).`);
  }
  const target = path.join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`);
  mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media', 'README.md', 'LICENSE']) {
    const from = path.join(root, entry);
    if (existsSync(from)) cpSync(from, path.join(target, entry), { recursive: true });
  }
  return target;
}
