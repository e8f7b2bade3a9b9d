// An invoice or a credit note as a page a customer can read (and print): plain HTML with its own styles.
import type { CreditNoteRecord } from '../store/creditNotes';
import type { InvoiceRecord } from '../store/invoices';
import { creditNoteDocument, type DocumentView, invoiceDocument, type Letterhead } from './documentView';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function party(title: string, name: string, details: string[]): string {
  const lines = [name, ...details];
  return `<div class="party"><h2>${title}</h2>${lines.map((l, i) => (i === 0 ? `<strong>${escape(l)}</strong>` : `<div>${escape(l)}</div>`)).join('')}</div>`;
}

export function invoiceHtml(invoice: InvoiceRecord, letterhead: Letterhead = {}): string {
  return documentHtml(invoiceDocument(invoice, letterhead));
}

export function creditNoteHtml(note: CreditNoteRecord, letterhead: Letterhead = {}): string {
  return documentHtml(creditNoteDocument(note, letterhead));
}

/** The logo above the title; its data URL is the catalog's, checked to be a PNG or JPEG as it loaded (the page's policy allows data: images only). */
const logoHtml = (view: DocumentView) => (view.logo ? `<img class="logo" src="${escape(view.logo)}" alt="${escape(view.seller.name)}">` : '');

function documentHtml(view: DocumentView): string {
  const status = view.status ? `\n  <div><span class="status ${view.status.tone}">${escape(view.status.text)}</span></div>` : '';
  return `<!doctype html>
<html lang="${escape(view.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(view.title)} ${escape(view.number)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;max-width:820px;margin:32px auto;padding:0 16px;line-height:1.45}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;flex-wrap:wrap}
h1{margin:0;font-size:1.6rem}h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#64748b;margin:0 0 4px}
.meta{text-align:right}.meta div{color:#334155}.status{display:inline-block;padding:2px 10px;border-radius:999px;background:#e2e8f0;font-size:.85rem;font-weight:600}
.status.paid{background:#dcfce7;color:#166534}.status.draft{background:#fef3c7;color:#92400e}.logo{display:block;max-width:180px;max-height:64px;margin-bottom:12px}.status.failed,.status.void{background:#fee2e2;color:#991b1b}
.parties{display:grid;grid-template-columns:1fr 1fr;gap:24px;margin:28px 0}
table{width:100%;border-collapse:collapse;margin-top:8px}th,td{padding:8px 6px;border-bottom:1px solid #e2e8f0;text-align:left;vertical-align:top}
th{font-size:.8rem;color:#64748b;text-transform:uppercase}td:nth-child(3){white-space:nowrap}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.totals{margin-left:auto;width:min(100%,360px);margin-top:16px}.totals td{border:0;padding:4px 6px}.totals tr.gross td{font-weight:700;border-top:2px solid #0f172a}
.notes{margin-top:24px;color:#475569;font-size:.9rem}.payment{margin-top:20px;font-weight:600}
footer{margin-top:32px;padding-top:12px;border-top:1px solid #e2e8f0;color:#475569;font-size:.8rem}.failure{background:#fef2f2;border:1px solid #fecaca;border-radius:8px;padding:8px 12px;margin-top:16px}
@media (max-width:560px){.parties{grid-template-columns:1fr}.meta{text-align:left}}
</style></head>
<body>
<header>
  <div>${logoHtml(view)}<h1>${escape(view.title)}</h1><div>${escape(view.number)}</div></div>
  <div class="meta">${view.facts.map((fact) => `<div>${escape(fact)}</div>`).join('')}${status}</div>
</header>
<div class="parties">${party(view.sellerTitle, view.seller.name, view.sellerLines)}${party(view.buyerTitle, view.buyer.name, view.buyerLines)}</div>
<table>
<thead><tr><th>${escape(view.columns.description)}</th><th class="num">${escape(view.columns.quantity)}</th><th>${escape(view.columns.unit)}</th><th class="num">${escape(view.columns.unitPrice)}</th><th class="num">${escape(view.columns.net)}</th></tr></thead>
<tbody>
${view.lines
  .map((l) => `<tr><td>${escape(l.description)}</td><td class="num">${escape(l.quantity)}</td><td>${escape(l.unit)}</td><td class="num">${escape(l.unitPrice)}</td><td class="num">${escape(l.net)}</td></tr>`)
  .join('\n')}
</tbody></table>
<table class="totals"><tbody>
${view.totals.map((t) => `<tr><td>${escape(t.label)}</td><td class="num">${escape(t.value)}</td></tr>`).join('\n')}
<tr class="gross"><td>${escape(view.totalLabel)}</td><td class="num">${escape(view.total)}</td></tr>
</tbody></table>
${view.alerts.map((alert) => `<div class="failure">${escape(alert)}</div>`).join('\n')}
${view.action ? `<p class="payment">${escape(view.action)}</p>` : ''}
<div class="notes">${view.notes.map((n) => `<p>${escape(n)}</p>`).join('')}</div>
<footer>${view.footer.map((line) => `<div>${escape(line)}</div>`).join('')}</footer>
</body></html>`;
}
