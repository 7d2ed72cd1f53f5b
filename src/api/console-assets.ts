/**
 * The bundled console's files (scripts/build-console.js writes them to
 * dist/console/): served from that directory by exact name only, so no path
 * from the URL ever reaches the file system. Read once and kept: the bundle
 * does not change while the daemon runs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** URL prefix of the assets: /console/main.js, /console/main.css. */
export const ASSET_PREFIX = '/console/';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** dist/src/api/ -> dist/console/ */
export const CONSOLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'console');

let files: Map<string, Buffer> | undefined;

function load(): Map<string, Buffer> {
  if (files) return files;
  const out = new Map<string, Buffer>();
  if (existsSync(CONSOLE_DIR)) {
    for (const name of readdirSync(CONSOLE_DIR)) {
      const ext = name.slice(name.lastIndexOf('.'));
      if (TYPES[ext]) out.set(name, readFileSync(join(CONSOLE_DIR, name)));
    }
  }
  return (files = out);
}

/** True when the bundle was built (npm run build); the shell says how to build it otherwise. */
export function bundleBuilt(): boolean {
  return load().has('main.js');
}

/** Answers GET /console/<name>; false when no such file is in the bundle. */
export function serveAsset(res: ServerResponse, name: string): boolean {
  const body = load().get(name);
  if (!body) return false;
  res.writeHead(200, {
    'content-type': TYPES[name.slice(name.lastIndexOf('.'))]!,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
  return true;
}
