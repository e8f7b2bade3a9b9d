// How the server's JavaScript heap is bounded: V8 otherwise lets a busy server's heap grow to
// hundreds of MiB of garbage it collects late and never gives back (372 MiB after 60,000 events,
// with 36 MiB live). A young generation of 8 MiB and an old one of at most 256 MiB (seven times what
// the server keeps live under load) held it at 156 MiB at the same speed. `npm start` (server
// package.json's `serve`) passes the same flags; the bench starts its servers with these.
export const HEAP_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'] as const;

/**
 * The embedded store's thread (pgliteWorker) has a heap of its own, which those flags do not reach.
 * Unbounded, its young generation grew to about 100 MiB while 1,000-event batches over 1,000
 * accounts passed through it, with 16 to 60 MiB live; young 48 MiB (semi-spaces of 16) held the
 * whole heap near 50 MiB at the same speed, where 24 cost a tenth more CPU per batch. The old
 * generation's ceiling is a guard, some twenty times what the thread keeps live.
 */
export const STORE_THREAD_HEAP = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 512 } as const;
