// The text a PDF shows, for tests to read: pdf-parse (pdf.js) decodes each page's text through its
// fonts' ToUnicode maps, so embedded fonts (Identity-H) read as well as standard ones. One string
// per page, in page order; each line of the page on a line of its own.
import { PDFParse } from 'pdf-parse';

export async function pdfPages(pdf: Buffer | Uint8Array): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const { pages } = await parser.getText();
    return pages.map((page) => page.text);
  } finally {
    await parser.destroy();
  }
}
