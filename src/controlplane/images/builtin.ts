/**
 * Images shipped with shoal, so a new user has something to start from
 * (`aws ec2 describe-images` then `run-instances --image-id <it>` on a fresh
 * daemon): the repository's examples/hello, named "shoal/hello", with an id
 * derived from that name (the same on every machine and state dir).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageCatalog, ImageRecord } from './images.js';

export const HELLO_IMAGE_NAME = 'shoal/hello';

/** The repository's examples/hello, found upwards from this module (src/ or dist/src/). */
export function helloDirectory(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'examples', 'hello');
    if (existsSync(join(candidate, 'server.js'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Registers the built-in images that exist on this install; returns them. */
export function registerBuiltinImages(images: ImageCatalog): ImageRecord[] {
  const hello = helloDirectory();
  if (hello === undefined) return [];
  return [images.registerBuiltin(HELLO_IMAGE_NAME, hello, 'A Node.js HTTP server answering on $PORT (GET / and /health); start it with user data `exec node server.js`')];
}
