// The text a PDF made by pdfkit shows, for tests to read: each content stream inflated, the hex
// strings of its TJ operators decoded (pdfkit writes the standard fonts' text in WinAnsi, which
// Latin-1 reads alike for letters, digits and punctuation). One string per page, in page order.
import { inflateSync } from 'node:zlib';

export function pdfPages(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  for (const stream of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(stream[1]!, 'latin1')).toString('latin1');
    } catch {
      continue; // not a deflated stream (an image, say)
    }
    if (!/\bTJ\b/.test(content)) continue;
    const runs = [...content.matchAll(/\[(.*?)\]\s*TJ/g)].map((run) =>
      [...run[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')).join(''),
    );
    pages.push(runs.join('\n'));
  }
  return pages;
}
