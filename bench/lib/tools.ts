/** Finds nginx, haproxy, wrk and h2load, installs them when allowed, and reads their versions. */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './render.js';

export type ToolName = 'nginx' | 'haproxy' | 'wrk' | 'h2load';
export type Tools = Record<ToolName, string>;

const INSTALL_SCRIPT = path.join(repoRoot, 'scripts', 'install-bench-deps.sh');
// Debian puts nginx and haproxy in /usr/sbin, which a non-root PATH often lacks.
const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin'];

export function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

function lookup(names: readonly ToolName[]): { found: Partial<Tools>; missing: ToolName[] } {
  const found: Partial<Tools> = {};
  const missing: ToolName[] = [];
  for (const n of names) {
    const p = which(n);
    if (p) found[n] = p;
    else missing.push(n);
  }
  return { found, missing };
}

/**
 * Returns the paths of the tools needed. Missing ones are installed with
 * scripts/install-bench-deps.sh when running as root; otherwise this prints how
 * to install them and exits 1.
 */
export function ensureTools(names: readonly ToolName[]): Tools {
  let { found, missing } = lookup(names);
  if (missing.length > 0) {
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) {
      process.stderr.write(
        `bench: missing ${missing.join(', ')}.\n` +
          `Install them (Debian/Ubuntu): sudo ${path.relative(process.cwd(), INSTALL_SCRIPT) || INSTALL_SCRIPT}\n` +
          `  or: sudo apt-get install -y nginx haproxy wrk nghttp2-client\n`,
      );
      process.exit(1);
    }
    process.stderr.write(`bench: missing ${missing.join(', ')}; running ${INSTALL_SCRIPT}\n`);
    const r = spawnSync('sh', [INSTALL_SCRIPT], { stdio: 'inherit' });
    ({ found, missing } = lookup(names));
    if (r.status !== 0 || missing.length > 0) {
      process.stderr.write(`bench: install failed; still missing ${missing.join(', ') || '(none)'}\n`);
      process.exit(1);
    }
  }
  return { nginx: '', haproxy: '', wrk: '', h2load: '', ...found } as Tools;
}

/** First line a tool prints for its version flag (some print it on stderr, wrk exits 1). */
export function toolVersion(cmd: string, flag: string): string {
  if (!cmd) return 'n/a';
  const r = spawnSync(cmd, [flag], { encoding: 'utf8', timeout: 5000 });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return text.split('\n')[0]?.trim() || 'unknown';
}
