/**
 * ALB wildcard patterns: `*` matches any run of characters (including '/'),
 * `?` exactly one. Compiled once per config into the cheapest matcher for the
 * pattern's shape (exact, prefix `a*`, suffix `*a`, contains `*a*`, any `*`),
 * and a small backtracking glob otherwise.
 *
 * Matchers take (s, from, to) so callers can match a slice (the Host without
 * its port) without allocating a substring. Called on every request: must not
 * allocate.
 *
 * Case folding is ASCII only: ALB rules apply to visible ASCII characters.
 */

export type Matcher = (s: string, from: number, to: number) => boolean;

export interface WildcardOptions {
  /** Fold ASCII case (host-header, http-header, query-string). */
  caseInsensitive: boolean;
  /** `\*`, `\?` and `\\` are literals (query-string values, per ALB's docs). */
  escapes: boolean;
}

/** Token codes for wildcards; literal characters are their UTF-16 code units. */
export const STAR = -1;
export const ONE = -2;

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** The pattern as tokens: char codes (folded when case-insensitive), STAR, ONE; runs of `*` collapsed. */
export function tokenize(pattern: string, opts: WildcardOptions): number[] {
  const out: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    let c = pattern.charCodeAt(i);
    if (opts.escapes && c === 92 /* \ */ && i + 1 < pattern.length) {
      c = pattern.charCodeAt(++i);
    } else if (c === 42 /* * */) {
      if (out[out.length - 1] !== STAR) out.push(STAR);
      continue;
    } else if (c === 63 /* ? */) {
      out.push(ONE);
      continue;
    }
    out.push(opts.caseInsensitive ? fold(c) : c);
  }
  return out;
}

/** Built in one call, not by `+=`: a concatenated rope would be flattened again on the hot path. */
function literal(tokens: number[], from: number, to: number): string {
  return String.fromCharCode(...tokens.slice(from, to));
}

/**
 * The literal text before the first wildcard and after the last one (folded
 * when case-insensitive). The rule index keys on these: any string the
 * pattern matches starts with `prefix` and ends with `suffix`.
 */
export function literalAffixes(pattern: string, opts: WildcardOptions): { prefix: string; suffix: string } {
  const t = tokenize(pattern, opts);
  let first = 0;
  while (first < t.length && t[first]! >= 0) first++;
  if (first === t.length) return { prefix: literal(t, 0, t.length), suffix: literal(t, 0, t.length) };
  let last = t.length - 1;
  while (t[last]! >= 0) last--;
  return { prefix: literal(t, 0, first), suffix: literal(t, last + 1, t.length) };
}

/** s[at..at+lit.length) equals lit (lit already folded when ci). Caller checks bounds. */
function eqAt(s: string, at: number, lit: string, ci: boolean): boolean {
  if (!ci) return s.startsWith(lit, at);
  for (let i = 0; i < lit.length; i++) {
    if (fold(s.charCodeAt(at + i)) !== lit.charCodeAt(i)) return false;
  }
  return true;
}

function containsIn(s: string, from: number, to: number, lit: string, ci: boolean): boolean {
  const last = to - lit.length;
  if (!ci) {
    const i = s.indexOf(lit, from);
    return i >= 0 && i <= last;
  }
  for (let i = from; i <= last; i++) if (eqAt(s, i, lit, true)) return true;
  return false;
}

/** Iterative glob with one backtrack point (the last `*`): O(n*m) worst case, no recursion. */
function glob(p: Int32Array, s: string, from: number, to: number, ci: boolean): boolean {
  let pi = 0;
  let si = from;
  let starP = -1;
  let starS = 0;
  while (si < to) {
    if (pi < p.length) {
      const pc = p[pi]!;
      if (pc === STAR) {
        starP = pi++;
        starS = si;
        continue;
      }
      const c = ci ? fold(s.charCodeAt(si)) : s.charCodeAt(si);
      if (pc === ONE || pc === c) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = starP + 1;
    si = ++starS;
  }
  while (pi < p.length && p[pi] === STAR) pi++;
  return pi === p.length;
}

export function compileWildcard(pattern: string, opts: WildcardOptions): Matcher {
  const t = tokenize(pattern, opts);
  const ci = opts.caseInsensitive;
  const wild = t.filter((c) => c < 0).length;
  const n = t.length;
  if (wild === 0) {
    const lit = literal(t, 0, n);
    return (s, from, to) => to - from === lit.length && eqAt(s, from, lit, ci);
  }
  if (n === 1 && t[0] === STAR) return () => true;
  if (wild === 1 && t[n - 1] === STAR) {
    const lit = literal(t, 0, n - 1);
    return (s, from, to) => to - from >= lit.length && eqAt(s, from, lit, ci);
  }
  if (wild === 1 && t[0] === STAR) {
    const lit = literal(t, 1, n);
    return (s, from, to) => to - from >= lit.length && eqAt(s, to - lit.length, lit, ci);
  }
  if (wild === 2 && n > 2 && t[0] === STAR && t[n - 1] === STAR) {
    const lit = literal(t, 1, n - 1);
    return (s, from, to) => containsIn(s, from, to, lit, ci);
  }
  const p = Int32Array.from(t);
  return (s, from, to) => glob(p, s, from, to, ci);
}
