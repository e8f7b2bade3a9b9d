// The images a PDF's pages draw, for tests to count: each page's image XObjects with their size in
// pixels, read with pdf-lib (no system tool needed).
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFStream } from 'pdf-lib';

export interface PdfImage {
  /** 1-based. */
  page: number;
  width: number;
  height: number;
}

export async function pdfImages(pdf: Uint8Array): Promise<PdfImage[]> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  return document.getPages().flatMap((page, index) => {
    const objects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    return (objects?.values() ?? []).flatMap((ref) => {
      const object = document.context.lookup(ref);
      if (!(object instanceof PDFStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return [];
      const size = (key: string) => object.dict.lookup(PDFName.of(key), PDFNumber).asNumber();
      return [{ page: index + 1, width: size('Width'), height: size('Height') }];
    });
  });
}
