import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Split "host:port" (IPv6 as "[::1]:4318"); port 0 means any free port. */
export function splitHostPort(endpoint: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(endpoint.trim());
  if (!m) throw new Error(`endpoint "${endpoint}" is not host:port`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`endpoint "${endpoint}": port out of range`);
  return { host: m[1] || '0.0.0.0', port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Listen on endpoint and return the bound "host:port". */
export function listenHttp(server: Server, endpoint: string): Promise<string> {
  const { host, port } = splitHostPort(endpoint);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve(formatHostPort(host, a.port));
    });
  });
}
