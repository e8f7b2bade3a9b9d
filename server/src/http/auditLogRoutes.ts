// The audit log: who changed what, newest first.
import { Router } from 'express';
import { listAuditLog } from '../usecases/auditLog';
import type { Context } from '../usecases/Context';
import { auditLogQuery } from './schemas';
import { keyOf } from './scopes';

export function auditLogRoutes(context: Context): Router {
  const router = Router();

  router.get('/audit-log', async (req, res) => {
    res.json(await listAuditLog(context, auditLogQuery.parse(req.query), keyOf(res)));
  });

  return router;
}
