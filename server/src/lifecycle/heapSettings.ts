// How the server process's memory is bounded: its JavaScript heaps and glibc's malloc arenas.

/**
 * V8 otherwise lets a busy server's heap grow to hundreds of MiB of garbage it collects late and
 * never gives back (372 MiB after 60,000 events, with 36 MiB live). A young generation of 8 MiB and
 * an old one of at most 256 MiB (seven times what the server keeps live under load) held it at
 * 156 MiB at the same speed. `npm start` (server package.json's `serve`) passes the same flags;
 * the bench starts its servers with these.
 */
export const HEAP_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'] as const;

/**
 * Memory outside the heaps: glibc's malloc gives each thread that allocates an arena of its own (up
 * to eight per core), and memory freed in one stays with it. PGlite's thread and V8's compiler
 * threads, which compile PGlite's WebAssembly as it runs, leave tens of MiB behind that way; with
 * two arenas an embedded server took 215 MiB after start against 265 to 271 with glibc's default.
 * Read by glibc when the process starts, so it is set where the process is started: `npm start`
 * (the server package's `serve`) and the bench's servers, unless already set.
 */
export const MALLOC_ARENA_MAX = '2';

/**
 * The embedded store's thread (pgliteWorker) has a heap of its own. Where the process has those
 * flags, V8 applies them to every heap, this thread's too, and they take precedence over these
 * limits; in a process without them (the bench's in-process server, the tests, a server embedded
 * in another program) the thread's heap was unbounded: its young generation grew to about 100 MiB
 * while 1,000-event batches over 1,000 accounts passed through it, with 16 to 60 MiB live. Young
 * 48 MiB (semi-spaces of 16) held the whole heap near 50 MiB at the same speed, where 24 cost a
 * tenth more CPU per batch. The old generation's ceiling is a guard, some twenty times what the
 * thread keeps live. `creditmeter_store_thread_heap_bytes` shows the limit it got.
 */
export const STORE_THREAD_HEAP = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 512 } as const;
