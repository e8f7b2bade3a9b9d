// An invoice or a credit note as a PDF (pdfkit, Arimo embedded): the same content as the HTML page,
// with the seller's details and "Page x of y" at the foot of every page.
import type { CreditNoteRecord } from '../store/creditNotes';
import type { InvoiceRecord } from '../store/invoices';
import { readLogo } from '../domain/catalog/logo';
import { creditNoteDocument, type DocumentView, invoiceDocument, type Letterhead } from './documentView';

const INK = '#0f172a';
const MUTED = '#64748b';
const LINE = '#e2e8f0';
const MARGIN = 50;
/** Column x positions and widths on an A4 page (595 points wide). */
const COLUMNS = { description: [MARGIN, 215], quantity: [270, 55], unit: [330, 60], unitPrice: [395, 75], net: [475, 70] } as const;

/**
 * pdfkit, loaded with the first PDF asked for: it weighs some 30 MiB of memory, which a server that
 * is never asked for a PDF should not carry.
 */
let pdfkit: typeof import('pdfkit') | undefined;
const loadPdfkit = async () => (pdfkit ??= (await import('pdfkit')).default);

export function invoicePdf(invoice: InvoiceRecord, letterhead: Letterhead = {}): Promise<Buffer> {
  return documentPdf(invoiceDocument(invoice, letterhead));
}

export function creditNotePdf(note: CreditNoteRecord, letterhead: Letterhead = {}): Promise<Buffer> {
  return documentPdf(creditNoteDocument(note, letterhead));
}

/** The box the logo is fitted into, top left, with the title beside it (points). */
const LOGO_BOX: [number, number] = [90, 45];

/**
 * The fonts, embedded (subset) in every PDF: Arimo, metric-compatible with Arial/Helvetica, so the
 * layout stays; it prints €, ä, ö, ü, ß and every Latin letter, and PDF/A (the ZUGFeRD PDF) needs
 * every font embedded, which pdfkit's standard 14 fonts never are.
 */
const FONTS = {
  regular: require.resolve('@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf'),
} as const;
const REGULAR = 'Arimo';
const BOLD = 'Arimo-Bold';

const TONE: Record<InvoiceRecord['status'], string> = { draft: '#92400e', open: INK, paid: '#166534', failed: '#991b1b', void: '#991b1b' };

async function documentPdf(view: DocumentView): Promise<Buffer> {
  const PDFDocument = await loadPdfkit();
  // Pages are kept until the end, when each gets its footer and its "Page x of y".
  // The default font is Arimo: pdfkit would otherwise load Helvetica, and write it into the file, unused.
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    font: FONTS.regular,
    lang: view.locale,
    info: { Title: `${view.title} ${view.number}`, Author: view.seller.name },
  });
  doc.registerFont(REGULAR, FONTS.regular);
  doc.registerFont(BOLD, FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  // The logo, where the catalog has one, top left; the title moves beside it.
  const logo = view.logo ? readLogo(view.logo) : undefined;
  const titleX = logo && 'bytes' in logo ? MARGIN + LOGO_BOX[0] + 12 : MARGIN;
  if (logo && 'bytes' in logo) doc.image(logo.bytes, MARGIN, MARGIN, { fit: LOGO_BOX });
  doc.fillColor(INK).font(BOLD).fontSize(22).text(view.title, titleX, MARGIN);
  doc.font(REGULAR).fontSize(11).text(view.number);
  const metaTop = MARGIN;
  doc.fontSize(10).fillColor(MUTED);
  view.facts.forEach((fact, i) => doc.text(fact, 300, i === 0 ? metaTop : undefined, { width: 245, align: 'right' }));
  if (view.status) doc.fillColor(TONE[view.status.tone]).font(BOLD).text(view.status.text, { width: 245, align: 'right' });

  const partiesTop = 130;
  const parties = [
    [view.sellerTitle, view.seller, view.sellerLines, MARGIN],
    [view.buyerTitle, view.buyer, view.buyerLines, 300],
  ] as const;
  for (const [heading, p, lines, x] of parties) {
    const title = heading.toLocaleUpperCase(view.locale);
    doc.font(BOLD).fontSize(8).fillColor(MUTED).text(title, x, partiesTop);
    doc.font(BOLD).fontSize(10).fillColor(INK).text(p.name, x, partiesTop + 14, { width: 245 });
    doc.font(REGULAR).fontSize(10);
    for (const line of lines) doc.text(line, { width: 245 });
  }

  let y = 250;
  const cell = (text: string, { column, top, align = 'left' }: { column: keyof typeof COLUMNS; top: number; align?: 'left' | 'right' }) =>
    doc.text(text, COLUMNS[column][0], top, { width: COLUMNS[column][1], align });
  doc.font(BOLD).fontSize(8).fillColor(MUTED);
  const heading = (column: keyof typeof COLUMNS) => view.columns[column].toLocaleUpperCase(view.locale);
  cell(heading('description'), { column: 'description', top: y });
  cell(heading('quantity'), { column: 'quantity', top: y, align: 'right' });
  cell(heading('unit'), { column: 'unit', top: y });
  cell(heading('unitPrice'), { column: 'unitPrice', top: y, align: 'right' });
  cell(heading('net'), { column: 'net', top: y, align: 'right' });
  y += 14;
  doc.moveTo(MARGIN, y).lineTo(545, y).strokeColor(LINE).stroke();
  y += 6;
  doc.font(REGULAR).fontSize(9.5).fillColor(INK);
  for (const line of view.lines) {
    const height = doc.heightOfString(line.description, { width: COLUMNS.description[1] });
    if (y + height > 760) {
      doc.addPage();
      y = MARGIN;
    }
    cell(line.description, { column: 'description', top: y });
    cell(line.quantity, { column: 'quantity', top: y, align: 'right' });
    cell(line.unit, { column: 'unit', top: y });
    cell(line.unitPrice, { column: 'unitPrice', top: y, align: 'right' });
    cell(line.net, { column: 'net', top: y, align: 'right' });
    y += Math.max(height, 12) + 6;
    doc.moveTo(MARGIN, y - 3).lineTo(545, y - 3).strokeColor(LINE).stroke();
  }

  y += 10;
  const total = (label: string, value: string, bold = false) => {
    doc.font(bold ? BOLD : REGULAR).fontSize(bold ? 11 : 10).fillColor(INK);
    doc.text(label, 330, y, { width: 135 });
    doc.text(value, 465, y, { width: 80, align: 'right' });
    y += bold ? 18 : 15;
  };
  for (const t of view.totals) total(t.label, t.value);
  doc.moveTo(330, y).lineTo(545, y).strokeColor(INK).stroke();
  y += 5;
  total(view.totalLabel, view.total, true);

  y += 16;
  doc.font(REGULAR).fontSize(9).fillColor(MUTED);
  for (const alert of view.alerts) {
    doc.fillColor('#991b1b').text(alert, MARGIN, y, { width: 495 });
    y = doc.y + 4;
  }
  if (view.action) {
    doc.font(BOLD).fontSize(9.5).fillColor(INK).text(view.action, MARGIN, y, { width: 495 });
    y = doc.y + 8;
  }
  doc.font(REGULAR).fontSize(9).fillColor(MUTED);
  for (const note of view.notes) {
    doc.text(note, MARGIN, y, { width: 495 });
    y = doc.y + 4;
  }
  footers(doc, view);
  doc.end();
  return done;
}

/** Below the bottom margin of every page: the seller's details and the page's number among all. */
function footers(doc: PDFKit.PDFDocument, { footer: lines, page }: Pick<DocumentView, 'footer' | 'page'>): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    // Text below the bottom margin would start a new page: the footer writes into the margin.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    let y = doc.page.height - bottom + 8;
    doc.moveTo(MARGIN, y - 4).lineTo(545, y - 4).strokeColor(LINE).stroke();
    doc.font(REGULAR).fontSize(7.5).fillColor(MUTED);
    for (const line of lines) {
      doc.text(line, MARGIN, y, { width: 420, lineBreak: false, ellipsis: true });
      y += 9.5;
    }
    doc.text(page(i - start + 1, count), 470, doc.page.height - bottom + 8, { width: 75, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
