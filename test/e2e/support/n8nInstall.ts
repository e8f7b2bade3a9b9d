// The real n8n for end-to-end tests, installed once into a cache outside the repository (it is
// about 2.8 GB) and reused by later runs. Known quirks of installing it here: the registry lacks
// `cssomnom`, which linkedom 0.18.15 needs, so linkedom is held at 0.18.14; a native dependency's
// build downloads zlib and fails, so install scripts are skipped and the one native module n8n
// needs (sqlite3) is built against the running Node's headers.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export const N8N_VERSION = '2.41.1';

function cacheDirectory(): string {
  const base = process.env['CREDITMETER_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'creditmeter');
  return join(base, `n8n-${N8N_VERSION}`);
}

/** The n8n executable (its JS entry point), installing n8n first if the cache lacks it. */
export function ensureN8n(log: (line: string) => void = () => {}): string {
  const home = cacheDirectory();
  const bin = join(home, 'node_modules', 'n8n', 'bin', 'n8n');
  if (existsSync(join(home, '.complete'))) return bin;

  const partial = `${home}.partial`;
  mkdirSync(partial, { recursive: true });
  writeFileSync(
    join(partial, 'package.json'),
    JSON.stringify({ name: 'creditmeter-n8n-e2e', private: true, dependencies: { n8n: N8N_VERSION }, overrides: { linkedom: '0.18.14' } }, null, 2),
  );
  // The registry's Node 24 package ships no npm: run the machine's npm with the running Node (24)
  // first on PATH, so that sqlite3 is built for it.
  const npm = 'npm';
  const env = {
    ...process.env,
    PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
    npm_config_nodedir: process.env['npm_config_nodedir'] ?? join(dirname(process.execPath), '..'),
  };
  log(`installing n8n ${N8N_VERSION} into ${home} (minutes, once)`);
  execFileSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: partial, env, stdio: 'inherit' });
  execFileSync(npm, ['rebuild', 'sqlite3'], { cwd: partial, env: { ...env, npm_config_build_from_source: 'true' }, stdio: 'inherit' });
  writeFileSync(join(partial, '.complete'), new Date().toISOString());
  rmSync(home, { recursive: true, force: true });
  renameSync(partial, home);
  return bin;
}
