/**
 * The data plane's native modules (binding.gyp: native/tcp-relay,
 * native/accept), built into build/Release by `npm install` with node-gyp on
 * Linux. Each caller keeps its JavaScript path for where a module is missing.
 */
import { createRequire } from 'node:module';

/**
 * build/Release/<file>.node when it is built and exports `entry` as a function;
 * null on another platform, where it did not build, or with `off` true (the
 * caller's environment switch).
 */
export function loadNativeModule<T extends object>(file: string, entry: keyof T & string, off: boolean): T | null {
  if (off || process.platform !== 'linux') return null;
  try {
    // dist/src/dataplane/ -> the package root, where node-gyp builds.
    const m = createRequire(import.meta.url)(`../../../build/Release/${file}.node`) as Partial<T>;
    return typeof m[entry] === 'function' ? (m as T) : null;
  } catch {
    return null; // not built
  }
}
