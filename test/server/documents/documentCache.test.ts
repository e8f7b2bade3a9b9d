// The files made from documents, kept while asked for: by key, least recently asked dropped first,
// bounded by count and by bytes; a file being made is shared, a failure is not kept.
import { DocumentCache, sourcesDigest } from '../../../server/src/documents/documentCache';

describe('the document file cache', () => {
  test('a file asked for again is not made again; the same sources give the same digest, other sources another', async () => {
    const cache = new DocumentCache<string>();
    let made = 0;
    const make = async () => `file ${++made}`;
    expect(await cache.file('inv_1:a', make)).toBe('file 1');
    expect(await cache.file('inv_1:a', make)).toBe('file 1');
    expect(made).toBe(1);
    expect(sourcesDigest({ status: 'open', due: '78.58' })).toBe(sourcesDigest({ status: 'open', due: '78.58' }));
    expect(sourcesDigest({ status: 'paid', due: '0.00' })).not.toBe(sourcesDigest({ status: 'open', due: '78.58' }));
  });

  test('two asking at once share one making', async () => {
    const cache = new DocumentCache<string>();
    let made = 0;
    let finish: (file: string) => void = () => {};
    const make = () => {
      made += 1;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const first = cache.file('k', make);
    const second = cache.file('k', make);
    finish('the file');
    expect(await Promise.all([first, second])).toEqual(['the file', 'the file']);
    expect(made).toBe(1);
  });

  test('past 2 files the least recently asked is dropped', async () => {
    const cache = new DocumentCache<string>({ files: 2, bytes: 1000 });
    const made: string[] = [];
    const make = (key: string) => async () => (made.push(key), key);
    await cache.file('a', make('a'));
    await cache.file('b', make('b'));
    await cache.file('a', make('a'));
    await cache.file('c', make('c'));
    expect(cache.size).toBe(2);
    await cache.file('a', make('a'));
    await cache.file('b', make('b'));
    expect(made).toEqual(['a', 'b', 'c', 'b']);
  });

  test('past 10 bytes the oldest files are dropped', async () => {
    const cache = new DocumentCache<Uint8Array>({ files: 100, bytes: 10 });
    await cache.file('a', async () => new Uint8Array(6));
    await cache.file('b', async () => new Uint8Array(6));
    expect(cache.size).toBe(1);
    let made = 0;
    await cache.file('b', async () => (made++, new Uint8Array(6)));
    expect(made).toBe(0);
  });

  test('a failure is not kept: the next ask makes the file again', async () => {
    const cache = new DocumentCache<string>();
    await expect(cache.file('k', async () => Promise.reject(new Error('library refused')))).rejects.toThrow('library refused');
    expect(cache.size).toBe(0);
    expect(await cache.file('k', async () => 'made')).toBe('made');
  });
});
