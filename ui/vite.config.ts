import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

// Run from the repository root (`npm run build:ui`); the paths are resolved from this file so the cwd does not matter.
const uiRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: uiRoot,
  plugins: [preact(), precompress()],
  // Vite's cache in the repository's node_modules, not a second node_modules folder under ui/.
  cacheDir: `${uiRoot}../node_modules/.vite-ui`,
  build: {
    outDir: `${uiRoot}dist`,
    emptyOutDir: true,
    // The CSP allows only 'self' scripts: no inline polyfill snippet, and every modern browser preloads modules.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs, which the CSP (img-src falls back to 'self') would block.
    assetsInlineLimit: 0,
  },
  // `npm run dev:ui` talks to a Recon on :8080 so the session cookie and CSRF checks see one origin.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});

/** Below this a compressed copy saves less than its own headers cost. */
const PRECOMPRESS_MIN_BYTES = 1024;

/**
 * Writes `x.br` and `x.gz` beside every text file of the build, at the highest levels (paid once per build, not per
 * request); server/http/routes-ui.ts serves them to browsers that accept them.
 */
function precompress(): Plugin {
  return {
    name: 'recon-precompress',
    apply: 'build',
    writeBundle({ dir }) {
      const walk = (folder: string): string[] =>
        readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(folder, e.name)) : [join(folder, e.name)],
        );
      for (const file of walk(dir ?? `${uiRoot}dist`)) {
        if (!/\.(js|css|html|svg|json)$/.test(file) || statSync(file).size < PRECOMPRESS_MIN_BYTES) continue;
        const bytes = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}
