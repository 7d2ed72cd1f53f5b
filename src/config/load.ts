/**
 * Reading a config file: YAML (with positions) -> schema -> cross-references
 * -> normalized ShoalConfig. Every problem found is reported at once, each
 * with file:line:column, field path, and what is allowed.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { ShoalConfig } from '../model/config.js';
import { errorMessage } from '../core/errors.js';
import { ConfigError } from './errors.js';
import { collect, fromZod, type RawIssue, type Source } from './issues.js';
import { normalize } from './normalize.js';
import { checkReferences } from './references.js';
import { configSchema } from './schema.js';

/** Reads and validates a config file. Relative paths in it (stateDir, imageId) resolve against its directory. */
export function loadConfigFile(path: string): ShoalConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file: path, line: 0, column: 0, path: '', message: `cannot read the config file: ${errorMessage(err)}` }]);
  }
  return parseConfig(text, path);
}

/** Validates config text. `fileName` names it in errors and is where relative paths resolve from. */
export function parseConfig(text: string, fileName: string): ShoalConfig {
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
  const raws: RawIssue[] = [];
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) raws.push(...parsed.error.issues.map(fromZod));
  raws.push(...checkReferences(data));
  if (raws.length > 0 || !parsed.success) {
    const src: Source = { file: fileName, doc, lines, data };
    throw new ConfigError(collect(raws, src));
  }
  return normalize(parsed.data, dirname(fileName));
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
