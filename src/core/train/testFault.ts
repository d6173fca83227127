// A fault the tests inject into the training worker to prove that a crash mid-run leaves the last
// checkpoint intact and the extension usable. There is no clean external way to kill one worker thread
// inside a running extension host, so the worker reads LADE_TEST_FAULT (unset in normal use):
//   exit-after-epoch:N  the worker thread exits at once with TEST_FAULT_EXIT_CODE right after it has
//                       written the checkpoint of epoch N (only when it trained that epoch itself, so a
//                       run resumed from that checkpoint goes on).
export const TEST_FAULT_ENV = 'LADE_TEST_FAULT';
/** EX_SOFTWARE: an exit code no healthy worker uses (it never calls process.exit). */
export const TEST_FAULT_EXIT_CODE = 70;

export interface TestFault {
  readonly kind: 'exit-after-epoch';
  readonly epoch: number;
}

export function parseTestFault(value: string | undefined): TestFault | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const m = /^exit-after-epoch:(\d+)$/.exec(value.trim());
  const epoch = m ? Number(m[1]) : 0;
  if (epoch < 1) throw new Error(`${TEST_FAULT_ENV}='${value}' is not a known fault: use exit-after-epoch:N with N >= 1.`);
  return { kind: 'exit-after-epoch', epoch };
}
