import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/**
 * The web UI's build (ui/dist, from `npm run build:ui`): index.html at `/`, hashed bundles under `/assets/`, which
 * never change under the same name and so may be cached for a year. Client-side routes live after `#`, so the
 * server needs no catch-all.
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
    serveStatic({ root: uiDir, path: 'index.html', onFound: (_path, c) => c.header('Cache-Control', 'no-cache') }),
  );
  app.get(
    '/assets/*',
    serveStatic({
      root: uiDir,
      onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  return app;
}
