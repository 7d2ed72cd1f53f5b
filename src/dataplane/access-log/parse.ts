/**
 * Reading ALB-format lines back: the format's grammar in executable form
 * (space-separated fields, double-quoted ones with \" \\ \xHH escapes), for
 * scripts and tests that check a log against AWS's field order. Fields past
 * the ones named in ALB_FIELDS are kept in `extra`, as AWS tells parsers to
 * expect new fields at the end.
 */
import { ALB_FIELDS } from './format.js';

export type AlbEntry = Record<(typeof ALB_FIELDS)[number], string> & { extra: string[] };

/** The fields of one line (without its newline), quoted ones unquoted and unescaped. */
export function splitAlbLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && line[i + 1] === 'x') {
          const bytes: number[] = [];
          while (line[i] === '\\' && line[i + 1] === 'x') {
            bytes.push(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
          }
          v += Buffer.from(bytes).toString('utf8');
          continue;
        }
        if (line[i] === '\\') i++;
        v += line[i++];
      }
      if (line[i] !== '"') throw new Error(`unterminated quoted field at ${i}`);
      out.push(v);
      i++;
    } else {
      const end = line.indexOf(' ', i);
      out.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length : end;
    }
    if (i < line.length) {
      if (line[i] !== ' ') throw new Error(`expected a space between fields at ${i}`);
      i++;
    }
  }
  return out;
}

/** One line by ALB's field names; throws when it has fewer fields than ALB_FIELDS. */
export function parseAlbLine(line: string): AlbEntry {
  const values = splitAlbLine(line);
  if (values.length < ALB_FIELDS.length) throw new Error(`${values.length} fields, ALB's access log has ${ALB_FIELDS.length}: ${line}`);
  const entry = { extra: values.slice(ALB_FIELDS.length) } as AlbEntry;
  ALB_FIELDS.forEach((name, i) => (entry[name] = values[i]!));
  return entry;
}
