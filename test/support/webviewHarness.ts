// Serves a built webview bundle (dist/webview/<panel>.js) in the same HTML shell and CSP as VS Code uses,
// with a stand-in acquireVsCodeApi that records what the webview posts, so tests can drive it like the host.
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderWebviewHtml } from '../../src/extension/webview/htmlTemplate';

const DIST = path.resolve('dist/webview');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface WebviewHarness {
  readonly page: Page;
  /** Messages the webview posted to the "host", oldest first. */
  sent(): Promise<unknown[]>;
  /** Posts a host message into the webview, as webview.postMessage does. */
  post(message: unknown): Promise<void>;
  /** Reloads the page keeping the state the webview persisted with setState (as VS Code does on re-show). */
  reload(): Promise<void>;
  /** CSP violations reported by the page. */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

const FAKE_API = `
window.__sent = [];
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__sent.push(JSON.parse(JSON.stringify(m))),
  getState: () => { const s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
});`;

export interface WebviewOptions {
  /** Extra files the page may fetch, by URL path (e.g. '/run/logits-test.bin') -> file on disk. */
  readonly files?: Readonly<Record<string, string>>;
}

export async function openWebview(browser: Browser, panel: string, options: WebviewOptions = {}): Promise<WebviewHarness> {
  const script = path.join(DIST, `${panel}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first.`);
  const nonce = 'test-nonce-' + Math.random().toString(36).slice(2);
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      const html = renderWebviewHtml({ cspSource: origin, scriptUri: `${origin}/${panel}.js`, styleUri: `${origin}/${panel}.css`, nonce, title: panel })
        .replace('<script nonce', `<script nonce="${nonce}">${FAKE_API}</script>\n<script nonce`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    const extra = options.files?.[url.pathname];
    if (extra) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(extra).pipe(res);
      return;
    }
    const file = path.join(DIST, path.basename(url.pathname));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(origin + '/');
  const sent = () => page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent);
  return {
    page,
    sent,
    post: async (message) => {
      if (errors.length) throw new Error(`webview error: ${errors.join('; ')}`);
      await page.evaluate((m) => window.postMessage(m, '*'), message);
    },
    reload: async () => {
      await page.reload();
    },
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    close: async () => {
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (errors.length) throw new Error(`webview error: ${errors.join('; ')}`);
    },
  };
}
