// The customer dashboard: the page and its assets, its data and live stream (read with a signed
// link or the operator's key), the customer's top-up requests, and the API route where the operator
// mints links.
import { dirname, join } from 'node:path';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { invoicePdf } from '../documents/invoicePdf';
import { invoiceXml, invoiceZugferd } from '../documents/eInvoiceDocuments';
import { readInvoice } from '../store/invoices';
import { readAccount } from '../store/accounts';
import type { AccountChangeFeed } from '../usecases/AccountChangeFeed';
import type { Context } from '../usecases/Context';
import { createDashboardLink, dashboardSummary } from '../usecases/dashboard';
import { dashboardAccess, refuse, requireDashboardAccess } from './auth';
import { checkInvoiceTicket } from '../domain/access/DashboardLink';
import { invoiceHtml } from '../documents/invoiceHtml';
import { reaches } from '../domain/access/ApiKey';
import type { ApiKeyRing } from '../usecases/ApiKeyRing';
import { dashboardLinkBody, dashboardQuery, documentPdfQuery, invoicePageQuery, topUpRequestBody } from './schemas';
import { requestTopUp } from '../usecases/topUpRequests';
import { money } from '../domain/money';
import { requestOrigin } from './requestOrigin';

/** The page's own files (HTML, script, styles), next to the compiled and the source tree alike. */
const PAGE_DIRECTORY = join(__dirname, '..', '..', 'dashboard');
const CHART_JS = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
/** Changes arriving within this window reach the page as one (a batch of 1,000 events is one read). */
const CHANGE_DEBOUNCE_MS = 250;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** setTimeout's longest delay; a link expiring later than that is checked again on reconnect. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** The invoice page's own policy: its styles are inline, and it runs no script. */
const INVOICE_PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export function dashboardRoutes(options: { context: Context; keys: ApiKeyRing; linkSecret: Buffer; feed: AccountChangeFeed; limiter: RequestHandler }): Router {
  const { context, feed } = options;
  const router = Router();
  router.get('/dashboard', (_req, res) => {
    res.set(PAGE_HEADERS).sendFile(join(PAGE_DIRECTORY, 'index.html'));
  });
  router.get('/dashboard/assets/chart.umd.min.js', (_req, res) => {
    res.set(PAGE_HEADERS).sendFile(CHART_JS, { maxAge: '1d' });
  });
  router.use('/dashboard/assets', express.static(PAGE_DIRECTORY, { index: false, setHeaders: (res) => res.set(PAGE_HEADERS) }));

  // An invoice's page, opened from the dashboard in a tab of its own: the ticket in its address
  // (minted with the summary) opens this one invoice, of that one account, for minutes.
  router.get('/dashboard/invoices/:id.html', async (req, res) => {
    const { ticket } = invoicePageQuery.parse(req.query);
    const checked = checkInvoiceTicket(ticket, options.linkSecret, context.clock.now());
    if (!checked.ok) {
      return checked.reason === 'expired'
        ? refuse(res, 'link_expired', 'This invoice link has expired; open the invoice again from the dashboard.')
        : refuse(res, 'unauthorized', 'This invoice link is not valid; open the invoice from the dashboard.');
    }
    const invoice = checked.ticket.invoice === req.params.id ? await readInvoice(context.db, req.params.id) : undefined;
    if (!invoice || invoice.accountId !== checked.ticket.account) throw new DomainFailure(notFound('invoice', req.params.id));
    res
      .set({ ...INVOICE_PAGE_HEADERS, 'Cache-Control': 'private, no-store' })
      .type('html')
      .send(invoiceHtml(invoice, (await context.catalogs.latestCatalog()).invoicing.seller));
  });

  const api = Router();
  api.use(requireDashboardAccess({ keys: options.keys, linkSecret: options.linkSecret, clock: context.clock }), options.limiter);

  /** The account the caller asks for, if its credentials may read it. */
  async function accountOf(req: Request, res: Response, query: unknown = req.query): Promise<string> {
    const { account } = dashboardQuery.parse(query);
    const access = dashboardAccess(res);
    if (access.kind === 'link' && account !== undefined && account !== access.account) {
      throw new DomainFailure({ code: 'account_not_permitted', field: 'account', message: `This dashboard link reads account '${access.account}' only.` });
    }
    const id = access.kind === 'link' ? access.account : account;
    if (id === undefined) throw new DomainFailure(validationFailed('account', 'is required with the API key: name the account to show'));
    // A key limited to accounts reads those alone: another is as if it did not exist.
    if (access.kind === 'key' && !reaches(access.key, id)) throw new DomainFailure(notFound('account', id));
    if (!(await readAccount(context.db, id))) throw new DomainFailure(notFound('account', id));
    return id;
  }

  api.get('/summary', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await dashboardSummary(context, await accountOf(req, res), options.linkSecret));
  });

  // The customer's "Top up": the operator's flow answers with a checkout link, which the page then offers.
  api.post('/topup-requests', async (req, res) => {
    const accountId = await accountOf(req, res);
    const body = topUpRequestBody.parse(req.body ?? {});
    const result = await requestTopUp(context, accountId, money(body.amount));
    res.status(result.created ? 201 : 200).json(result.request);
  });

  /** The account's invoice; another account's is as absent as a missing one: its existence is not the caller's to learn. */
  async function invoiceOf(req: Request<{ id: string }>, res: Response, query: unknown = req.query) {
    const accountId = await accountOf(req, res, query);
    const invoice = await readInvoice(context.db, req.params.id);
    if (!invoice || invoice.accountId !== accountId) throw new DomainFailure(notFound('invoice', req.params.id));
    return invoice;
  }

  // The PDF, or (format=zugferd) its ZUGFeRD PDF, as the API answers them.
  api.get('/invoices/:id.pdf', async (req, res) => {
    const { format, ...query } = req.query;
    const asked = documentPdfQuery.parse(format === undefined ? {} : { format });
    const invoice = await invoiceOf(req, res, query);
    const letterhead = (await context.catalogs.latestCatalog()).invoicing.seller;
    const pdf = asked.format === 'zugferd' ? await invoiceZugferd(invoice, letterhead) : await invoicePdf(invoice, letterhead);
    res.type('application/pdf').attachment(`${invoice.number ?? invoice.id}.pdf`).send(pdf);
  });

  api.get('/invoices/:id.xml', async (req, res) => {
    const invoice = await invoiceOf(req, res);
    res.type('application/xml').attachment(`${invoice.number ?? invoice.id}.xml`).send(await invoiceXml(invoice));
  });

  api.get('/stream', async (req, res) => {
    const accountId = await accountOf(req, res);
    const access = dashboardAccess(res);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ account: accountId })}\n\n`);
    let pending: NodeJS.Timeout | undefined;
    const end = (event?: string) => {
      clearTimeout(pending);
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unwatch();
      if (event && !res.writableEnded) res.write(`event: ${event}\ndata: {}\n\n`);
      res.end();
    };
    const unwatch = feed.watch(accountId, {
      changed: () => {
        pending ??= setTimeout(() => {
          pending = undefined;
          res.write(`event: changed\ndata: ${JSON.stringify({ account: accountId })}\n\n`);
        }, CHANGE_DEBOUNCE_MS);
      },
      closed: () => end('closing'),
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const expiry =
      access.kind === 'link'
        ? setTimeout(() => end('expired'), Math.min(access.expiresAt.getTime() - context.clock.now().getTime(), MAX_TIMER_MS))
        : undefined;
    req.on('close', () => end());
  });

  router.use('/dashboard/api', api);
  return router;
}

/** `POST /v1/accounts/:id/dashboard-links`: behind the API key, like the rest of /v1. */
export function dashboardLinkRoutes(options: { context: Context; linkSecret: Buffer; publicUrl: string | undefined }): Router {
  const router = Router();
  router.post('/accounts/:id/dashboard-links', async (req, res) => {
    const { expiresInHours } = dashboardLinkBody.parse(req.body ?? {});
    const link = await createDashboardLink(options.context, { secret: options.linkSecret, accountId: req.params.id, hours: expiresInHours });
    const base = options.publicUrl ?? requestOrigin(req);
    // The token rides in the fragment, which browsers never send: it stays out of server and proxy logs.
    res.status(201).json({ ...link, url: `${base.replace(/\/+$/, '')}/dashboard#token=${encodeURIComponent(link.token)}` });
  });
  return router;
}
