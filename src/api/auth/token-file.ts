/**
 * The API token file, <stateDir>/api-token (mode 0600): the daemon writes a
 * new token there at every start (a restart revokes the old one, as it ends
 * console sessions); the CLI on the same machine reads it. Written to a
 * temporary file and renamed, so a reader never sees half a token and the
 * mode holds even when an older file had looser permissions.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = 'api-token';

export function tokenPath(stateDir: string): string {
  return join(stateDir, TOKEN_FILE);
}

export function writeTokenFile(stateDir: string, token: string): string {
  mkdirSync(stateDir, { recursive: true });
  const path = tokenPath(stateDir);
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { force: true }); // a crashed start's leftover: 'wx' below must create the file, with our mode
  writeFileSync(tmp, token + '\n', { mode: 0o600, flag: 'wx' });
  renameSync(tmp, path);
  return path;
}

/** The token, or why it could not be read (for the CLI's message). */
export function readTokenFile(stateDir: string): { token: string } | { error: string } {
  const path = tokenPath(stateDir);
  try {
    const token = readFileSync(path, 'utf8').trim();
    return token ? { token } : { error: `${path} is empty` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `no token file at ${path} (the daemon writes it when it starts; is it running with this config?)` };
    if (code === 'EACCES') return { error: `cannot read ${path}: permission denied (run as the daemon's user, or set SHOAL_TOKEN)` };
    return { error: `cannot read ${path}: ${String((err as Error).message)}` };
  }
}
