// One account's cycle used by the dashboard tests. Minutes preset (DOMAIN.md model 1), plan
// Starter: 500 included minutes a month, then 0.12 EUR a minute billed per second; calls to the US
// add a carrier surcharge of 0.03 EUR a minute that the allowance does not cover. A US local number
// rents for 1.15 EUR a month.
import type { TestServer } from './servers';

export const DENTAL_NOW = '2026-03-10T12:00:00Z';

export async function recordCall(server: TestServer, id: string, timestamp: string, seconds: number, data: object = {}): Promise<void> {
  const response = await server.call('POST', '/v1/events', { id, account: 'dental', type: 'call', timestamp, data: { duration_seconds: seconds, direction: 'outbound', ...data } });
  if (response.status !== 201) throw new Error(`call ${id} was not recorded: ${JSON.stringify(response.body)}`);
}

/**
 * Opens 'dental' (Starter, anchored on 1 March) and 'bakery' (pay as you go), and records, as of
 * 10 March 12:00 UTC: 2 March, four calls of 100 minutes (inside the allowance); 3 March, 150
 * minutes, the last 50 beyond it (50 × 0.12 = 6.00 EUR); 4 March, 90 seconds to the US
 * (1.5 × 0.12 = 0.18 plus 1.5 × 0.03 = 0.045): usage 6.225 EUR. Then, on 10 March 12:00, it rents a
 * US local number: 21.5 of 31 days of 1.15 EUR = 0.80 EUR. Cost so far: 7.025 EUR.
 */
export async function seedDentalStudio(server: TestServer): Promise<void> {
  await server.call('POST', '/v1/accounts', { id: 'dental', name: 'Dental Studio Mitte', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
  await server.call('POST', '/v1/accounts', { id: 'bakery', name: 'Bakery', plan: 'payg' });
  server.clock.set(DENTAL_NOW);
  for (let i = 0; i < 4; i += 1) await recordCall(server, `d1-${i}`, `2026-03-02T0${i}:00:00Z`, 6000);
  await recordCall(server, 'd2', '2026-03-03T09:00:00Z', 9000);
  await recordCall(server, 'd3', '2026-03-04T15:30:00Z', 90, { destination_country: 'US' });
  const rented = await server.call('POST', '/v1/accounts/dental/phone-numbers', { number: '+12125550123', type: 'local', country: 'US' });
  if (rented.status !== 201) throw new Error(`number not rented: ${JSON.stringify(rented.body)}`);
}
