// The PostgreSQL settings the embedded store runs with. PGlite's defaults are a server's (128 MB of
// shared buffers, 64 MB for maintenance) and its WebAssembly memory, once grown, is never given
// back: on a small machine they were most of the process. The data's files stay in the operating
// system's page cache beside it, so small buffers cost little (see `npm run bench`).
export const PGLITE_SETTINGS = ['shared_buffers=16MB', 'maintenance_work_mem=16MB', 'work_mem=4MB', 'temp_buffers=2MB', 'wal_buffers=1MB'];
