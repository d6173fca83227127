// Named priors on disk: <workspace>/.lade/priors/<name>.json, plain files a team can review and commit.
// An invalid file is listed with its problem and never overwritten. No vscode here (tested under Node).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PriorError } from '../../core/priors';
import { parsePriorFile, priorFileName, serializePriorFile, type NamedPrior } from '../../core/priors/files';
import type { SavedPrior } from '../../protocol/priorEditor';

export function priorsDir(workspaceRoot: string): string {
  return path.join(workspaceRoot, '.lade', 'priors');
}

/** Reads <dir>/<name>.json; a PriorError names the file and what is wrong. */
export function readPrior(dir: string, name: string): NamedPrior {
  const file = path.join(dir, priorFileName(name));
  const shown = path.join('.lade', 'priors', path.basename(file));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PriorError(`${shown}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  const prior = parsePriorFile(text, shown);
  if (prior.name !== name) throw new PriorError(`${shown}: field "name" is '${prior.name}' but the file is named '${name}.json'.`);
  return prior;
}

/** Every *.json in the folder, valid or not, by name. */
export function listPriors(dir: string): SavedPrior[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => a.localeCompare(b))
    .map((f): SavedPrior => {
      const name = f.slice(0, -'.json'.length);
      try {
        return { name, status: 'ok', origin: readPrior(dir, name).origin };
      } catch (err) {
        return { name, status: 'invalid', error: (err as Error).message };
      }
    });
}

/** Writes the prior (atomically). Refuses to replace a file that does not read as a valid prior. */
export function writePrior(dir: string, prior: NamedPrior): string {
  const file = path.join(dir, priorFileName(prior.name));
  if (existsSync(file)) {
    try {
      readPrior(dir, prior.name);
    } catch (err) {
      throw new PriorError(`Not saved: ${(err as Error).message} Fix or remove the file, or choose another name; an invalid file is never overwritten.`);
    }
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serializePriorFile(prior));
  renameSync(tmp, file);
  return file;
}
