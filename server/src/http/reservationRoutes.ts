// Reservations: credit held for usage in progress (a call), settled by the event that names it.
import { Router } from 'express';
import { inMeterUnits } from '../domain/allowance/Allowance';
import { decimalString, ZERO } from '../domain/money';
import { heldBy, type Reservation, reservationStatus } from '../domain/reservation/Reservation';
import type { Context } from '../usecases/Context';
import { extendReservation, getReservation, pageReservations, releaseReservation, reserve } from '../usecases/reservations';
import { parsePartialEventData } from './eventData';
import { extendReservationBody, reservationBody, reservationsQuery } from './schemas';

export function reservationRoutes(context: Context): Router {
  const router = Router();

  const view = (r: Reservation) => {
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
        const allowance = context.catalog.plans.flatMap((p) => p.allowances).find((a) => a.meter === meter);
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
      estimate: parsePartialEventData(context.catalog, body.type, body.estimate, 'estimate'),
      ttlSeconds: body.ttlSeconds,
      ...(body.reference !== undefined ? { reference: body.reference } : {}),
    });
    res.status(result.created ? 201 : 200).json({ ...view(result.reservation), duplicate: !result.created });
  });

  router.get('/accounts/:id/reservations', async (req, res) => {
    const query = reservationsQuery.parse(req.query);
    const page = await pageReservations(context, { accountId: req.params.id, after: query.after, limit: query.limit });
    res.json({ reservations: page.reservations.map(view), next: page.next });
  });

  router.get('/accounts/:id/reservations/:reservation', async (req, res) => {
    res.json(view(await getReservation(context, req.params.id, req.params.reservation)));
  });

  router.post('/accounts/:id/reservations/:reservation/extend', async (req, res) => {
    const body = extendReservationBody.parse(req.body);
    const current = await getReservation(context, req.params.id, req.params.reservation);
    const extended = await extendReservation(context, {
      accountId: req.params.id,
      id: req.params.reservation,
      estimate: parsePartialEventData(context.catalog, current.type, body.estimate, 'estimate'),
      ttlSeconds: body.ttlSeconds,
    });
    res.json(view(extended));
  });

  router.delete('/accounts/:id/reservations/:reservation', async (req, res) => {
    res.json(view(await releaseReservation(context, req.params.id, req.params.reservation)));
  });

  return router;
}
