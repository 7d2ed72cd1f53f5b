/** Config templates in bench/peers/: `{{NAME}}` placeholders, every one must be given. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/bench/lib/render.js (or bench/lib/render.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', ...(
  fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? ['..'] : []
));

export const peersDir = path.join(repoRoot, 'bench', 'peers');

export function render(template: string, vars: Record<string, string | number>): string {
  const out = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_m, key: string) => {
    const v = vars[key];
    if (v === undefined) throw new Error(`template placeholder {{${key}}} has no value`);
    return String(v);
  });
  return out;
}

export function renderFile(name: string, vars: Record<string, string | number>): string {
  return render(readFileSync(path.join(peersDir, name), 'utf8'), vars);
}
