// Usage events: one, a batch, the stored events of an account (filtered, paged), and one stored
// event with its charges.
import { Router } from 'express';
import { reaches } from '../domain/access/ApiKey';
import { assertReaches, keyOf } from './scopes';
import { DomainFailure, notFound } from '../domain/errors';
import { parseSentEvent, parseUsageEvent } from '../domain/event/UsageEvent';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { catalogOfAccount, knownEventType } from './eventData';
import type { EventOutcome } from '../domain/ingestion/planIngestion';
import { readEvent } from '../store/usageEvents';
import type { Context } from '../usecases/Context';
import type { UsageRecorder } from '../usecases/recordUsage';
import { fromZod } from '../domain/fieldIssue';
import { sendDomainError } from './errorResponse';
import { amendEventBody, batchBody, eventListQuery, eventQuery, voidEventBody } from './schemas';
import { listEvents } from '../usecases/listEvents';
import { eventView, outcomeView } from './views';
import { voidEvent } from '../usecases/voidEvent';
import { amendEvent } from '../usecases/amendEvent';
import { readEventVersions } from '../store/eventCorrections';

export function eventRoutes(context: Context, recorder: UsageRecorder): Router {
  const router = Router();

  router.post('/events', async (req, res) => {
    // The envelope here; the type and data in the recorder, against the account's catalog version.
    const parsed = parseSentEvent(req.body, context.clock.now());
    if (!parsed.success) return sendDomainError(res, fromZod(parsed.error));
    // Set before recording: the audit row written with an accepted event says what the answer will.
    res.status(201);
    const [outcome] = (await recorder.record([parsed.data])) as [EventOutcome];
    if (outcome.status === 'rejected') return sendDomainError(res, outcome.error);
    res.status(outcome.status === 'accepted' ? 201 : 200).json(outcomeView(outcome));
  });

  router.post('/events/batch', async (req, res) => {
    const body = batchBody.parse(req.body);
    // An event for an account the key does not reach is rejected alone, as one for no account.
    const key = keyOf(res);
    const receivedAt = context.clock.now();
    const parsed = body.events.map((event) => {
      const result = parseSentEvent(event, receivedAt);
      return result.success && !reaches(key, result.data.account) ? { success: false as const, unreached: result.data.account } : result;
    });
    const valid = parsed.flatMap((p) => (p.success ? [p.data] : []));
    const recorded = await recorder.record(valid);
    let next = 0;
    const results = parsed.map((p, index) => ({
      index,
      ...(p.success
        ? outcomeView(recorded[next++]!)
        : { status: 'rejected' as const, error: 'unreached' in p ? notFound('account', p.unreached) : { ...fromZod(p.error) } }),
    }));
    const count = (status: string) => results.filter((r) => r.status === status).length;
    res.json({ accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), results });
  });

  router.get('/events', async (req, res) => {
    const { account, cursor, limit, ...narrowed } = eventListQuery.parse(req.query);
    if (narrowed.type !== undefined) knownEventType(await catalogOfAccount(context, account), narrowed.type);
    const page = await listEvents(context, { filter: { accountId: account, ...narrowed }, cursor, limit });
    const { balanceUnit } = await context.catalogs.latestCatalog();
    res.json({ events: page.events.map((event) => ({ ...eventView(event), unit: balanceUnit })), nextCursor: page.nextCursor });
  });

  router.get('/events/:id', async (req, res) => {
    const { account } = eventQuery.parse(req.query);
    const event = await readEvent(context.db, account, req.params.id);
    if (!event) throw new DomainFailure(notFound('event', req.params.id));
    const versions = (event.version ?? 1) > 1 ? await readEventVersions(context.db, account, req.params.id) : [];
    res.json({ ...eventView(event), ...(versions.length > 0 ? { versions: versions.map(eventView) } : {}) });
  });

  router.post('/events/:id/void', async (req, res) => {
    const { account, reason } = voidEventBody.parse(req.body);
    assertReaches(res, account);
    const voided = await voidEvent(context, { accountId: account, eventId: req.params.id, reason });
    res.json({ ...voided, event: eventView(voided.event) });
  });

  router.post('/events/:id/amend', async (req, res) => {
    const { account, data, reason } = amendEventBody.parse(req.body);
    assertReaches(res, account);
    const recorded = await readEvent(context.db, account, req.params.id);
    if (!recorded) throw new DomainFailure(notFound('event', req.params.id));
    // Checked like a new event of its type, at its own time: the error names the field (data.duration_seconds).
    const parsed = parseUsageEvent(
      {
        account,
        id: recorded.id,
        type: recorded.type,
        timestamp: recorded.timestamp.toISOString(),
        data,
        ...(recorded.metadata ? { metadata: recorded.metadata } : {}),
      },
      context.clock.now(),
      eventSchemaFor(await catalogOfAccount(context, account)).sent,
    );
    if (!parsed.success) return sendDomainError(res, fromZod(parsed.error));
    const amended = await amendEvent(context, { event: parsed.data, reason });
    res.json({ event: eventView(amended.event), previous: eventView(amended.previous) });
  });

  return router;
}
