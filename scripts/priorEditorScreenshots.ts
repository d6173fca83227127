// Screenshots of the prior editor at side-bar widths (250, 300 px) and wide (1400 px), dark and light
// theme, into test-results/ for a look after layout changes.
// Usage: node esbuild.mjs && npx tsx scripts/priorEditorScreenshots.ts
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../test/support/browser';
import { FASHION, longTail, manyClassNames, readyState } from '../test/support/priorEditorStates';
import { openWebview } from '../test/support/webviewHarness';

/** A few of VS Code's Light+ theme variables (the page's fallbacks are the dark theme). */
const LIGHT: Record<string, string> = {
  '--vscode-foreground': '#616161',
  '--vscode-sideBar-background': '#f3f3f3',
  '--vscode-editor-background': '#ffffff',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#616161',
  '--vscode-input-border': '#cecece',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-button-secondaryBackground': '#5f6a79',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-button-secondaryHoverBackground': '#4c5561',
  '--vscode-button-background': '#007acc',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-textLink-foreground': '#006ab1',
  '--vscode-focusBorder': '#0090f1',
};

async function main(): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  const browser = await launchChromium();
  try {
    for (const theme of ['dark', 'light'] as const) {
      for (const [width, names, counts] of [
        [250, FASHION, longTail(10, 6000, 100)],
        [300, FASHION, longTail(10, 6000, 100)],
        [300, manyClassNames(1000), longTail(1000, 1000, 500)],
        [1400, FASHION, longTail(10, 6000, 100)],
      ] as const) {
        const w = await openWebview(browser, 'priorEditor');
        await w.page.setViewportSize({ width, height: 760 });
        if (theme === 'light') await w.page.evaluate((vars) => Object.entries(vars).forEach(([k, v]) => document.body.style.setProperty(k, v)), LIGHT);
        await w.post({ type: 'setState', state: readyState(names, counts) });
        await w.page.locator('.class-row').first().waitFor();
        await w.page.getByRole('button', { name: 'Backward' }).click();
        const file = `test-results/prior-editor-${width}-${names.length}-${theme}.png`;
        await w.page.screenshot({ path: file, fullPage: false });
        await w.close();
        console.log(`wrote ${file}`);
      }
    }
  } finally {
    await browser.close();
  }
}

void main();
