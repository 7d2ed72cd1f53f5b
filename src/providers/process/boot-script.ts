import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validationError } from '../../core/errors.js';

/**
 * The boot script an instance runs: the launch template's userData, run once
 * with `sh` in the instance's directory (like cloud-init running user data).
 * Without userData the image's usual entry point is used, like a container's
 * CMD: `npm start` when package.json has a start script, else
 * `node server.js` when there is one; otherwise the launch fails and says so.
 * The default execs, so the app itself becomes the process group leader.
 */
export function bootScriptFor(imageDir: string, userData: string | undefined): string {
  if (userData !== undefined && userData.trim() !== '') return userData;
  const pkg = join(imageDir, 'package.json');
  if (existsSync(pkg)) {
    try {
      const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: Record<string, string> };
      if (parsed.scripts?.start) return '#!/bin/sh\nexec npm start\n';
    } catch {
      // Not JSON: fall through to server.js.
    }
  }
  if (existsSync(join(imageDir, 'server.js'))) return '#!/bin/sh\nexec node server.js\n';
  throw validationError(
    `The image ${imageDir} has no boot script: give the launch template userData (e.g. "exec node app.js"), ` +
      'or add a package.json start script or a server.js to the image.',
  );
}
