/**
 * Hop-by-hop headers (RFC 9110 7.6.1): meaningful for one connection only, so
 * the proxy drops them in both directions, plus any header the Connection
 * header names.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
]);

/** Lowercased names listed in Connection headers, or null when there are none beyond the standard ones. */
export function connectionTokens(headers: readonly string[]): Set<string> | null {
  let tokens: Set<string> | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    for (const raw of headers[i + 1]!.split(',')) {
      const t = raw.trim().toLowerCase();
      if (t === '' || t === 'close' || t === 'keep-alive') continue;
      (tokens ??= new Set()).add(t);
    }
  }
  return tokens;
}

export function isHopByHop(lowerName: string, extra: Set<string> | null): boolean {
  return HOP_BY_HOP.has(lowerName) || (extra !== null && extra.has(lowerName));
}
