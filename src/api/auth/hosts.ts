/**
 * The Host check (anti DNS rebinding): a page on evil.example whose name is
 * made to resolve to 127.0.0.1 reaches the API with `Host: evil.example:4566`,
 * so only names that are the API's own are served. A name the attacker
 * cannot point at us (an IP literal, localhost and *.localhost on a loopback
 * listener) is safe; any other name must be listed in api.allowedHosts.
 * Called on every request: pure, no allocation beyond parsing the header.
 */
import { canonicalIp, isLoopbackHost, isWildcardHost } from '../../core/addresses.js';

export interface HostPolicy {
  /** The listen host as configured (api.listen), brackets removed. */
  listenHost: string;
  /** The port the API listens on. */
  port: number;
  /** api.allowedHosts: "name" (on the API's port) or "name:port" (e.g. behind a proxy). */
  allowedHosts: readonly string[];
}

export interface HostName {
  name: string;
  port: number;
}

const HOST_RE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

/** "Example.COM.:8080" -> {name: "example.com", port: 8080}; "[::1]" -> {name: "::1", port: 80}. Undefined when malformed. */
export function parseHostHeader(value: string | undefined, defaultPort = 80): HostName | undefined {
  const m = value === undefined ? null : HOST_RE.exec(value);
  if (!m) return undefined;
  const raw = m[1]!;
  const ip = canonicalIp(raw);
  if (raw.startsWith('[') && ip === undefined) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { name: ip ?? raw.toLowerCase().replace(/\.$/, ''), port };
}

export function hostAllowed(header: string | undefined, p: HostPolicy): boolean {
  const h = parseHostHeader(header);
  if (!h) return false;
  for (const entry of p.allowedHosts) {
    const a = parseHostHeader(entry, p.port);
    if (a && a.name === h.name && a.port === h.port) return true;
  }
  if (h.port !== p.port) return false;
  const listen = canonicalIp(p.listenHost) ?? p.listenHost.toLowerCase();
  if (h.name === listen) return true;
  const wildcard = isWildcardHost(p.listenHost);
  if (wildcard || isLoopbackHost(p.listenHost)) {
    // Browsers resolve localhost and *.localhost to loopback themselves (RFC 6761), whatever DNS says.
    if (h.name === 'localhost' || h.name.endsWith('.localhost')) return true;
    if (isLoopbackHost(h.name)) return true;
  }
  // On a wildcard bind any IP literal is one of our addresses or unroutable to us; no rebinding names an IP.
  return wildcard && canonicalIp(h.name) !== undefined;
}

/**
 * A browser's Origin header, when sent, must name this API too (same check
 * as Host): it defeats cross-site form posts and fetches before they reach
 * a route. "null" (sandboxed frames, file: pages) is refused.
 */
export function originAllowed(origin: string | undefined, p: HostPolicy): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.origin !== origin.toLowerCase().replace(/\/$/, '')) return false;
  return hostAllowed(url.host, p);
}
