// A Chromium for the browser tests, found or installed on first use so that nothing a test needs is
// installed by hand: CHROMIUM_PATH when set, Debian's, or Playwright's own build. Where none is
// there, Debian's package where apt-get can run as root (about 15 seconds), else Playwright's
// download, as on a laptop with only Node.js and npm.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const DEBIAN = '/usr/bin/chromium';

export function ensureChromium(log: (line: string) => void = () => {}): string {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH names ${chosen}, which does not exist`);
    return chosen;
  }
  const found = installed();
  if (found) return found;
  const attempts: string[] = [];
  if (aptCanRun()) {
    log('installing Debian chromium for the browser tests (once)');
    try {
      asRoot(['apt-get', 'update', '-q']);
      asRoot(['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium']);
    } catch (error) {
      attempts.push(`apt-get install chromium: ${(error as Error).message}`);
    }
    if (existsSync(DEBIAN)) return DEBIAN;
  }
  log("downloading Playwright's chromium for the browser tests (once)");
  try {
    execFileSync(process.execPath, [join(dirname(require.resolve('playwright-core/package.json')), 'cli.js'), 'install', 'chromium'], { stdio: 'inherit' });
  } catch (error) {
    attempts.push(`playwright-core install chromium: ${(error as Error).message}`);
  }
  const downloaded = installed();
  if (downloaded) return downloaded;
  throw new Error(
    `No Chromium for the browser tests: none at ${DEBIAN} or ${chromium.executablePath()}, and none could be installed (${attempts.join('; ')}). ` +
      'Install one, or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

function installed(): string | undefined {
  return [DEBIAN, chromium.executablePath()].find((path) => existsSync(path));
}

const root = process.getuid?.() === 0;

function aptCanRun(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('sh', ['-c', root ? 'command -v apt-get' : 'command -v apt-get && sudo -n true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function asRoot(args: string[]): void {
  const [command, ...rest] = root ? args : ['sudo', '-n', ...args];
  execFileSync(command!, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
