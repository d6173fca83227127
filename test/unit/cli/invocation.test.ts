import { describe, expect, it } from 'vitest';
import { invokedAs } from '../../../src/cli/invocation';

describe('invokedAs: the hints name lade the way the user ran it', () => {
  it('npx lade under npx, lade for a linked or installed bin', () => {
    expect(invokedAs('/repo/node_modules/.bin/lade', { npm_command: 'exec' }, '/repo')).toBe('npx lade');
    expect(invokedAs('/usr/local/bin/lade', {}, '/home/me')).toBe('lade');
    expect(invokedAs('C:\\npm\\node_modules\\lade-studio\\dist\\cli.js', {}, 'C:\\work')).toBe('lade');
    expect(invokedAs(undefined, {}, '/repo')).toBe('lade');
    // A script run by something npx started inherits npm_command: it is still node and the script.
    expect(invokedAs('/repo/dist/cli.js', { npm_command: 'exec' }, '/repo')).toBe('node dist/cli.js');
  });

  it('node and the script otherwise, relative inside the working folder, quoted when it has spaces', () => {
    expect(invokedAs('/repo/dist/cli.js', {}, '/repo')).toBe('node dist/cli.js');
    expect(invokedAs('/opt/lade/dist/cli.js', {}, '/home/me')).toBe('node /opt/lade/dist/cli.js');
    expect(invokedAs('/my tools/dist/cli.js', {}, '/home/me')).toBe('node "/my tools/dist/cli.js"');
  });
});
