// API keys: create (the key shown once), list, revoke; and the calling key's own description,
// which any key may read (an n8n credential's test).
import { Router } from 'express';
import { OWN_KEY_PATH } from '../domain/access/ApiKey';
import type { ApiKeyRing } from '../usecases/ApiKeyRing';
import { apiKeyView, createApiKey, listApiKeys, revokeApiKey } from '../usecases/apiKeys';
import type { Context } from '../usecases/Context';
import { keyOf } from './scopes';
import { apiKeyBody } from './schemas';

export function apiKeyRoutes(context: Context, keys: ApiKeyRing): Router {
  const router = Router();

  router.get(OWN_KEY_PATH.replace(/^\/v1/, ''), (_req, res) => {
    res.json(apiKeyView(keyOf(res)));
  });

  router.post('/api-keys', async (req, res) => {
    res.status(201).json(await createApiKey(context, keys, apiKeyBody.parse(req.body)));
  });

  router.get('/api-keys', async (_req, res) => {
    res.json(await listApiKeys(context));
  });

  router.delete('/api-keys/:id', async (req, res) => {
    res.json(await revokeApiKey(context, keys, req.params.id));
  });

  return router;
}
