// How the server's JavaScript heap is bounded: V8 otherwise lets a busy server's heap grow to
// hundreds of MiB of garbage it collects late and never gives back (372 MiB after 60,000 events,
// with 36 MiB live). A young generation of 8 MiB and an old one of at most 256 MiB (seven times what
// the server keeps live under load) held it at 156 MiB at the same speed. `npm start` (server
// package.json's `serve`) passes the same flags; the bench starts its servers with these.
export const HEAP_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'] as const;
