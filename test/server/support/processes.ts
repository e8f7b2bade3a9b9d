// Real creditmeter server processes (the built server/dist/main.js) for tests that need several
// processes or a kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const MAIN = join(__dirname, '..', '..', '..', 'server', 'dist', 'main.js');
export const KEY = 'two-process-key-0123456789';

export function startProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  return listening(spawnServer({ DATABASE_URL: databaseUrl, ...env }));
}

/** A server process on an embedded store in `dataDir` (no DATABASE_URL). */
export function startEmbeddedProcess(dataDir: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  return listening(spawnServer({ CREDITMETER_DATA_DIR: dataDir, ...env }));
}

/**
 * Starts a server on `dataDir` that is expected to stop by itself: its exit code and output. One
 * still running after `deadlineMs` is killed (its code is then null).
 */
export function runEmbeddedProcessToExit(dataDir: string, deadlineMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnServer({ CREDITMETER_DATA_DIR: dataDir });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    }),
  );
}

function spawnServer(env: Record<string, string>): ChildProcess {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', PORT: '0', CREDITMETER_API_KEY: KEY, LOG_LEVEL: 'error' };
  delete base['DATABASE_URL'];
  return spawn(process.execPath, [MAIN], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function listening(child: ChildProcess): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1]!, child, output: () => output });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}


/** A JSON POST to a server process with the test key. */
export async function post(url: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
