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

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0];

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

export function requestLog(log: Logger): RequestHandler[] {
  // Timed apart from the log line, so that a silent log still feeds the histogram. The route is
  // taken when the response is sent, inside its router, where Express has matched it (an error
  // answered later, by the app's error handler, finds the router left).
  const timing: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    let route: string | undefined;
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      route ??= routeOf(req);
      return send(body);
    };
    res.on('finish', () => {
      httpRequestDuration.observe({ method: req.method, route: route ?? routeOf(req), status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  // Without a log line to write (a silent log), the request only gets its id.
  if (!log.isLevelEnabled('info')) {
    const identify: RequestHandler = (req, res, next) => {
      requestId(req, res);
      next();
    };
    return [identify, timing];
  }
  const logging = pinoHttp({
    logger: log,
    quietReqLogger: true,
    // The request is described from the raw one: the standard serializers would copy its headers.
    wrapSerializers: false,
    genReqId: requestId,
    serializers: {
      req: (req: IncomingMessage & { id: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
    customSuccessObject: (_req, res, value: object) => ({ ...value, caller: callerOf(res) ?? null }),
    customErrorObject: (_req, res, _error, value: object) => ({ ...value, caller: callerOf(res) ?? null }),
    customSuccessMessage: (req, res, ms) => `${req.method} ${pathOf(req.url)} ${res.statusCode} ${ms} ms`,
  });
  return [logging as unknown as RequestHandler, timing];
}
