// Regenerates the README screenshots: the real panels in headless Chromium, fed with real results.
// Usage: npm run build && npx tsx scripts/screenshots.ts
import { execFileSync } from 'node:child_process';
import { launchChromium } from '../test/support/browser';
import { openWebview } from '../test/support/webviewHarness';

async function main(): Promise<void> {
  const root = 'samples/fashion-lt';
  const scanned = JSON.parse(execFileSync(process.execPath, ['dist/cli.js', 'analyze', root, '--json'], { encoding: 'utf8' })) as object;
  // Show the repository-relative path, not this machine's.
  const result = { ...scanned, root };
  const browser = await launchChromium();
  try {
    const w = await openWebview(browser, 'analyze');
    await w.post({ type: 'setState', state: { status: 'ready', root, result } });
    await w.page.locator('[data-testid=class-table]').waitFor();
    await w.page.screenshot({ path: 'media/screenshot-analyze.png', fullPage: false });
    await w.close();
    console.log('wrote media/screenshot-analyze.png');
  } finally {
    await browser.close();
  }
}

void main();
