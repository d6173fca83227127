// The HTML shell of every LADE webview, free of the vscode API so the browser tests load the very same page.

export interface WebviewPage {
  /** The webview's cspSource (vscode-webview://… in VS Code, the test server's origin in tests). */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly nonce: string;
  readonly title: string;
}

/** Nothing remote, no inline script: only our bundle (by nonce) and our stylesheet. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    // fetch() of our own resources only: the metrics panel reads cached logits as binary.
    `connect-src ${cspSource}`,
    // 'wasm-unsafe-eval' compiles WebAssembly only (no JS eval): the metrics panel's what-if kernel.
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `worker-src ${cspSource} blob:`,
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderWebviewHtml(p: WebviewPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(p.styleUri)}">
<title>${escapeAttr(p.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>`;
}
