/**
 * A config file read as data with positions (ConfigSource), and the model
 * built from config data (buildConfig): the same schema, cross-reference and
 * normalization steps whether the data is the file alone or the file plus
 * resources created through the API (src/resources), so both are held to
 * the same rules and every issue says where its resource came from.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { ShoalConfig } from '../model/config.js';
import { errorMessage } from '../core/errors.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { collect, fromZod, formatPath, type RawIssue } from './issues.js';
import { normalize } from './normalize.js';
import { checkReferences } from './references.js';
import { checkTlsFiles } from './tls-files.js';
import { configSchema } from './schema.js';

/** Config data as read (a map of sections when well formed; the schema reports anything else). */
export type ConfigData = unknown;

export interface ConfigSource {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** The file's data, empty values dropped (see dropEmptyValues). */
  data: ConfigData;
}

/** Turns a raw issue into a located ConfigIssue. */
export type Locator = (issues: RawIssue[]) => ConfigIssue[];

export function readConfigFile(path: string): ConfigSource {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file: path, line: 0, column: 0, path: '', message: `cannot read the config file: ${errorMessage(err)}` }]);
  }
  return readConfigText(text, path);
}

/** Parses YAML text; throws ConfigError for syntax errors (nothing is validated yet). */
export function readConfigText(text: string, fileName: string): ConfigSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      const message = e.code === 'MULTIPLE_DOCS' ? 'a config file holds one YAML document; remove the second "---"' : e.message;
      return { file: fileName, line: pos.line, column: pos.col, path: '', message: `YAML syntax error: ${message}` };
    }));
  }
  let data: unknown;
  try {
    data = dropEmptyValues(doc.toJS({ maxAliasCount: 1000 }) ?? {});
  } catch (err) {
    throw new ConfigError([{ file: fileName, line: 1, column: 1, path: '', message: `YAML error: ${errorMessage(err)}` }]);
  }
  return { file: fileName, doc, lines, data };
}

/** Issues located in the source's file. */
export function fileLocator(src: ConfigSource): Locator {
  return (raws) => collect(raws, src);
}

/** Validates and normalizes config data; relative paths resolve against configDir. Throws ConfigError with every issue. */
export function buildConfig(data: ConfigData, locate: Locator, configDir: string): ShoalConfig {
  const raws: RawIssue[] = [];
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) raws.push(...parsed.error.issues.map(fromZod));
  raws.push(...checkReferences(data));
  raws.push(...checkTlsFiles(data, configDir));
  if (raws.length > 0 || !parsed.success) throw new ConfigError(locate(raws));
  return normalize(parsed.data, configDir);
}

export function configDirOf(src: ConfigSource): string {
  return dirname(src.file);
}

/** An issue that has no place in a file (an API-created resource): its path names the resource. */
export function unplaced(label: string, raw: RawIssue): ConfigIssue {
  return { file: label, line: 0, column: 0, path: formatPath(raw.path), message: raw.message };
}

/**
 * A map key with an empty value (`healthCheck:` with every line under it
 * commented out) counts as not given, so its default applies; a required
 * field left empty is reported as missing. Empty list items stay (null).
 */
function dropEmptyValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmptyValues);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== null) out[k] = dropEmptyValues(x);
  }
  return out;
}
