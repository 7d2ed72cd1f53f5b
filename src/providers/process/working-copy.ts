import { constants, copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes an instance's working copy of its image, like a fresh root disk made
 * from an AMI: small files are copied (reflinked where the filesystem can), so
 * an instance may write next to its code without touching the image or other
 * instances. Large read-only trees are symlinked instead of copied, to keep a
 * launch fast and cheap:
 * - directories named in `linkDirs` (node_modules, by default);
 * - files of `linkFileBytes` or more (8 MiB: models, bundles, assets).
 * An app that writes into those writes into the image: document it, don't.
 * `.git` is skipped. Symlinks inside the image are kept as they are.
 */
export interface CopyOptions {
  linkDirs: ReadonlySet<string>;
  skipDirs: ReadonlySet<string>;
  linkFileBytes: number;
}

export const defaultCopyOptions: CopyOptions = {
  linkDirs: new Set(['node_modules']),
  skipDirs: new Set(['.git']),
  linkFileBytes: 8 * 1024 * 1024,
};

export function makeWorkingCopy(image: string, target: string, opts: CopyOptions = defaultCopyOptions): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(image, { withFileTypes: true })) {
    const from = join(image, entry.name);
    const to = join(target, entry.name);
    if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
    } else if (entry.isDirectory()) {
      if (opts.skipDirs.has(entry.name)) continue;
      if (opts.linkDirs.has(entry.name)) symlinkSync(from, to, 'dir');
      else makeWorkingCopy(from, to, opts);
    } else if (entry.isFile()) {
      if (lstatSync(from).size >= opts.linkFileBytes) symlinkSync(from, to);
      else copyFileSync(from, to, constants.COPYFILE_FICLONE);
    }
    // sockets, fifos, devices: not part of an image.
  }
}
