// "LADE: Analyze Label Distribution" from the command palette of a real VS Code, on a generated dataset:
// the panel must list exactly the dataset's classes with their image counts.
import type { FrameLocator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeFolderDataset } from './harness/dataset';
import { errorMessages, firstVisible, shownMessages } from './harness/workbench';
import { useWorkbench } from './harness/session';

const counts = { cat: 7, dog: 3, 'red fox': 1 };

/** Class name -> the count the table shows, read from the rows the analyze view renders. */
async function shownCounts(view: FrameLocator): Promise<Record<string, string>> {
  const rows = view.locator('[data-testid="class-table"] tr[data-class]');
  const shown: Record<string, string> = {};
  for (const row of await rows.all()) {
    const name = await row.getAttribute('data-class');
    if (name !== null) shown[name] = (await row.locator('td.count').innerText()).trim();
  }
  return shown;
}

describe('Analyze Label Distribution from the command palette', () => {
  const vs = useWorkbench({ workspace: (scratch) => writeFolderDataset(counts, { parent: scratch }) });

  it('shows every class of the opened dataset with its image count', async () => {
    await vs.runCommand('LADE: Analyze Label Distribution');
    const view = vs.webview();
    const table = view.locator('[data-testid="class-table"]');
    // Stop waiting as soon as the panel shows its table or an error, or VS Code reports one.
    await firstVisible([table, view.locator('[data-testid="error"]'), errorMessages(vs.page)], 60_000);
    if (!(await table.isVisible())) {
      const body = await view.locator('body').innerText({ timeout: 2_000 }).catch(() => '(no webview open)');
      throw new Error(
        'The analyze panel did not show its class table.\n' +
          `Panel text: ${body.slice(0, 1_000)}\nVS Code shows: ${(await shownMessages(vs.page)).join(' | ') || '(no dialog or notification)'}`,
      );
    }
    const expected = Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, String(n)]));
    expect(await shownCounts(view), 'class -> count shown in the analyze panel').toEqual(expected);
  });
});
