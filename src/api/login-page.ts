/** The console's login page: shown at / without a session; takes the API token (the contents of <stateDir>/api-token). */
import type { ServerResponse } from 'node:http';
import { escapeHtml, sendPage } from './pages.js';

export function serveLogin(res: ServerResponse, status: number, notice?: string): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shoal console: log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b2733;background:#f6f8fa;max-width:42rem}
input{font:inherit;width:100%;padding:.3rem;margin:.3rem 0} .notice{color:#cf222e;font-weight:600} code{background:#eaeef2;padding:0 .2rem}</style>
</head><body>
<h1>shoal console</h1>
${notice ? `<p class="notice">${escapeHtml(notice)}</p>` : ''}
<p>Open the console link <code>shoal up</code> printed, or get a new one with <code>shoal console-url -f FILE</code>.
Or paste the API token: the contents of <code>api-token</code> in the daemon's state directory
(<code>stateDir</code>, by default <code>.shoal</code> beside the config file).</p>
<form method="post" action="/login">
<label>API token <input type="password" name="token" autocomplete="off" autofocus required></label>
<button type="submit">Log in</button>
</form>
<p>Or log in with an access key of <code>api.credentials</code> in the config file (the pair the AWS CLI uses):</p>
<form method="post" action="/login">
<label>Access key ID <input type="text" name="accessKeyId" autocomplete="username" required></label>
<label>Secret access key <input type="password" name="secretAccessKey" autocomplete="current-password" required></label>
<button type="submit">Log in with the access key</button>
</form>
</body></html>
`;
  sendPage(res, status, html);
}
