import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { readFileSync } from 'fs';
import path from 'path';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="root"></div><script src="/harness.js"></script></body></html>`;

/** Serves the harness page and its bundle; false when the request is for something else. */
export function serveHarness(req: IncomingMessage, res: ServerResponse, distDir = path.join(__dirname, 'dist')) {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/harness.js') {
    res.setHeader('content-type', 'text/javascript');
    res.end(readFileSync(path.join(distDir, 'harness.js')));
    return true;
  }
  if (url.pathname === '/') {
    res.setHeader('content-type', 'text/html');
    res.end(PAGE);
    return true;
  }
  return false;
}

export function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }),
  );
}

/**
 * The harness page plus what Grafana's plugin proxy route does: forward /api/v1/... to the processor
 * with `Authorization: Bearer <token>` added server-side, so the browser never holds the token.
 */
export async function startProxyHarness(target: string, token: string, distDir: string) {
  const upstream = new URL(target);
  const forwarded: Array<{ method: string; path: string; status: number }> = [];
  const server = createServer((req, res) => {
    if (serveHarness(req, res, distDir)) {
      return;
    }
    if (!req.url?.startsWith('/api/v1/')) {
      res.statusCode = 404;
      return res.end('{}');
    }
    const headers = { ...req.headers, host: upstream.host, authorization: `Bearer ${token}` };
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        forwarded.push({ method: req.method ?? 'GET', path: req.url ?? '', status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      res.statusCode = 502;
      res.end('{"message":"processor unreachable"}');
    });
    req.pipe(out);
  });
  return { server, origin: await listen(server), forwarded };
}
