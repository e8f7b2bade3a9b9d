// A real n8n, started headless on free ports with the built package installed under its user
// folder, as an operator installs a community package by hand; workflows and credentials go in
// through the n8n CLI. Once started it has an owner, whose session calls n8n's REST API as the
// editor does (executions, retries) and signs in to the editor.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REPO = join(__dirname, '..', '..', '..');

/**
 * Ports free at the time of asking, distinct from one another: every probe stays bound until all
 * are, since a port let go is the one the system hands out next.
 */
export async function freePorts(count: number): Promise<number[]> {
  const probes = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      probes.map(
        (probe) =>
          new Promise<number>((resolve, reject) => {
            probe.once('error', reject);
            probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port));
          }),
      ),
    );
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => (probe.listening ? probe.close(resolve) : resolve(undefined)))));
  }
}

/** The instance owner set up at start. */
export const OWNER = { email: 'owner@creditmeter.test', firstName: 'Ada', lastName: 'Operator', password: 'Creditmeter-e2e-1' };

export interface N8n {
  url: string;
  /** n8n's REST API (`/rest/…`) in the owner's session. */
  rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  cli(...args: string[]): Promise<string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  log(): string;
}

export async function prepareN8n(bin: string): Promise<N8n> {
  const userFolder = mkdtempSync(join(tmpdir(), 'creditmeter-n8n-'));
  // The built package (dist/ and its package.json), where n8n looks for installed community packages.
  const installed = join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-creditmeter');
  mkdirSync(installed, { recursive: true });
  cpSync(join(REPO, 'package.json'), join(installed, 'package.json'));
  cpSync(join(REPO, 'dist'), join(installed, 'dist'), { recursive: true });
  writeFileSync(
    join(userFolder, '.n8n', 'nodes', 'package.json'),
    JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-creditmeter': '*' } }),
  );

  const [port, brokerPort] = await freePorts(2);
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    // Jest sets NODE_ENV=test, under which n8n behaves as in its own test suite.
    NODE_ENV: 'production',
    NODE_OPTIONS: '',
    N8N_USER_FOLDER: userFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    WEBHOOK_URL: `${url}/`,
    N8N_ENCRYPTION_KEY: 'creditmeter-e2e-encryption-key',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_DYNAMIC_BANNERS_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    DB_TYPE: 'sqlite',
    N8N_LOG_LEVEL: 'info',
  };
  let child: ChildProcess | undefined;
  let output = '';
  // n8n binds a session to the browser id it was issued for; the test is one browser.
  const browserId = 'creditmeter-e2e-browser';
  let session = '';
  const rest: N8n['rest'] = async (method, path, body) => {
    const response = await fetch(`${url}/rest${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'browser-id': browserId, ...(session ? { cookie: session } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
    if (cookie) session = cookie.split(';')[0]!;
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed };
  };
  const run = promisify(execFile);
  return {
    url,
    rest,
    log: () => output,
    async cli(...args) {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
      return stdout + stderr;
    },
    async start() {
      child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 180_000;
      for (;;) {
        if (child.exitCode !== null) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          throw new Error(`n8n exited (${child.exitCode}):\n${output.slice(-4000)}`);
        }
        const ready = await fetch(`${url}/healthz/readiness`).then(
          (health) => health.ok && output.includes('Editor is now accessible'),
          () => false, // not listening yet
        );
        if (ready) {
          const owner = await rest('POST', '/owner/setup', OWNER);
          if (owner.status !== 200) throw new Error(`n8n refused the owner setup (${owner.status}): ${JSON.stringify(owner.body)}`);
          return;
        }
        if (Date.now() > deadline) throw new Error(`n8n did not start:\n${output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    async stop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child!.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(userFolder, { recursive: true, force: true });
    },
  };
}
