// Each request's id, log line and duration. The id is the caller's X-Request-Id when it is a sane
// token, otherwise a new one, and is returned in the response; the log line (pino-http) says the
// id, the key that called, the route, the status and the time taken, and never a key, a header or
// a query string (dashboard tokens ride in URL fragments, which browsers never send anyway).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { httpRequestDuration } from '../metrics/metrics';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Who called, as auth recorded it on the response: a key id, or a dashboard link's account. */
export function callerOf(res: ServerResponse): string | undefined {
  return (res as Response).locals?.['caller'] as string | undefined;
}

/** The route's pattern (`/v1/accounts/:id/balance`), not its path: ids would make every path a series. */
function routeOf(req: Request): string {
  return req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
}

export function requestLog(log: Logger): RequestHandler[] {
  const logging = pinoHttp({
    logger: log,
    quietReqLogger: true,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customProps: (_req, res) => ({ caller: callerOf(res) ?? null }),
    customSuccessMessage: (req, res, ms) => `${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${ms} ms`,
  });
  // Timed apart from the log line, so that a silent log still feeds the histogram. The route is
  // read as the request finishes, inside its router: by then Express has matched it.
  const timing: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    let route = 'unmatched';
    const original = res.json.bind(res);
    res.json = (body: unknown) => {
      route = routeOf(req);
      return original(body);
    };
    res.on('finish', () => {
      if (route === 'unmatched') route = routeOf(req);
      httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return [logging as unknown as RequestHandler, timing];
}
