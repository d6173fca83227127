// Real headless Chromium (Debian's) for webview tests, launched the way this project's machines allow.
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

/** The flags this project's machines need (no sandbox as root, no network beyond loopback); playwright adds
 *  --headless itself when launching headless. Shared by the webview tests and the e2e harness. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found: install Debian `chromium` (apt-get install chromium) or set CHROMIUM_PATH.');
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}
