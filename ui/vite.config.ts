import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Run from the repository root (`npm run build:ui`); the paths are resolved from this file so the cwd does not matter.
const uiRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: uiRoot,
  plugins: [preact()],
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
