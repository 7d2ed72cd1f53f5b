#!/usr/bin/env node
// Bundles the browser console (console/src/main.ts) with esbuild into
// dist/console/, the directory the daemon is to serve. No CDN: every
// dependency is bundled so the console works offline.
import { build } from 'esbuild';

await build({
  entryPoints: ['console/src/main.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  minify: true,
  outdir: 'dist/console',
  logLevel: 'warning',
});
