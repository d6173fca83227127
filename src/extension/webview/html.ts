// Webview options and HTML for a LADE panel: local resources only, a fresh nonce per load.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderWebviewHtml } from './htmlTemplate';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, panel: string, title: string): string {
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  return renderWebviewHtml({
    cspSource: webview.cspSource,
    scriptUri: asset(`${panel}.js`),
    styleUri: asset(`${panel}.css`),
    nonce: randomBytes(16).toString('base64'),
    title,
  });
}
