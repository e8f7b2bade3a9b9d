// The invoice as a page a customer can read (and print): plain HTML with its own styles.
import type { InvoiceRecord, Party } from '../store/invoices';
import { grouped, headerFacts, money, paymentText, sellerFooter, STATUS_TEXT, supplyText, unitPrice } from './invoiceText';
import { decimalForPeople } from '../domain/display/forPeople';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function party(title: string, p: Party): string {
  const lines = [p.name, ...p.address, ...(p.country ? [p.country] : []), ...(p.vatId ? [`VAT ID ${p.vatId}`] : []), ...(p.email ? [p.email] : [])];
  return `<div class="party"><h2>${title}</h2>${lines.map((l, i) => (i === 0 ? `<strong>${escape(l)}</strong>` : `<div>${escape(l)}</div>`)).join('')}</div>`;
}

export function invoiceHtml(invoice: InvoiceRecord): string {
  const c = invoice.currency;
  const failures = invoice.payments.filter((p) => p.status === 'failed');
  const payment = paymentText(invoice);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invoice ${escape(invoice.number)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;max-width:820px;margin:32px auto;padding:0 16px;line-height:1.45}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;flex-wrap:wrap}
h1{margin:0;font-size:1.6rem}h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#64748b;margin:0 0 4px}
.meta{text-align:right}.meta div{color:#334155}.status{display:inline-block;padding:2px 10px;border-radius:999px;background:#e2e8f0;font-size:.85rem;font-weight:600}
.status.paid{background:#dcfce7;color:#166534}.status.failed{background:#fee2e2;color:#991b1b}
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
  <div><h1>Invoice</h1><div>${escape(invoice.number)}</div></div>
  <div class="meta">${headerFacts(invoice).map((fact) => `<div>${escape(fact)}</div>`).join('')}<div>${escape(supplyText(invoice))}</div>
  <div><span class="status ${invoice.status}">${STATUS_TEXT[invoice.status]}</span></div></div>
</header>
<div class="parties">${party('From', invoice.seller)}${party('Bill to', invoice.buyer)}</div>
<table>
<thead><tr><th>Description</th><th class="num">Quantity</th><th>Unit</th><th class="num">Unit price</th><th class="num">Net</th></tr></thead>
<tbody>
${invoice.lines
  .map((l) => `<tr><td>${escape(l.description)}</td><td class="num">${grouped(decimalForPeople(l.quantity))}</td><td>${escape(l.unit)}</td><td class="num">${unitPrice(l.unitPrice, c)}</td><td class="num">${money(l.net, c)}</td></tr>`)
  .join('\n')}
</tbody></table>
<table class="totals"><tbody>
<tr><td>Net</td><td class="num">${money(invoice.net, c)}</td></tr>
${invoice.taxes.map((t) => `<tr><td>VAT ${grouped(t.rate)}% on ${money(t.net, c)}</td><td class="num">${money(t.tax, c)}</td></tr>`).join('\n')}
<tr class="gross"><td>Total</td><td class="num">${money(invoice.gross, c)}</td></tr>
</tbody></table>
${failures.map((f) => `<div class="failure">Payment failed on ${escape(f.at.slice(0, 10))}: ${escape((f.reason ?? '').replaceAll('_', ' '))}</div>`).join('\n')}
${payment ? `<p class="payment">${escape(payment)}</p>` : ''}
<div class="notes">${[...invoice.notes, 'Prices are net. Each line is rounded once, half up, to the cent.'].map((n) => `<p>${escape(n)}</p>`).join('')}</div>
<footer>${sellerFooter(invoice.seller).map((line) => `<div>${escape(line)}</div>`).join('')}</footer>
</body></html>`;
}
