import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL server for the store tests: initdb in a temp dir, trust auth for the
 * `postgres` superuser, listening on 127.0.0.1 at a free port and on a socket in the same dir.
 * initdb refuses to run as root (CI runs as root), so there it runs as the `postgres` OS user.
 */
export interface PgServer {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:PORT/<database> */
  url(database?: string): string;
  /** A fresh empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stop the server abruptly (-m immediate: like a crash) and start it again on the same port. */
  restart(): void;
  stop(): void;
}

const SEARCH_ROOT = '/usr/lib/postgresql';

/** The bin directory with initdb and pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
export function findPgBin(root = SEARCH_ROOT, fromEnv = process.env.PG_BIN): string {
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      `PostgreSQL server binaries not found (no initdb under ${root}/*/bin, nor in PG_BIN). ` +
        'The PostgreSQL store tests need a real server: `apt-get install -y postgresql` (Debian/Ubuntu; .ci/run ' +
        'does this), or set PG_BIN to the directory holding initdb, pg_ctl and postgres.',
    );
  return join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Run a PostgreSQL tool as a user it accepts: ourselves, or `postgres` when we are root. */
function runPg(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const res = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0)
    throw new Error(`${[cmd, ...argv].join(' ')} failed (${res.status ?? res.signal}): ${res.stderr || res.stdout}`);
}

/** `fsync: true` for measurements; tests leave it off (they check transactions, not the host's disk). */
export async function startPgServer(options: { fsync?: boolean } = {}): Promise<PgServer> {
  const bin = findPgBin();
  // As root the server runs as `postgres`, which must reach the dir: /tmp, not a private $TMPDIR.
  const dir = mkdtempSync(join(isRoot() ? '/tmp' : tmpdir(), 'anomalog-pg-'));
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  runPg(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  // A port taken between freePort() and the server's bind makes pg_ctl fail: try a few ports.
  let port = 0;
  const fsync = options.fsync ? 'on' : 'off';
  const opts = () => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync} -c max_connections=50`;
  const start = () => runPg(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', opts(), 'start']);
  const stopNow = () => runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      start();
      break;
    } catch (err) {
      if (attempt >= 2) {
        const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(err as Error).message}\nserver log:\n${tail}`);
      }
    }
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name: string) {
      const client = new Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    restart() {
      stopNow();
      start();
    },
    stop() {
      try {
        stopNow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
