// Credit notes: issued on an invoice, listed per invoice and per account, one as JSON, as a page, as a PDF (or a ZUGFeRD PDF) and as an XRechnung.
import { type Response, Router } from 'express';
import { reaches } from '../domain/access/ApiKey';
import { DomainFailure, notFound } from '../domain/errors';
import { money } from '../domain/money';
import type { CreditRequest } from '../domain/invoice/CreditNote';
import { creditNoteHtml } from '../documents/invoiceHtml';
import { creditNotePdf } from '../documents/invoicePdf';
import { creditNoteXml, creditNoteZugferd } from '../documents/eInvoiceDocuments';
import type { Context } from '../usecases/Context';
import { createCreditNote, creditNoteView, getCreditNote, listAccountCreditNotes, listInvoiceCreditNotes } from '../usecases/creditNotes';
import { readableInvoice } from './invoiceRoutes';
import { creditNoteBody, documentPdfQuery } from './schemas';
import { keyOf } from './scopes';

export function creditNoteRoutes(context: Context): Router {
  const router = Router();

  /** The credit note, if the caller's key reaches its account; another account's is not found. */
  async function readable(res: Response, id: string) {
    const note = await getCreditNote(context, id);
    if (!reaches(keyOf(res), note.accountId)) throw new DomainFailure(notFound('credit_note', id));
    return note;
  }

  router.post('/invoices/:id/credit-notes', async (req, res) => {
    const body = creditNoteBody.parse(req.body);
    await readableInvoice(context, res, req.params.id);
    const credit: CreditRequest = body.lines
      ? {
          lines: body.lines.map((l) => (l.quantity !== undefined ? { line: l.line, quantity: money(l.quantity) } : { line: l.line, amount: money(l.amount!) })),
        }
      : { amount: money(body.amount!) };
    // Set before the note is written: its audit row, written with it, says what the answer will.
    res.status(201);
    const made = await createCreditNote(context, { invoiceId: req.params.id, credit, reason: body.reason, refund: body.refund, ...(body.reference !== undefined ? { reference: body.reference } : {}) });
    // A resend under the same reference answers the first note.
    res.status(made.duplicate ? 200 : 201).json(made.note);
  });

  router.get('/invoices/:id/credit-notes', async (req, res) => {
    await readableInvoice(context, res, req.params.id);
    res.json(await listInvoiceCreditNotes(context, req.params.id));
  });

  router.get('/accounts/:id/credit-notes', async (req, res) => {
    res.json(await listAccountCreditNotes(context, req.params.id));
  });

  router.get('/credit-notes/:id.pdf', async (req, res) => {
    const { format } = documentPdfQuery.parse(req.query);
    const note = await readable(res, req.params.id);
    const letterhead = (await context.catalogs.latestCatalog()).invoicing.seller;
    const pdf = format === 'zugferd' ? await creditNoteZugferd(note, letterhead) : await creditNotePdf(note, letterhead);
    res.type('application/pdf').attachment(`${note.number}.pdf`).send(pdf);
  });

  // The credit note as an EN 16931 e-invoice (type 381): XRechnung 3.0 in the CII syntax.
  router.get('/credit-notes/:id.xml', async (req, res) => {
    const note = await readable(res, req.params.id);
    res.type('application/xml').attachment(`${note.number}.xml`).send(await creditNoteXml(note));
  });

  router.get('/credit-notes/:id.html', async (req, res) => {
    const note = await readable(res, req.params.id);
    res
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .type('html')
      .send(creditNoteHtml(note, (await context.catalogs.latestCatalog()).invoicing.seller));
  });

  router.get('/credit-notes/:id', async (req, res) => {
    res.json(creditNoteView(await readable(res, req.params.id)));
  });

  return router;
}
