/**
 * Text helpers for the desync classifier (desync.ts): character classes,
 * exact and look-alike header-name matching, and the quoting used in verdict
 * messages. Pure functions over latin1-decoded strings.
 *
 * Called once per header on the hot path: no allocation unless a string is
 * actually suspicious or a message is being built.
 */

// Character classes: 0 fine, 1 non-compliant, 2 bad (CR, LF, NUL: a parser error or an attack).
// Each string is first tested with one regex for "anything not plainly fine";
// measured, that native scan costs about half of a charCodeAt loop on
// typical headers, and the loop below only runs on the rare hits.
export const NOT_TCHAR = /[^A-Za-z0-9!#$%&'*+\-.^_`|~]/;
export const NOT_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
export const NOT_URI_CHAR = /[^\x21-\x7e\x80-\xff]/;
export const NAME_CLASS = new Uint8Array(256).fill(1);
export const VALUE_CLASS = new Uint8Array(256);
export const URI_CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  NAME_CLASS[c] = NOT_TCHAR.test(ch) ? 1 : 0;
  VALUE_CLASS[c] = NOT_VALUE_CHAR.test(ch) ? 1 : 0;
  URI_CLASS[c] = c === 32 ? 3 : NOT_URI_CHAR.test(ch) ? 1 : 0;
}
for (const c of [0, 10, 13]) NAME_CLASS[c] = VALUE_CLASS[c] = URI_CLASS[c] = 2;

/** Worst class in s: 0 fine, 1 non-compliant, 2 bad (URI_CLASS: 3 is a space). */
export function scan(s: string, table: Uint8Array, suspect: RegExp): number {
  if (!suspect.test(s)) return 0;
  let worst = 0;
  for (let i = 0; i < s.length; i++) {
    const k = table[s.charCodeAt(i) & 255];
    if (k === 0) continue;
    if (k === 2) return 2;
    worst = 1;
  }
  return worst;
}

/** s without leading/trailing SP and HTAB. */
export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** name equals lit (lower-case) ignoring ASCII case; no allocation. */
export function isNamed(name: string, lit: string): boolean {
  if (name.length !== lit.length) return false;
  for (let i = 0; i < lit.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lit.charCodeAt(i)) return false;
  }
  return true;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function skipNonAlnum(s: string, i: number): number {
  while (i < s.length && !isAlnum(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Whether name spells lit (lower-case letters and '-') with only delimiters,
 * control characters or spaces changed: "Transfer_Encoding", " Content-Length",
 * "Transfer-Encoding\t". U+017F and U+0131 (UTF-8 C5 BF and C4 B1, seen here as
 * latin1) upper-case to S and I in some stacks, so they count as s and i.
 */
export function sameLetters(name: string, lit: string): boolean {
  if (name.length < lit.length) return false;
  let i = skipNonAlnum(name, 0);
  for (let k = 0; k < lit.length; k++) {
    if (i >= name.length) return false;
    const want = lit.charCodeAt(k);
    const at = letterAt(name, i, want);
    if (want === 45) { // '-': any run of non-alphanumerics may stand for it
      i = skipNonAlnum(name, at > 0 ? at : i + 1);
      continue;
    }
    if (at < 0) return skipNonAlnum(name, i) === name.length;
    i = at;
    while (i < name.length && name.charCodeAt(i) <= 32) i++;
  }
  return skipNonAlnum(name, i) === name.length;
}

/** Index after name[i] when it matches want (ASCII case-insensitive, or the two UTF-8 look-alikes); -1 otherwise. */
function letterAt(name: string, i: number, want: number): number {
  const c = name.charCodeAt(i);
  if ((c >= 65 && c <= 90 ? c + 32 : c) === want) return i + 1;
  const d = name.charCodeAt(i + 1);
  if ((want === 115 && c === 0xc5 && d === 0xbf) || (want === 105 && c === 0xc4 && d === 0xb1)) return i + 2;
  return -1;
}

const HEX = '0123456789abcdef';
const MAX_SHOWN = 200;

/** s in quotes with CR, LF, HTAB, backslash and non-printables escaped (\0x01). */
export function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length && out.length < MAX_SHOWN; i++) out += escaped(s.charCodeAt(i));
  return `${out}"`;
}

/** Like quoted, but printable runs collapse to "_": shows only what is wrong with a value. */
export function obfuscated(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length && out.length < MAX_SHOWN; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10 || c === 92 || (c < 32 || c === 127)) out += escaped(c);
    else if (!out.endsWith('_')) out += '_';
  }
  return `${out}"`;
}

function escaped(c: number): string {
  switch (c) {
    case 13: return '\\r';
    case 10: return '\\n';
    case 9: return '\\t';
    case 92: return '\\\\';
    default: return c >= 32 && c < 127 ? String.fromCharCode(c) : `\\0x${HEX[c >> 4]}${HEX[c & 15]}`;
  }
}
