// Invoices: an account's list and the one its cycle will issue next, one invoice as JSON, as a page, as a PDF (or a ZUGFeRD PDF) and as
// an XRechnung, payment outcomes, voids and issuing a held draft.
import { type Response, Router } from 'express';
import type { InvoiceRecord } from '../store/invoices';
import { reaches } from '../domain/access/ApiKey';
import { DomainFailure, notFound } from '../domain/errors';
import { keyOf } from './scopes';
import { invoiceHtml } from '../documents/invoiceHtml';
import { invoicePdf } from '../documents/invoicePdf';
import { invoiceXml, invoiceZugferd } from '../documents/eInvoiceDocuments';
import type { Context } from '../usecases/Context';
import { getInvoice, invoiceView, listInvoices, recordPayment } from '../usecases/invoices';
import { documentPdfQuery, paymentBody, voidInvoiceBody } from './schemas';
import { readNextBill } from '../usecases/nextBill';
import { voidInvoice } from '../usecases/voidInvoice';
import { issueInvoiceDraft } from '../usecases/issueDrafts';

/** The invoice, if the caller's key reaches its account; another account's is not found. */
export async function readableInvoice(context: Context, res: Response, id: string): Promise<InvoiceRecord> {
  const invoice = await getInvoice(context, id);
  if (!reaches(keyOf(res), invoice.accountId)) throw new DomainFailure(notFound('invoice', id));
  return invoice;
}

export function invoiceRoutes(context: Context): Router {
  const router = Router();
  const readable = (res: Response, id: string) => readableInvoice(context, res, id);

  router.get('/accounts/:id/invoices', async (req, res) => {
    res.json(await listInvoices(context, req.params.id));
  });

  // What the current cycle's closing would invoice if no more usage came.
  router.get('/accounts/:id/upcoming-invoice', async (req, res) => {
    res.json(await readNextBill(context, req.params.id));
  });

  router.get('/invoices/:id.pdf', async (req, res) => {
    const { format } = documentPdfQuery.parse(req.query);
    const invoice = await readable(res, req.params.id);
    const letterhead = (await context.catalogs.latestCatalog()).invoicing.seller;
    const pdf = format === 'zugferd' ? await invoiceZugferd(invoice, letterhead) : await invoicePdf(invoice, letterhead);
    res.type('application/pdf').attachment(`${invoice.number ?? invoice.id}.pdf`).send(pdf);
  });

  // The invoice as an EN 16931 e-invoice: XRechnung 3.0 in the CII syntax.
  router.get('/invoices/:id.xml', async (req, res) => {
    const invoice = await readable(res, req.params.id);
    res.type('application/xml').attachment(`${invoice.number ?? invoice.id}.xml`).send(await invoiceXml(invoice));
  });

  router.get('/invoices/:id.html', async (req, res) => {
    const invoice = await readable(res, req.params.id);
    res
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .type('html')
      .send(invoiceHtml(invoice, (await context.catalogs.latestCatalog()).invoicing.seller));
  });

  router.get('/invoices/:id', async (req, res) => {
    res.json(invoiceView(await readable(res, req.params.id)));
  });

  router.post('/invoices/:id/void', async (req, res) => {
    const { reason } = voidInvoiceBody.parse(req.body);
    await readable(res, req.params.id);
    res.json(await voidInvoice(context, { invoiceId: req.params.id, reason }));
  });

  router.post('/invoices/:id/issue', async (req, res) => {
    await readable(res, req.params.id);
    res.json(await issueInvoiceDraft(context, req.params.id));
  });

  router.post('/invoices/:id/payment', async (req, res) => {
    const body = paymentBody.parse(req.body);
    await readable(res, req.params.id);
    res.json(await recordPayment(context, { invoiceId: req.params.id, outcome: body.status === 'paid' ? { status: 'paid' } : { status: 'failed', reason: body.reason }, reference: body.reference }));
  });

  return router;
}
