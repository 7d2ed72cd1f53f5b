/**
 * Turns schema (zod) issues and cross-reference issues into ConfigIssues:
 * located in the file, named by field path, saying what is allowed and what
 * was found.
 */
import type { Document, LineCounter } from 'yaml';
import type { ZodIssue } from 'zod';
import type { ConfigIssue } from './errors.js';
import { locate } from './positions.js';
import { suggest } from './suggest.js';

export type IssuePath = (string | number)[];

export interface RawIssue {
  path: IssuePath;
  message: string;
  /** Points at the key rather than its value (unknown fields). */
  atKey?: boolean;
  /** The message describes the allowed values: append what was found, or say the field is missing. */
  got?: boolean;
  /** Allowed values, for a did-you-mean on what was found. */
  options?: readonly string[];
}

export function fromZod(issue: ZodIssue): RawIssue {
  const params = issue.code === 'custom' ? (issue.params ?? {}) : {};
  const base: RawIssue = { path: [...issue.path], message: issue.message };
  switch (issue.code) {
    case 'custom':
      return { ...base, atKey: params.atKey === true, got: params.got === true, options: Array.isArray(params.options) ? params.options.map(String) : undefined };
    case 'invalid_enum_value':
      return { ...base, got: true, options: issue.options.map(String) };
    case 'invalid_union_discriminator':
      return { ...base, got: true, options: issue.options.map(String) };
    default:
      return { ...base, got: true };
  }
}

export interface Source {
  file: string;
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

export function locateIssue(raw: RawIssue, src: Source): ConfigIssue {
  const pos = locate(src.doc, src.lines, raw.path, raw.atKey);
  const at = lookup(src.data, raw.path);
  let message = raw.message;
  if (raw.got && !at.present) {
    message = `missing required field "${String(raw.path[raw.path.length - 1])}"; it ${message}`;
  } else if (raw.got) {
    message += ` (got ${describe(at.value)}${didYouMean(at.value, raw.options)})`;
  }
  return { file: src.file, line: pos.line, column: pos.column, path: formatPath(raw.path), message };
}

/** Sorted by place in the file; an issue reported twice for one field (zod's int and min checks) is kept once. */
export function collect(raws: RawIssue[], src: Source): ConfigIssue[] {
  const seen = new Set<string>();
  const out: ConfigIssue[] = [];
  for (const raw of raws) {
    const issue = locateIssue(raw, src);
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) s += s ? `.${seg}` : seg;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

function lookup(data: unknown, path: readonly (string | number)[]): { present: boolean; value: unknown } {
  let v = data;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, seg)) return { present: false, value: undefined };
    v = (v as Record<string | number, unknown>)[seg];
  }
  return { present: true, value: v };
}

function describe(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

function didYouMean(v: unknown, options: readonly string[] | undefined): string {
  if (typeof v !== 'string' || !options) return '';
  const hint = suggest(v, options);
  return hint && hint !== v ? `; did you mean "${hint}"?` : '';
}
