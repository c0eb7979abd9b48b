import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** What can be served: `repo.metrics` (anchorage's metrics only) or a whole prom-client Registry. */
export type MetricsSource = { prometheus(): Promise<string>; readonly contentType: string } | Registry;

export interface MetricsHandlerOptions {
  /** The path served; `null` serves every path (when a framework routes to the handler). Default `/metrics`. */
  readonly path?: string | null;
}

/**
 * A request handler for node's `http` (and so for Express, Fastify's raw mode, …): `GET` or `HEAD`
 * on `path` answers the Prometheus text exposition; other paths 404, other methods 405.
 */
export function metricsHandler(
  source: MetricsSource,
  options: MetricsHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const path = options.path === undefined ? '/metrics' : options.path;
  const text = () => ('prometheus' in source ? source.prometheus() : source.metrics());
  return async (req, res) => {
    if (path !== null && new URL(req.url ?? '/', 'http://localhost').pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    try {
      const body = await text();
      res.writeHead(200, { 'content-type': source.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(error as Error).message}\n`);
    }
  };
}
