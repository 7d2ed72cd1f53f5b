/**
 * bench/RESULTS.md: one section per (machine, set of proxies). A new run with
 * the same key replaces its section; any other run is appended.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const PREAMBLE = `# shoal bench results

Written by \`npm run bench -- --write\`; bench/README.md explains how to read
them. Compare ratios to nginx, not absolute numbers: each section is one run on
a shared machine. A new run on the same machine with the same proxies replaces
its section.
`;

export function sectionKey(parts: readonly string[]): string {
  return parts.join(' ').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function markers(key: string): { begin: string; end: string } {
  return { begin: `<!-- bench-run ${key} -->`, end: `<!-- /bench-run ${key} -->` };
}

/** Pure: the new file text with the section for key put in place of the old one, or appended. */
export function upsertSection(current: string, key: string, body: string): string {
  const { begin, end } = markers(key);
  const section = `${begin}\n${body.trim()}\n${end}\n`;
  const base = current.trim() ? current : PREAMBLE;
  const from = base.indexOf(begin);
  const to = base.indexOf(end);
  if (from >= 0 && to > from) {
    return base.slice(0, from) + section + base.slice(to + end.length).replace(/^\n/, '');
  }
  return `${base.replace(/\n*$/, '\n')}\n${section}`;
}

export function writeSection(file: string, key: string, body: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, upsertSection(current, key, body));
}
