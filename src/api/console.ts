/**
 * The web console's HTML shell: the bundled front end (console/src, built
 * into dist/console by scripts/build-console.js, no CDN) renders every page
 * from the same JSON API the CLI uses. Served only to a logged-in session
 * (console-routes.ts); its cookie goes with every same-origin fetch, and
 * every call that changes state carries the session's CSRF token (from the
 * meta tag) as X-CSRF-Token. The CSP allows scripts and styles from this
 * origin only: injected markup could not run even if some value escaped.
 */
import type { ServerResponse } from 'node:http';
import { ASSET_PREFIX, bundleBuilt } from './console-assets.js';
import { escapeHtml, sendPage } from './pages.js';

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

export function serveConsole(res: ServerResponse, csrfToken: string): void {
  const body = bundleBuilt()
    ? '<div id="shoal-console"><p class="muted">loading…</p></div>'
    : '<p>The console bundle is missing: run <code>npm run build</code> (it writes dist/console/).</p>';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shoal console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="shoal-csrf" content="${escapeHtml(csrfToken)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_PREFIX}main.css">
<script type="module" src="${ASSET_PREFIX}main.js"></script>
</head><body>
${body}
</body></html>
`;
  sendPage(res, 200, html, { 'content-security-policy': CONSOLE_CSP });
}
