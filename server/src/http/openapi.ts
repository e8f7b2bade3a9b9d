// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { sentEventSchema } from '../domain/event/UsageEvent';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import {
  accountListQuery,
  authorizeBody,
  autoRechargeBody,
  batchBody,
  createAccountBody,
  createAlertRuleBody,
  createWebhookBody,
  extendReservationBody,
  reservationBody,
  topUpBody,
  adjustmentBody,
  topUpRequestBody,
  checkoutBody,
  updateAccountBody,
  costReportQuery,
  dashboardLinkBody,
  planChangeBody,
  catalogVersionBody,
  catalogMigrationBody,
  addOnBody,
  resourcesBody,
  apiKeyBody,
  spendLimitBody,
  paymentBody,
  voidInvoiceBody,
  creditNoteBody,
  phoneNumbersQuery,
  rentNumberBody,
  forecastQuery,
  spikesQuery,
  auditLogQuery,
  eventTypesQuery,
  eventListQuery,
  voidEventBody,
  amendEventBody,
  documentPdfQuery,
} from './schemas';
import { webhookDocuments } from './webhookPayloads';
import { errorCodes } from './errorResponse';
import type { Catalog } from '../domain/catalog/Catalog';
import { accountPricesDocument } from '../domain/account/AccountPrices';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const body = (schema: z.ZodType) => ({ required: true, content: json(schema) });
const errorResponse = {
  description: 'An error: { error: { code, message, field? } }',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
/** The error body, its code one of the listed: made from the lists the server answers from, so the two cannot drift apart. */
const errorSchema = (codes: string[]) => ({
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          enum: codes,
          description:
            "What failed, for programs: a domain error, a refusal's reason (a catalog refusal rule answers with its own code), or one the HTTP layer answers itself (unauthorized, rate_limited, …).",
        },
        message: { type: 'string', description: 'What failed, for people.' },
        field: { type: 'string', description: 'The field that failed, where one did (validation_failed, idempotency_conflict, …).' },
      },
    },
  },
});
const ok = (description: string) => ({ description });
/** Query parameters from a query schema, so the document and the validation never drift apart. */
const query = (schema: z.ZodType) => {
  const doc = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: doc.required?.includes(name) ?? false, schema: s }));
};
const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

/** The catalog's refusal rules name error codes; its event types (when given) shape the event a client sends. */
export function openApiDocument(serverUrl: string, catalog: Pick<Catalog, 'refusals'> & Partial<Pick<Catalog, 'events'>>) {
  const protectedOp = (summary: string, extra: object = {}) => ({
    summary,
    security: [{ bearer: [] }],
    responses: { '200': ok('OK'), '401': errorResponse, '403': errorResponse, '404': errorResponse, '422': errorResponse, '429': errorResponse },
    ...extra,
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'creditmeter',
      version: '0.1.0',
      description: 'Usage billing for AI-assistant platforms. Decimal amounts are JSON strings.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema(errorCodes(catalog.refusals.map((rule) => rule.code))) },
    },
    paths: {
      '/v1/health': { get: { summary: 'Liveness', responses: { '200': ok('{"status":"ok"}') } } },
      '/v1/ready': {
        get: {
          summary: 'Readiness: 503 while the store does not answer or the server shuts down',
          responses: { '200': ok('{"status":"ready"}'), '503': errorResponse },
        },
      },
      '/v1/api-keys': {
        post: protectedOp(
          'Create an API key (admin): scopes ingest, read, admin; accounts limits an ingest or read key to those accounts. The key is in this answer only',
          {
            requestBody: body(apiKeyBody),
            responses: { '201': ok('The key, with its secret'), '403': errorResponse, '422': errorResponse },
          },
        ),
        get: protectedOp('List API keys (admin): name, prefix, scopes, accounts, created, last used, revoked'),
      },
      '/v1/api-keys/current': { get: protectedOp('The calling key: any key may read it') },
      '/v1/audit-log': {
        get: protectedOp(
          'Who changed what, newest first: one row per request that could change something (key, method, route, accounts and ids, status, request id), written in the transaction of its change (transactional: true) or after the answer for one refused, failed or that changed nothing',
          { parameters: query(auditLogQuery) },
        ),
      },
      '/v1/api-keys/{id}': { delete: protectedOp('Revoke an API key (admin): refused at once by every process', { parameters: [path('id')] }) },
      '/v1/accounts': {
        post: protectedOp(
          "Open an account on a plan; a plan outside its availability (the catalog's available: from, until, countries of billing.country or the VAT id) is refused with plan_not_available naming available.from, available.until or available.countries",
          { requestBody: body(createAccountBody), responses: { '201': ok('The account'), '409': errorResponse, '422': errorResponse } },
        ),
        get: protectedOp('List accounts by id, 500 a page; `search` keeps those whose id or name contains it (any case)', {
          parameters: query(accountListQuery),
        }),
      },
      '/v1/accounts/{id}': {
        get: protectedOp('Get an account', { parameters: [path('id')] }),
        patch: protectedOp(
          "Change an account's name, contact e-mail, metadata, billing details, locale (German or English, BCP 47) or time zone (IANA); invoices issued before keep their language",
          { parameters: [path('id')], requestBody: body(updateAccountBody) },
        ),
      },
      '/v1/accounts/{id}/balance': { get: protectedOp('Balance, status, allowances and grants', { parameters: [path('id')] }) },
      '/v1/accounts/{id}/topups': {
        post: protectedOp(
          "Top up the balance (idempotent by reference). A paid top-up (it carries paid, or its reference is a top-up request's or an auto-recharge request's) issues an invoice at once (invoice.created, kind topup), marked paid; invoice: true invoices any other at the catalog's price",
          {
            parameters: [path('id')],
            requestBody: body(topUpBody),
            responses: {
              '201': ok('The new top-up, with the invoice it issued (id, number, currency, net, tax, gross) or null'),
              '200': ok('The first top-up with this reference, and its invoice'),
              '404': errorResponse,
              '409': errorResponse,
              '422': errorResponse,
            },
          },
        ),
      },
      '/v1/accounts/{id}/adjustments': {
        post: protectedOp(
          'Adjust the balance, saying why (admin, as a top-up): a positive amount credits (a grant of kind adjustment that pays back debt first and lapses at expiresAt, if given), a negative one debits (drawn from the grants as usage is) down to zero and no further. The status follows as after a top-up or usage: a prepaid account resumes above zero and pauses at zero; balance.adjusted is sent. Idempotent by reference: the same amount and expiresAt again answers the first adjustment, another is idempotency_conflict. Refused (postpaid_account) where the invoice bills usage: correct the invoice instead',
          {
            parameters: [path('id')],
            requestBody: body(adjustmentBody),
            responses: {
              '201': ok(
                '{ adjustment: { id, account, amount, reason, reference, expiresAt, grantId, keyId, createdAt }, entries (its ledger entries, with reason and keyId), balance, status, duplicate: false }',
              ),
              '200': ok('The first adjustment with this reference and its entries, the balance and status as they stand now, duplicate: true'),
              '404': errorResponse,
              '409': errorResponse,
              '422': errorResponse,
            },
          },
        ),
      },
      '/v1/accounts/{id}/topup-requests': {
        post: protectedOp(
          "Ask to buy balance for a prepaid account, as its dashboard's Top up does: topup.requested tells the operator, who answers with a checkout link; the same amount again within 15 minutes, unpaid, answers the same request",
          {
            parameters: [path('id')],
            requestBody: body(topUpRequestBody),
            responses: {
              '201': ok('The new request, with its price where the catalog prices the balance'),
              '200': ok('The open request for this amount'),
              '404': errorResponse,
              '409': errorResponse,
              '422': errorResponse,
            },
          },
        ),
      },
      '/v1/topup-requests/{id}': {
        get: protectedOp('A top-up request: amount, price, status (waiting_for_link, ready, paid), checkout link', { parameters: [path('id')] }),
      },
      '/v1/topup-requests/{id}/checkout': {
        post: protectedOp(
          "Answer a top-up request with the link where the customer pays; the account's dashboard offers it at once. Top up with the request's id as the reference once paid",
          {
            parameters: [path('id')],
            requestBody: body(checkoutBody),
            responses: { '200': ok('The request with its link'), '404': errorResponse, '409': errorResponse, '422': errorResponse },
          },
        ),
      },
      '/v1/accounts/{id}/authorize': {
        post: protectedOp('Whether the account may start this usage now', { parameters: [path('id')], requestBody: body(authorizeBody) }),
      },
      '/v1/accounts/{id}/reservations': {
        post: protectedOp('Hold credit for usage in progress (a call); refused when balance minus holds cannot cover it', {
          parameters: [path('id')],
          requestBody: body(reservationBody),
          responses: {
            '201': ok('The reservation'),
            '200': ok('The first reservation with this reference'),
            '404': errorResponse,
            '422': errorResponse,
          },
        }),
        get: protectedOp('Reservations of the account, oldest first', {
          parameters: [
            path('id'),
            { name: 'after', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } },
          ],
        }),
      },
      '/v1/accounts/{id}/reservations/{reservation}': {
        get: protectedOp('A reservation: what it holds, its estimates, and the event that settled it', { parameters: [path('id'), path('reservation')] }),
        delete: protectedOp('Release an active reservation (the usage did not happen)', { parameters: [path('id'), path('reservation')] }),
      },
      '/v1/accounts/{id}/reservations/{reservation}/extend': {
        post: protectedOp('Hold more for an active reservation and move its expiry', {
          parameters: [path('id'), path('reservation')],
          requestBody: body(extendReservationBody),
        }),
      },
      '/v1/accounts/{id}/ledger': {
        get: protectedOp(
          "The ledger, oldest first, paged by cursor; each entry names the key whose request made it (keyId, null for the server's own work such as a cycle closing) and, for a correction (kinds adjustment, void, refund, unsettlement), why it was made (reason, as its maker said; null for every other entry)",
          {
            parameters: [
              path('id'),
              { name: 'cursor', in: 'query', schema: { type: 'string' } },
              { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } },
            ],
          },
        ),
      },
      '/v1/events': {
        get: protectedOp(
          "An account's stored events, newest first, with their cost and charges: by type, from/to (when they happened), assistant, campaign and number; paged by cursor (nextCursor)",
          {
            parameters: query(eventListQuery),
          },
        ),
        post: protectedOp('Record one usage event', {
          requestBody: body(catalog.events ? eventSchemaFor(catalog as Pick<Catalog, 'events'>).sent : sentEventSchema),
          responses: {
            '201': ok('Accepted: { status, cost, charges }'),
            '200': ok('Duplicate: the original charges'),
            '404': errorResponse,
            '422': errorResponse,
          },
        }),
      },
      '/v1/events/batch': {
        post: protectedOp('Record up to 1,000 usage events; one result per event', { requestBody: body(batchBody) }),
      },
      '/v1/events/{id}': {
        get: protectedOp('A stored event with its charges and traces; an amended one (version past 1) with its earlier versions, each voided', {
          parameters: [path('id'), { name: 'account', in: 'query', required: true, schema: { type: 'string' } }],
        }),
      },
      '/v1/events/{id}/void': {
        post: protectedOp(
          'Void a recorded event: what it drew (credits, grants, included units, a charge-once key) is given back, it leaves reports and alerts; where its cycle was invoiced, a credit note corrects the invoice. A second void answers the first',
          {
            parameters: [path('id')],
            requestBody: body(voidEventBody),
            responses: { '200': ok('{ event, entries, balance }'), '404': errorResponse, '422': errorResponse },
          },
        ),
      },
      '/v1/events/{id}/amend': {
        post: protectedOp('Amend a recorded event: its current version is voided and the new data rated under the same id, in one transaction', {
          parameters: [path('id')],
          requestBody: body(amendEventBody),
          responses: { '200': ok('{ event, previous }'), '404': errorResponse, '409': errorResponse, '422': errorResponse },
        }),
      },
      '/v1/webhooks': {
        post: protectedOp('Subscribe an endpoint to event types; the signing secret is shown once', {
          requestBody: body(createWebhookBody),
          responses: { '201': ok('The subscription with its secret'), '422': errorResponse },
        }),
        get: protectedOp('List subscriptions'),
      },
      '/v1/webhooks/{id}': {
        get: protectedOp('Get a subscription', { parameters: [path('id')] }),
        delete: protectedOp('Remove a subscription', { parameters: [path('id')], responses: { '204': ok('Removed'), '404': errorResponse } }),
      },
      '/v1/webhooks/{id}/deliveries': {
        get: protectedOp('Deliveries to this endpoint, newest first, with every attempt', {
          parameters: [path('id'), { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } }],
        }),
      },
      '/v1/webhooks/{id}/deliveries/{deliveryId}/retry': {
        post: protectedOp('Send a finished delivery again', {
          parameters: [path('id'), path('deliveryId')],
          responses: { '202': ok('Scheduled'), '404': errorResponse, '422': errorResponse },
        }),
      },
      '/v1/alert-rules': {
        post: protectedOp('Create an alert rule for one account, or for all', {
          requestBody: body(createAlertRuleBody),
          responses: { '201': ok('The rule'), '404': errorResponse, '422': errorResponse },
        }),
        get: protectedOp('List alert rules (of one account and the defaults)', { parameters: [{ name: 'account', in: 'query', schema: { type: 'string' } }] }),
      },
      '/v1/alert-rules/{id}': {
        get: protectedOp('Get an alert rule', { parameters: [path('id')] }),
        delete: protectedOp('Delete an alert rule', { parameters: [path('id')], responses: { '204': ok('Deleted'), '404': errorResponse } }),
      },
      '/v1/accounts/{id}/auto-recharge': {
        put: protectedOp('Set auto-recharge: below the threshold, ask for a recharge (recharge.requested)', {
          parameters: [path('id')],
          requestBody: body(autoRechargeBody),
        }),
        get: protectedOp('Auto-recharge settings and the open request', { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/spend-limit': {
        put: protectedOp(
          "Set a postpaid account's spend limit per cycle, in the invoice currency: once the cycle's spend (usage and number rents) reaches it, authorize and reservations refuse with spend_limit_reached and spend_limit.reached is sent once",
          {
            parameters: [path('id')],
            requestBody: body(spendLimitBody),
          },
        ),
        get: protectedOp("The spend limit and the cycle's spend against it", { parameters: [path('id')] }),
        delete: protectedOp('Remove the spend limit', { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/prices': {
        put: protectedOp(
          "Set the account's own prices by service code, replacing those it had: a price in any form the catalog takes ({amount, per} or {mode: graduated | volume, tiers: [{upTo, amount, per}, …, {amount, per}]}), increments only for duration services. They rate events from now on, before the plan's overrides and the catalog, in ingestion, authorize, reservations, recommendations and explanations (\"at the account's agreed price\"). 422 naming services.<code> for a service the catalog does not know",
          { parameters: [path('id')], requestBody: body(accountPricesDocument) },
        ),
        get: protectedOp("The account's own prices, in the form PUT takes ({} where it has none)", { parameters: [path('id')] }),
        delete: protectedOp("Remove all the account's own prices: the plan's and the catalog's rate it again", { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/prices/{service}': {
        delete: protectedOp("Remove the account's own price for one service (422 naming services.<code> where it has none)", {
          parameters: [path('id'), path('service')],
        }),
      },
      '/v1/reports/costs': {
        get: protectedOp(
          "Costs of a period (whole UTC hours, or an account's current or previous cycle) grouped by any of channel, service, assistant, campaign, number, day, month and the dimensions the catalog declares; JSON, or CSV with Accept: text/csv or format=csv. All accounts when account is omitted",
          {
            parameters: query(costReportQuery),
          },
        ),
      },
      '/v1/reports/forecast': {
        get: protectedOp("The running cycle's cost so far and a forecast to its end from the run rate, with the method", { parameters: query(forecastQuery) }),
      },
      '/v1/reports/spikes': {
        get: protectedOp('Days that cost far more than usual, and the campaign, number, assistant and channel that drove them', {
          parameters: query(spikesQuery),
        }),
      },
      '/v1/events/{id}/explanation': {
        get: protectedOp("A charged event's trace (rates, increments, allowance, once-per-key) as JSON and as sentences in the account's locale", {
          parameters: [path('id'), { name: 'account', in: 'query', required: true, schema: { type: 'string' } }],
        }),
      },
      '/v1/accounts/{id}/phone-numbers': {
        post: protectedOp("Rent a dedicated number: the rest of the cycle's rent is charged now (prorated to the second), the full rent each later cycle", {
          parameters: [path('id')],
          requestBody: body(rentNumberBody),
          responses: { '201': ok('The rental and its first charge'), '404': errorResponse, '409': errorResponse, '422': errorResponse },
        }),
        get: protectedOp("The account's rented numbers (status=all adds released ones)", { parameters: [path('id'), ...query(phoneNumbersQuery)] }),
      },
      '/v1/accounts/{id}/phone-numbers/{number}': {
        delete: protectedOp('Release a number: no more rent from the next cycle on; nothing is refunded', { parameters: [path('id'), path('number')] }),
      },
      '/v1/accounts/{id}/cycles': {
        get: protectedOp('The current billing cycle and every closed one: credits granted, grants lapsed, rents charged', { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/cycles/close': {
        post: protectedOp('Close the cycles that have ended (the server does so by itself within seconds); each closes once', { parameters: [path('id')] }),
      },
      '/v1/catalog/events': {
        get: protectedOp(
          "Every event type of the catalog (the built-in ones and its own) with all its fields: name, type, required, declared, min/max, enum, dimension; and whether a service prices it. The latest version's, or with `account` the version that account is on",
          { parameters: query(eventTypesQuery) },
        ),
      },
      '/v1/plans': {
        get: protectedOp(
          "The catalog's plans (fees, credit packages, allowances, features, limits), add-on packs, the event types it prices and the meters its allowances count",
        ),
      },
      '/v1/catalog': {
        get: protectedOp('The latest catalog version as published: { version, catalog }, the catalog in the very form POST /v1/catalog/versions accepts'),
      },
      '/v1/catalog/versions': {
        get: protectedOp(
          'Every catalog version published, oldest first: version, publishedAt, digest (SHA-256 of the catalog with its keys sorted), by (an API key, or the file a server started with)',
        ),
        post: protectedOp(
          'Publish a catalog version (an admin key): new accounts subscribe on it; existing accounts keep theirs until a plan change with catalogVersion: latest or a migration moves them. The same catalog as the latest publishes nothing and answers the latest (200); an invalid one is refused naming its path (catalog.services[3].price.amount) and nothing is stored',
          {
            requestBody: body(catalogVersionBody),
            responses: { '201': ok('The version published'), '200': ok('The latest version, the same catalog'), '422': errorResponse },
          },
        ),
      },
      '/v1/catalog/versions/{version}': {
        get: protectedOp('One catalog version with its catalog as published', {
          parameters: [path('version')],
          responses: { '200': ok('The version'), '404': errorResponse, '422': errorResponse },
        }),
      },
      '/v1/catalog/versions/{version}/migrate': {
        post: protectedOp(
          "Move accounts not on this version (on the plans given, or all) to it: now (a plan change to the same plan on the version: a higher fee applies at once with its proration, the same fee at once with nothing invoiced, a lower one at the cycle's end) or at cycle_end (with each account's next closing, like a scheduled plan change). Accounts whose plan the version lacks are skipped and named",
          {
            parameters: [path('version')],
            requestBody: body(catalogMigrationBody),
            responses: { '200': ok('moved, scheduled and skipped accounts'), '404': errorResponse, '422': errorResponse },
          },
        ),
      },
      '/v1/accounts/{id}/plan-change': {
        post: protectedOp(
          "Change the plan: an upgrade applies now (a proration invoice crediting the old plan's fee paid ahead and billing the new plan's rest), a downgrade or a new interval at the cycle's end; preview: true changes nothing; catalogVersion: latest moves the account to the latest catalog version with the change (the same plan on the latest version is a change too). A plan outside its availability is refused with plan_not_available (field available.from, available.until or available.countries); staying on a plan that is no longer available is never refused",
          {
            parameters: [path('id')],
            requestBody: body(planChangeBody),
            responses: { '200': ok('What happens (or happened)'), '404': errorResponse, '422': errorResponse },
          },
        ),
        delete: protectedOp('Cancel a scheduled plan change', { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/recommendations': {
        get: protectedOp(
          'Plans ranked for the account from its template, integrations (metadata) and measured usage, each with a reason and what it would have cost',
          { parameters: [path('id')] },
        ),
      },
      '/v1/accounts/{id}/add-ons': {
        post: protectedOp("Buy an add-on pack for the current cycle (credits, or extra allowance units), billed on the cycle's invoice", {
          parameters: [path('id')],
          requestBody: body(addOnBody),
          responses: { '201': ok('The purchase'), '404': errorResponse, '422': errorResponse },
        }),
      },
      '/v1/accounts/{id}/cancel': {
        post: protectedOp('Cancel the subscription: it ends with the current cycle (not refunded); usage from then on is refused', {
          parameters: [path('id')],
        }),
        delete: protectedOp('Withdraw a cancellation before the cycle ends', { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/resources': {
        put: protectedOp('Set the counted resources plan limits apply to (documents, assistants, seats)', {
          parameters: [path('id')],
          requestBody: body(resourcesBody),
        }),
      },
      '/v1/accounts/{id}/invoices': {
        get: protectedOp("The account's invoices, newest first", { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/upcoming-invoice': {
        get: protectedOp(
          "The invoice the current cycle's closing will issue if no more usage comes: plan fees (the next cycle's paid ahead), add-ons, usage beyond the allowances and rents, VAT and totals, and when it is issued",
          { parameters: [path('id')] },
        ),
      },
      '/v1/invoices/{id}': {
        get: protectedOp(
          'An invoice: seller, buyer, lines, VAT per rate, totals, payments, what credit notes credited and what it still asks (due), and its void',
          { parameters: [path('id')] },
        ),
      },
      '/v1/invoices/{id}.html': {
        get: protectedOp('The invoice as a page a customer can read', { parameters: [path('id')], responses: { '200': ok('text/html') } }),
      },
      '/v1/invoices/{id}.pdf': {
        get: protectedOp(
          "The invoice as a PDF (fonts embedded). format=zugferd: its ZUGFeRD/Factur-X PDF (PDF/A-3, EN 16931 profile) with the e-invoice's CII attached as factur-x.xml; refused for a draft (invoice_draft), a void invoice (invoice_void) and where EN 16931's details are missing (einvoice_incomplete, naming the field)",
          { parameters: [path('id'), ...query(documentPdfQuery)], responses: { '200': ok('application/pdf'), '404': errorResponse, '422': errorResponse } },
        ),
      },
      '/v1/invoices/{id}.xml': {
        get: protectedOp(
          "The invoice as an EN 16931 e-invoice: XRechnung 3.0 in the CII syntax (application/xml), for German and other buyers alike. Refused for a draft (invoice_draft), a void invoice (invoice_void) and where the seller's address, country or VAT id (or tax number), or the buyer's address or country, is missing, or what XRechnung 3.0 adds: the seller's post code, telephone and e-mail, the buyer's post code and e-mail (einvoice_incomplete, naming the field, e.g. invoicing.seller.phone or email); also einvoice_incomplete where the standard's code lists refuse a value (a country stored before countries were checked)",
          { parameters: [path('id')], responses: { '200': ok('application/xml'), '404': errorResponse, '422': errorResponse } },
        ),
      },
      '/v1/invoices/{id}/payment': {
        post: protectedOp(
          "Record a payment's outcome: paid, or failed with card_declined, insufficient_funds or expired_card; a void invoice takes none (invoice_void)",
          {
            parameters: [path('id')],
            requestBody: body(paymentBody),
          },
        ),
      },
      '/v1/invoices/{id}/void': {
        post: protectedOp(
          'Void an unpaid invoice (open or failed) with a reason: it stays as issued, status void, with when, why and the API key; what it settled from the balance is taken back and those charges given back (ledger: unsettlement, then void). Voiding again answers the first void; a paid invoice is refused (invoice_paid: issue a credit note)',
          {
            parameters: [path('id')],
            requestBody: body(voidInvoiceBody),
            responses: { '200': ok('The void invoice'), '404': errorResponse, '422': errorResponse },
          },
        ),
      },
      '/v1/invoices/{id}/issue': {
        post: protectedOp(
          "Issue an invoice held as a draft (an invoice to a business waits, unnumbered, for the buyer's address): numbered now, issued and due from now, invoice.created sent. While the account's address is missing it is refused (invoice_held, naming the field: billing.address); an invoice issued already is answered as it stands. Giving the account its address (PATCH /v1/accounts/{id}) issues its drafts as well",
          { parameters: [path('id')], responses: { '200': ok('The issued invoice'), '404': errorResponse, '422': errorResponse } },
        ),
      },
      '/v1/invoices/{id}/credit-notes': {
        post: protectedOp(
          "Issue a credit note: lines of the invoice by their 0-based index (a quantity at the line's unit price, or an amount), or one amount spread over the lines in order; VAT reversed per rate as the invoice rounded it; never more than is left to credit (422 naming lines[i].quantity, lines[i].amount or amount). refund: external (refunded outside, or taken off what an unpaid invoice asks) or balance (a paid invoice's net to the account's balance, converted at topUps.price for credits). Numbered in its own sequence ({PREFIX}-CN-{YYYY}-{SEQ:6} by default)",
          {
            parameters: [path('id')],
            requestBody: body(creditNoteBody),
            responses: { '201': ok('The credit note'), '404': errorResponse, '422': errorResponse },
          },
        ),
        get: protectedOp("The invoice's credit notes, oldest first", { parameters: [path('id')] }),
      },
      '/v1/accounts/{id}/credit-notes': { get: protectedOp("The account's credit notes, newest first", { parameters: [path('id')] }) },
      '/v1/credit-notes/{id}': {
        get: protectedOp('A credit note: the invoice it credits, lines, VAT per rate, totals, reason, refund, the API key that issued it', {
          parameters: [path('id')],
        }),
      },
      '/v1/credit-notes/{id}.html': {
        get: protectedOp('The credit note as a page a customer can read', { parameters: [path('id')], responses: { '200': ok('text/html') } }),
      },
      '/v1/credit-notes/{id}.pdf': {
        get: protectedOp(
          'The credit note as a PDF (fonts embedded); format=zugferd: its ZUGFeRD/Factur-X PDF/A-3 with its CII (type 381) attached as factur-x.xml',
          {
            parameters: [path('id'), ...query(documentPdfQuery)],
            responses: { '200': ok('application/pdf'), '404': errorResponse, '422': errorResponse },
          },
        ),
      },
      '/v1/credit-notes/{id}.xml': {
        get: protectedOp(
          "The credit note as an EN 16931 e-invoice (XRechnung 3.0 CII, type 381, naming the invoice it corrects); einvoice_incomplete where details EN 16931 or XRechnung 3.0 require are missing (as for an invoice's .xml)",
          {
            parameters: [path('id')],
            responses: { '200': ok('application/xml'), '404': errorResponse, '422': errorResponse },
          },
        ),
      },
      '/v1/accounts/{id}/dashboard-links': {
        post: protectedOp("A signed link to the account's read-only dashboard (at most 90 days); the token rides in the URL's fragment", {
          parameters: [path('id')],
          requestBody: body(dashboardLinkBody),
          responses: { '201': ok('The link: account, token, expiresAt, url'), '404': errorResponse, '422': errorResponse },
        }),
      },
      '/v1/openapi.json': { get: { summary: 'This document', responses: { '200': ok('OpenAPI 3.1') } } },
    },
    webhooks: webhookDocuments(),
  };
}
