// The test command's jest run. Jest runs the files in a worker process of its own (package.json's
// jest settings), so that a crash of that process fails one file instead of ending the run; a file
// whose process a signal killed (a segmentation fault in V8's garbage collector under jest, as in
// nodejs/node#62393, seen once in about twenty runs of this suite) runs once more, on its own, and
// the run is green only if it passes then. Any other failure stands as it is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const folder = mkdtempSync(join(tmpdir(), 'creditmeter-jest-'));
const results = join(folder, 'results.json');

const run = (args) => spawnSync(process.execPath, [jest, '--ci', ...args], { stdio: 'inherit' }).status ?? 1;

/** Files whose worker process was killed by a signal, when those are all the run's failures; else undefined. */
function crashedOnly() {
  let report;
  try {
    report = JSON.parse(readFileSync(results, 'utf8'));
  } catch {
    return undefined; // jest ended before it wrote results (a failed global set-up): nothing to retry
  }
  const failed = report.testResults.filter((file) => file.status === 'failed');
  if (failed.length === 0) return undefined;
  const crashed = failed.filter((file) => /jest worker process \(pid=\d+\) was terminated by another process: signal=SIG/.test(file.message));
  return crashed.length === failed.length ? crashed.map((file) => file.name) : undefined;
}

try {
  let status = run([...process.argv.slice(2), '--json', `--outputFile=${results}`]);
  const crashed = status === 0 ? undefined : crashedOnly();
  if (crashed) {
    const names = crashed.map((name) => relative(process.cwd(), name));
    process.stderr.write(`\nThe process running ${names.join(', ')} was killed by a signal (see above); running ${crashed.length === 1 ? 'it' : 'them'} once more.\n\n`);
    status = run(['--runTestsByPath', ...crashed]);
  }
  process.exitCode = status;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
