// Bench figure: from sending the usage event that crosses an alert threshold to the signed webhook
// arriving at a receiver on this machine (an upper bound of "leaving the server").
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { money } from '../domain/money';
import type { RunningServer } from '../server';
import { createAlertRule } from '../usecases/alertRules';
import { openAccount } from '../usecases/openAccount';
import { topUp } from '../usecases/topUp';
import { createEndpoint } from '../usecases/webhookEndpoints';

const ACCOUNTS = 200;
/** Crossing events sent one after another at this pace, so that each is measured on its own. */
const GAP_MS = 10;

export async function alertLatency(server: RunningServer): Promise<{ p50: number; p95: number; max: number; count: number }> {
  const arrived = new Map<string, number>();
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as { data: { account: string } };
      if (!arrived.has(message.data.account)) arrived.set(message.data.account, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const context = server.context;
    await createEndpoint(context, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, events: ['balance.low'] }, 'private');
    const ids = Array.from({ length: ACCOUNTS }, (_, i) => `latency-${i}`);
    for (const id of ids) {
      await openAccount(context, { id, name: id, plan: 'payg', interval: 'month' });
      await topUp(context, { accountId: id, amount: money('100'), reference: 'bench' });
      await createAlertRule(context, { account: id, kind: 'balance_below', thresholds: [money('80')] });
    }
    const sent = new Map<string, number>();
    for (const id of ids) {
      const event = { id: `cross-${id}`, account: id, type: 'chat', timestamp: new Date().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } };
      sent.set(id, performance.now());
      const response = await fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      if (response.status !== 201) throw new Error(`latency event refused: ${response.status} ${await response.text()}`);
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
    const deadline = Date.now() + 30_000;
    while (arrived.size < ACCOUNTS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const latencies = ids.map((id) => (arrived.get(id) ?? Number.POSITIVE_INFINITY) - sent.get(id)!).sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
    return { p50: at(0.5), p95: at(0.95), max: latencies[latencies.length - 1]!, count: arrived.size };
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
