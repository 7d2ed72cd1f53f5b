/**
 * The console's session cookie. Its name carries the API port, as Jupyter's
 * does: cookies are not isolated by port, so two daemons on 127.0.0.1 would
 * otherwise overwrite each other's session.
 */

export function sessionCookieName(port: number): string {
  return `shoal_session_${port}`;
}

/** `Cookie: a=1; b=2` -> Map; the first of a repeated name wins (the most specific path, RFC 6265 5.4). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 1) continue;
    const name = part.slice(0, i).trim();
    let value = part.slice(i + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

/**
 * HttpOnly: page scripts never see it. SameSite=Strict: the browser does not
 * send it on requests another site starts (CSRF). No Max-Age: it ends with
 * the browser session; the daemon also forgets it when it restarts.
 */
export function sessionCookie(o: { name: string; value: string; secure: boolean }): string {
  return `${o.name}=${o.value}; HttpOnly; SameSite=Strict; Path=/${o.secure ? '; Secure' : ''}`;
}

export function clearedCookie(name: string): string {
  return `${name}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
}
