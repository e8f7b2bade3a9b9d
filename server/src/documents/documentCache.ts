// Files made from documents, kept while they are asked for again: an issued invoice's e-invoice does
// not change, and making one costs tens of milliseconds of the server's thread. The key is the
// document's id and a digest of everything the file is made from, so a payment, a void or a credit
// note (a new status, a new amount due) makes a new file, and the old one ages out.
import { createHash } from 'node:crypto';

/** At most this many files: the documents of a busy day's dashboards and downloads. */
export const MAX_CACHED_FILES = 100;
/** And at most this many bytes of them: 100 ZUGFeRD PDFs of a few pages with their fonts stay well under it. */
export const MAX_CACHED_BYTES = 64 * 1024 * 1024;

/** The digest of a file's sources, as JSON: the same sources give the same key. */
export function sourcesDigest(sources: unknown): string {
  return createHash('sha256').update(JSON.stringify(sources)).digest('base64url');
}

interface Entry<T> {
  made: Promise<T>;
  bytes: number;
}

/** The files by key, least recently asked first; a file being made is shared by all who ask for it meanwhile, a failure is not kept. */
export class DocumentCache<T extends string | Uint8Array> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(private readonly limits: { files: number; bytes: number } = { files: MAX_CACHED_FILES, bytes: MAX_CACHED_BYTES }) {}

  get size(): number {
    return this.entries.size;
  }

  file(key: string, make: () => Promise<T>): Promise<T> {
    const kept = this.entries.get(key);
    if (kept) {
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept.made;
    }
    const entry: Entry<T> = { made: make(), bytes: 0 };
    this.entries.set(key, entry);
    entry.made.then(
      (file) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = typeof file === 'string' ? Buffer.byteLength(file) : file.byteLength;
        this.bytes += entry.bytes;
        this.trim();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.trim();
    return entry.made;
  }

  private trim(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limits.files && this.bytes <= this.limits.bytes) return;
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
  }
}
