import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Every script and style the dashboard uses, served by the service itself (no CDN): the
 * dashboard's own files and two pinned packages from node_modules (htmx 2, uPlot). A fixed
 * list read once at start — nothing else under /app/assets/ exists, so no path is ever joined
 * from a request.
 */
const require = createRequire(import.meta.url);
const own = (name: string) => fileURLToPath(new URL(`./assets/${name}`, import.meta.url));

const FILES: Record<string, { path: string; type: string }> = {
  'app.css': { path: own('app.css'), type: 'text/css; charset=utf-8' },
  'charts.js': { path: own('charts.js'), type: 'text/javascript; charset=utf-8' },
  'htmx.min.js': { path: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'uPlot.iife.min.js': { path: require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { path: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

export interface Asset {
  body: Buffer;
  type: string;
}

export function loadAssets(): Map<string, Asset> {
  return new Map(Object.entries(FILES).map(([name, f]) => [name, { body: readFileSync(f.path), type: f.type }]));
}
