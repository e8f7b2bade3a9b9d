// Reservations: credit held for usage in progress (a call), settled by the event that names it.
import { Router } from 'express';
import { inMeterUnits } from '../domain/allowance/Allowance';
import { decimalString, ZERO } from '../domain/money';
import { heldBy, type Reservation, reservationStatus } from '../domain/reservation/Reservation';
import type { Catalog } from '../domain/catalog/Catalog';
import type { Context } from '../usecases/Context';
import { extendReservation, getReservation, pageReservations, releaseReservation, reserve } from '../usecases/reservations';
import { catalogOfAccount, parsePartialEventData } from './eventData';
import { extendReservationBody, reservationBody, reservationsQuery } from './schemas';

export function reservationRoutes(context: Context): Router {
  const router = Router();

  // Meter units are labels: the latest catalog's name them.
  const view = (r: Reservation, catalog: Catalog) => {
    const now = context.clock.now();
    const status = reservationStatus(r, now);
    const held = heldBy(r);
    return {
      id: r.id,
      account: r.accountId,
      reference: r.reference,
      type: r.type,
      status,
      // What it holds now: nothing once settled, released or expired.
      held: decimalString(status === 'active' ? held.amount : ZERO),
      reserved: decimalString(held.amount),
      allowances: [...held.units].map(([meter, units]) => {
        const allowance = catalog.plans.flatMap((p) => p.allowances).find((a) => a.meter === meter);
        return { meter, unit: allowance?.unit ?? null, reserved: decimalString(allowance ? inMeterUnits(units, allowance) : units) };
      }),
      holds: r.holds.map((h) => ({ estimate: h.estimate, amount: decimalString(h.amount), at: h.at.toISOString() })),
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? (status === 'expired' ? r.expiresAt.toISOString() : null),
      settledBy: r.settledBy,
      actualCost: r.actualCost && decimalString(r.actualCost),
    };
  };

  router.post('/accounts/:id/reservations', async (req, res) => {
    const body = reservationBody.parse(req.body);
    res.status(201);
    const result = await reserve(context, req.params.id, {
      type: body.type,
      estimate: parsePartialEventData(await catalogOfAccount(context, req.params.id), body.type, body.estimate, 'estimate'),
      ttlSeconds: body.ttlSeconds,
      ...(body.reference !== undefined ? { reference: body.reference } : {}),
    });
    res.status(result.created ? 201 : 200).json({ ...view(result.reservation, await context.catalogs.latestCatalog()), duplicate: !result.created });
  });

  router.get('/accounts/:id/reservations', async (req, res) => {
    const query = reservationsQuery.parse(req.query);
    const page = await pageReservations(context, { accountId: req.params.id, after: query.after, limit: query.limit });
    const catalog = await context.catalogs.latestCatalog();
    res.json({ reservations: page.reservations.map((r) => view(r, catalog)), next: page.next });
  });

  router.get('/accounts/:id/reservations/:reservation', async (req, res) => {
    res.json(view(await getReservation(context, req.params.id, req.params.reservation), await context.catalogs.latestCatalog()));
  });

  router.post('/accounts/:id/reservations/:reservation/extend', async (req, res) => {
    const body = extendReservationBody.parse(req.body);
    const current = await getReservation(context, req.params.id, req.params.reservation);
    const extended = await extendReservation(context, {
      accountId: req.params.id,
      id: req.params.reservation,
      estimate: parsePartialEventData(await catalogOfAccount(context, req.params.id), current.type, body.estimate, 'estimate'),
      ttlSeconds: body.ttlSeconds,
    });
    res.json(view(extended, await context.catalogs.latestCatalog()));
  });

  router.delete('/accounts/:id/reservations/:reservation', async (req, res) => {
    res.json(view(await releaseReservation(context, req.params.id, req.params.reservation), await context.catalogs.latestCatalog()));
  });

  return router;
}
