import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';

/**
 * The web UI's build (ui/dist, from `npm run build:ui`): index.html at `/`, hashed bundles under `/assets/`, which
 * never change under the same name and so may be cached for a year. Client-side routes live after `#`, so the
 * server needs no catch-all. The build writes `.br` and `.gz` copies beside each bundle (ui/vite.config.ts): a browser
 * that accepts one gets it, with the original's Content-Type.
 */
export function uiRoutes(uiDir: string | undefined): Hono {
  const app = new Hono();
  const built = uiDir !== undefined && existsSync(`${uiDir}/index.html`);

  if (!built) {
    app.get('/', (c) =>
      c.text(`Recon's web UI is not built (looked in ${uiDir ?? 'nowhere'}). Run: npm run build:ui\n`, 503),
    );
    return app;
  }
  // index.html names the current bundles: revalidated on every load, so a deploy is picked up at once.
  app.get(
    '/',
    serveStatic({
      root: uiDir,
      path: 'index.html',
      precompressed: true,
      onFound: (path, c) => withHeaders(c, path, 'no-cache'),
    }),
  );
  app.get(
    '/assets/*',
    serveStatic({
      root: uiDir,
      precompressed: true,
      onFound: (path, c) => withHeaders(c, path, 'public, max-age=31536000, immutable'),
    }),
  );
  return app;
}

/**
 * serveStatic says `Vary: Accept-Encoding` only when it sends a compressed copy; the identity answer needs it too, or
 * a shared cache could hand it to every browser (or its br copy to a client that cannot read br).
 */
function withHeaders(c: Context, servedPath: string, cacheControl: string) {
  c.header('Cache-Control', cacheControl);
  if (!/\.(br|gz|zst)$/.test(servedPath)) c.header('Vary', 'Accept-Encoding');
}
