// One process owns an embedded data folder: a second server on the same folder is refused at once,
// naming the holder, and a holder killed with kill -9 leaves nothing stuck.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { openPglite } from '../../../server/src/store/pglite';
import { DataFolderUnavailable } from '../../../server/src/store/dataFolderLock';
import { API_KEY_FILE, generatedApiKey } from '../../../server/src/store/generatedApiKey';
import { post, runEmbeddedProcessToExit, startEmbeddedProcess } from '../support/processes';

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

describe('an embedded data folder', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'creditmeter-lock-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a second server process on the same folder is refused at once with one line naming the holder', async () => {
    const first = await startEmbeddedProcess(dataDir);
    children.push(first.child);
    expect((await post(first.url, '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' })).status).toBe(201);

    const second = await runEmbeddedProcessToExit(dataDir);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`in use by process ${first.child.pid}`);

    // The holder goes on serving what it wrote.
    expect((await post(first.url, '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' })).status).toBe(409);
  });

  test('a holder killed with kill -9 leaves the folder to the next process, with its data', async () => {
    const first = await startEmbeddedProcess(dataDir);
    children.push(first.child);
    expect((await post(first.url, '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' })).status).toBe(201);
    first.child.kill('SIGKILL');
    await exited(first.child);

    const next = await startEmbeddedProcess(dataDir);
    children.push(next.child);
    expect((await post(next.url, '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' })).status).toBe(409);
  });

  test('a second opening in the same process is refused too, and the folder opens again once closed', async () => {
    const db = await openPglite(dataDir);
    await expect(openPglite(dataDir)).rejects.toThrow(DataFolderUnavailable);
    await db.close();
    const again = await openPglite(dataDir);
    await again.close();
  });
});

describe('a generated API key', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'creditmeter-key-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('is kept in the data folder, readable by the server\'s user only, and found again', () => {
    const first = generatedApiKey(dataDir);
    expect(first).toMatchObject({ created: true, key: expect.stringMatching(/^cm_[A-Za-z0-9_-]{32}$/) });
    expect(statSync(join(dataDir, API_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(generatedApiKey(dataDir)).toEqual({ key: first.key, created: false });
  });

  test('survives a restart of the server, CREDITMETER_API_KEY left empty', async () => {
    const keyOf = (output: string) => /API key: (\S+)/.exec(output)![1]!;
    const first = await startEmbeddedProcess(dataDir, { CREDITMETER_API_KEY: '' });
    const key = keyOf(first.output());
    first.child.kill('SIGTERM');
    await exited(first.child);
    const second = await startEmbeddedProcess(dataDir, { CREDITMETER_API_KEY: '' });
    try {
      expect(keyOf(second.output())).toBe(key);
      expect(second.output()).toContain(`kept in ${dataDir}/api-key`);
      const response = await fetch(`${second.url}/v1/accounts`, { headers: { authorization: `Bearer ${key}` } });
      expect(response.status).toBe(200);
    } finally {
      second.child.kill('SIGKILL');
      await exited(second.child);
    }
  });
});
