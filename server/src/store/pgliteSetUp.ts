// Makes a new embedded data folder ready in a process of its own, then ends: the cluster (initdb)
// and every migration. Both grow PGlite's WebAssembly memory by hundreds of MiB (a new table costs
// PGlite some 15 MiB of it), which a process never gets back; the server that opens the folder
// afterwards starts at a fraction of that. Run by openPglite, which holds the folder's lock.
import { migrate } from './migrate';
import { openPglite } from './pglite';

async function main(): Promise<void> {
  const db = await openPglite(process.argv[2]!, { lockHeld: true });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
