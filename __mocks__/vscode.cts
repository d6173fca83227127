// vitest's manual mock of the `vscode` module for unit tests of src/extension (jest-mock-vscode).
import { createVSCodeMock } from 'jest-mock-vscode';
import { vi } from 'vitest';

module.exports = createVSCodeMock(vi);
