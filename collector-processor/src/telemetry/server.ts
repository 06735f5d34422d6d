import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { listenHttp } from '../net/listen';

export interface TelemetryServer {
  address: string;
  close(): Promise<void>;
}

/** /metrics (Prometheus text), /healthz (process alive), /readyz (accepting data). */
export async function startTelemetryServer(
  endpoint: string,
  registry: Registry,
  isReady: () => boolean,
): Promise<TelemetryServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else if (path === '/healthz') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    else if (path === '/readyz') {
      const ready = isReady();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
    } else res.writeHead(404).end();
  });
  const address = await listenHttp(server, endpoint);
  return {
    address,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
