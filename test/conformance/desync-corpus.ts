/**
 * Loads AWS's public http-desync-guardian test corpus (YAML, see its README)
 * and turns each case into the raw request bytes a client would send.
 * The corpus is kept in the repository, under test/data/http-desync-guardian
 * (with its LICENSE, NOTICE and ORIGIN.md), so the tests need nothing beside the clone.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface CorpusCase {
  file: string;
  name: string;
  method: string;
  uri: string;
  version: string;
  headers: Array<{ name: string; value: string }>;
  expected: { tier: string; reason: string; requiredMessageItems: string[] };
}

/** The repository root: the nearest directory above this file holding package.json. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export function corpusDir(): string {
  return resolve(repoRoot(), 'test', 'data', 'http-desync-guardian');
}

export function loadCorpus(dir = corpusDir()): CorpusCase[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  return files.flatMap((file) => (parse(readFileSync(join(dir, file), 'utf8')) as RawCase[]).map((c) => toCase(file, c)));
}

/** Request line, `name: value` lines, blank line; an empty version gives an HTTP/0.9-style line. */
export function rawRequest(c: CorpusCase): Buffer {
  let text = `${c.method} ${c.uri} ${c.version}\r\n`;
  for (const h of c.headers) text += `${h.name}: ${h.value}\r\n`;
  // The corpus strings are Unicode; like the reference harness, send them as UTF-8.
  return Buffer.from(`${text}\r\n`, 'utf8');
}

interface RawCase {
  name: string;
  method: unknown;
  uri: unknown;
  version: unknown;
  headers?: Array<{ name: unknown; value: unknown }>;
  expected: { tier: string; reason: string; required_message_items?: unknown[] };
}

function toCase(file: string, c: RawCase): CorpusCase {
  return {
    file,
    name: c.name,
    method: field(c.method),
    uri: field(c.uri),
    version: field(c.version),
    headers: (c.headers ?? []).map((h) => ({ name: field(h.name), value: field(h.value) })),
    expected: {
      tier: c.expected.tier,
      reason: c.expected.reason,
      requiredMessageItems: (c.expected.required_message_items ?? []).map(field),
    },
  };
}

/** Numbers become their decimal text; strings get the corpus' second escaping pass. */
function field(v: unknown): string {
  return typeof v === 'number' ? String(v) : unescape(String(v ?? ''));
}

/**
 * The reference harness un-escapes strings once more after YAML: \xHH, \b,
 * \f, \n, \r, \t, and "\<c>" -> c. So '\\t' in a double-quoted YAML string is
 * a TAB and "\\\\0x11" is the text \0x11.
 */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\' || i + 1 === s.length) {
      out += ch;
      continue;
    }
    const next = s[++i];
    if (next === 'x') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
