// Bundles src/ into OUT_DIR (index.html, assets/app.js, assets/app.css) with esbuild.
// Usage: node scripts/build.mjs OUT_DIR [NODE_MODULES_DIR]
// NODE_MODULES_DIR: where `npm ci` put the packages (the CMake build keeps them in
// its own directory, so parallel build directories never share one node_modules).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, '..', 'src');
const out = resolve(process.argv[2] ?? join(here, '..', 'dist'));
const modules = resolve(process.argv[3] ?? join(here, '..', 'node_modules'));
const require = createRequire(join(modules, 'noop.js'));
const esbuild = require('esbuild');

mkdirSync(join(out, 'assets'), { recursive: true });
await esbuild.build({
  entryPoints: [join(src, 'main.tsx')],
  bundle: true,
  outfile: join(out, 'assets', 'app.js'),
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  nodePaths: [modules],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
copyFileSync(join(src, 'app.css'), join(out, 'assets', 'app.css'));
console.log(`web: bundle written to ${out}`);
