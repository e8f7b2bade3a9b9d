// GET /v1/plans as the n8n node's pickers read it: plans, add-ons, the event types the catalog
// prices and the meters its allowances count, straight from the catalog files.
import { startTestServer, type TestServer } from '../support/servers';

describe('the catalog lists a client builds its pickers from', () => {
  let servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });
  const plansOf = async (catalog: string) => {
    const server = await startTestServer('pglite', { catalog });
    servers.push(server);
    return (await server.call('GET', '/v1/plans')).body;
  };

  test('the credits preset prices chat, calls, SMS and WhatsApp, and its plans count no meters', async () => {
    const plans = await plansOf('credits');
    expect(plans.eventTypes).toEqual(['chat', 'call', 'sms', 'whatsapp']);
    expect(plans.meters).toEqual([]);
  });

  test('the minutes preset prices calls and counts minutes, listed once though two plans include them', async () => {
    const plans = await plansOf('minutes');
    expect(plans.eventTypes).toEqual(['call']);
    expect(plans.meters).toEqual([{ meter: 'minutes', unit: 'minute' }]);
    expect(plans.addOns).toEqual([expect.objectContaining({ code: 'extra_minutes_100', allowance: { meter: 'minutes', units: '100' } })]);
  });
});
