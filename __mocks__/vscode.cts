// vitest's manual mock of the `vscode` module for unit tests of src/extension (jest-mock-vscode).
import { createVSCodeMock } from 'jest-mock-vscode';
import { vi } from 'vitest';

const mock = createVSCodeMock(vi);
// jest-mock-vscode has no `extensions`: no other extension is installed unless a test says so.
Object.assign(mock, { extensions: { getExtension: vi.fn(() => undefined), all: [] } });
module.exports = mock;
