// A failing LADE command in VS Code: one-line message in the notification, actions that help plus Open Log,
// the stack of a bug in the LADE output channel (never in the notification).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as vscode from 'vscode';
import { window } from 'vscode';
import { DatasetError } from '../../../src/core/dataset/errors';
import { reportFailure } from '../../../src/extension/errors';

vi.mock('vscode');

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(window.createOutputChannel).mockReturnValue(log as unknown as vscode.LogOutputChannel);
});

describe('reportFailure', () => {
  it('a user error: its line in the notification and the log, no stack anywhere', async () => {
    vi.mocked(window.showErrorMessage).mockResolvedValue(undefined);
    await reportFailure('Scan of /d failed', new DatasetError('no such folder: /d'));
    expect(window.showErrorMessage).toHaveBeenCalledWith('LADE: no such folder: /d', 'Open Log');
    expect(log.error.mock.calls).toEqual([['Scan of /d failed: no such folder: /d']]);
  });

  it('a bug: one line in the notification, the stack in the LADE channel; Open Log shows it', async () => {
    vi.mocked(window.showErrorMessage).mockResolvedValue('Open Log' as never);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line");
    await reportFailure('training r1 failed', bug);
    expect(window.showErrorMessage).toHaveBeenCalledWith("LADE: Cannot read properties of undefined (reading 'x')", 'Open Log');
    expect(log.error).toHaveBeenCalledWith(bug.stack);
    expect(log.show).toHaveBeenCalledWith(true);
  });

  it('runs the action the user picks (Resume, Choose Another Folder)', async () => {
    const resume = vi.fn();
    vi.mocked(window.showErrorMessage).mockResolvedValue('Resume' as never);
    await reportFailure('training r1 failed', { userError: true, message: 'training diverged' }, [{ title: 'Resume', run: resume }]);
    expect(window.showErrorMessage).toHaveBeenCalledWith('LADE: training diverged', 'Resume', 'Open Log');
    expect(resume).toHaveBeenCalledOnce();
    expect(log.show).not.toHaveBeenCalled();
  });
});
