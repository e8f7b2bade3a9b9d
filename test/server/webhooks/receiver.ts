// A real HTTP receiver for webhook tests: verifies every request with the Standard Webhooks
// library and keeps what it accepted; `respond` decides each answer (to fail for a while, say).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { waitFor } from '../../support/eventually';

export interface Received {
  id: string;
  type: string;
  timestamp: string;
  data: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  forged: number;
  requests: number;
  /** The secret requests are verified with; set after the endpoint is created. */
  secret: string;
  /** The status to answer the n-th request with; 0 leaves it unanswered (a hung receiver). */
  respond: (request: number) => number;
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver = { received: [] as Received[], forged: 0, requests: 0, secret: '', respond: (_n: number) => 204 } as Receiver;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      receiver.requests += 1;
      const status = receiver.respond(receiver.requests);
      if (status === 0) return;
      let message: { type: string; timestamp: string; data: unknown };
      try {
        message = new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>) as typeof message;
      } catch {
        receiver.forged += 1;
        res.writeHead(401).end();
        return;
      }
      if (status >= 200 && status < 300 && !receiver.received.some((r) => r.id === req.headers['webhook-id'])) {
        receiver.received.push({ id: String(req.headers['webhook-id']), ...message });
      }
      res.writeHead(status).end(status >= 300 ? 'not now' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.waitFor = (predicate, timeoutMs = 5000) =>
    waitFor(() => receiver.received, {
      until: predicate,
      timeoutMs,
      message: 'the receiver to get what was awaited',
      show: (received) => received.map((r) => r.type),
    });
  receiver.close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}
