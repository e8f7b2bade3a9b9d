// CREDITMETER_PROCESSES=N: N server processes on one port (node:cluster), for a machine with more
// cores than one event loop uses. Each is a whole server (its own PostgreSQL connections,
// schedulers and webhook dispatch, which already share their work through the database, as
// several machines behind a load balancer do); this primary only starts them, restarts one that
// dies, and stops them all on SIGTERM or SIGINT, each as a lone server stops.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** A process that dies is started again, but not more often than this: a crash at start must not spin. */
const RESTART_DELAY_MS = 1_000;

/** What a worker tells the primary once it listens, for the one banner the operator reads. */
export interface Listening {
  listening: { url: string; catalogVersion: number };
}

export function runServerProcesses({
  processes,
  env,
  log,
  banner,
  shutdownSeconds,
}: {
  processes: number;
  /** What every process is given beside this one's environment: the one API key they all take. */
  env: Record<string, string>;
  log: Logger;
  banner: (url: string, catalogVersion: number) => void;
  shutdownSeconds: number;
}): void {
  let stopping = false;
  let announced = false;
  const start = (): Worker => {
    const worker = cluster.fork(env);
    worker.on('message', (message: Partial<Listening>) => {
      if (message.listening && !announced) {
        announced = true;
        banner(message.listening.url, message.listening.catalogVersion);
      }
    });
    return worker;
  };
  for (let i = 0; i < processes; i += 1) start();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'a server process ended; starting another');
    setTimeout(() => {
      if (!stopping) start();
    }, RESTART_DELAY_MS).unref();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping the server processes');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    // Each process keeps its own deadline; this one only outlives them.
    setTimeout(() => process.exit(1), (shutdownSeconds + 10) * 1000).unref();
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
