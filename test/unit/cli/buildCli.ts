// Builds the CLI bundle for the CLI tests (test/support/bundle.ts) and runs it as a child process.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleNode } from '../../support/bundle';

export async function buildCli(): Promise<string> {
  return bundleNode('src/cli/main.ts', path.join(mkdtempSync(path.join(os.tmpdir(), 'lade-cli-test-')), 'cli.js'));
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(cli: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
