// The pure parts behind the dashboard: signed links, the daily series of a cycle, and the sentence
// that explains a charge drawn partly or not at all from an allowance.
import { createHmac } from 'node:crypto';
import { checkDashboardLink, checkInvoiceTicket, linkSecretFromApiKey, signDashboardLink, signInvoiceTicket } from '../../../server/src/domain/access/DashboardLink';
import { chargeSentence, paidFromSentence } from '../../../server/src/domain/report/explain';
import { dailySeries } from '../../../server/src/domain/report/dailySeries';

describe('dashboard links', () => {
  const secret = linkSecretFromApiKey('operator-key-0123456789');
  const grant = { account: 'dental', expiresAt: new Date('2026-03-17T12:00:00Z') };
  const token = signDashboardLink(grant, secret);

  test('a link opens its account until it expires, and not a second longer', () => {
    expect(checkDashboardLink(token, secret, new Date('2026-03-17T11:59:59Z'))).toEqual({ ok: true, grant });
    expect(checkDashboardLink(token, secret, new Date('2026-03-17T12:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  test('another API key, an altered account or a cut signature make the link worthless', () => {
    const now = new Date('2026-03-10T00:00:00Z');
    expect(checkDashboardLink(token, linkSecretFromApiKey('operator-key-rotated-000'), now)).toEqual({ ok: false, reason: 'forged' });
    const [prefix, , signature] = token.split('.');
    const other = Buffer.from(JSON.stringify({ a: 'bakery', e: 1_900_000_000 })).toString('base64url');
    expect(checkDashboardLink(`${prefix}.${other}.${signature}`, secret, now)).toEqual({ ok: false, reason: 'forged' });
    expect(checkDashboardLink(token.slice(0, -4), secret, now)).toEqual({ ok: false, reason: 'forged' });
  });

  test('anything not shaped like a link is malformed, even when signed', () => {
    const now = new Date('2026-03-10T00:00:00Z');
    for (const bad of ['', 'cmd1', 'cmd1.a', 'jwt.a.b', `${token}.extra`]) expect(checkDashboardLink(bad, secret, now)).toEqual({ ok: false, reason: 'malformed' });
    const payload = Buffer.from(JSON.stringify({ a: 7, e: 'soon' })).toString('base64url');
    const signed = createHmac('sha256', secret).update(`cmd1.${payload}`).digest('base64url');
    expect(checkDashboardLink(`cmd1.${payload}.${signed}`, secret, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('a link is read as base64url strictly: added characters or another spelling of the same bytes are malformed', () => {
    const now = new Date('2026-03-10T00:00:00Z');
    expect(checkDashboardLink(token, secret, now).ok).toBe(true);
    const [prefix, payload, signature] = token.split('.') as [string, string, string];
    // A 32-byte signature is 43 characters whose last carries 2 spare bits: 'A' and 'B' decode alike.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = `${signature.slice(0, -1)}${alphabet[alphabet.indexOf(signature.slice(-1)) ^ 1]}`;
    expect(Buffer.from(sameBytes, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    for (const bad of [`${token}!`, `${token}=`, `${prefix}.${payload}=.${signature}`, `${prefix}.${payload}.${sameBytes}`, `${prefix}.${payload}.${signature.slice(0, 20)}!${signature.slice(20)}`]) {
      expect([bad, checkDashboardLink(bad, secret, now)]).toEqual([bad, { ok: false, reason: 'malformed' }]);
    }
  });
});

describe('invoice page tickets', () => {
  const secret = linkSecretFromApiKey('operator-key-0123456789');
  const ticket = { account: 'dental', invoice: 'inv_1', expiresAt: new Date('2026-04-01T00:30:00Z') };
  const signed = signInvoiceTicket(ticket, secret);

  test('a ticket names its account and invoice until it expires', () => {
    expect(checkInvoiceTicket(signed, secret, new Date('2026-04-01T00:29:59Z'))).toEqual({ ok: true, ticket });
    expect(checkInvoiceTicket(signed, secret, new Date('2026-04-01T00:30:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  test('a ticket is no dashboard link, and a dashboard link is no ticket, even with the same claims signed', () => {
    const now = new Date('2026-04-01T00:00:00Z');
    const link = signDashboardLink({ account: 'dental', expiresAt: ticket.expiresAt }, secret);
    expect(checkDashboardLink(signed, secret, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkInvoiceTicket(link, secret, now)).toEqual({ ok: false, reason: 'malformed' });
    // The prefix is signed: a ticket's payload under the link's prefix does not verify.
    const [, payload, signature] = signed.split('.');
    expect(checkDashboardLink(`cmd1.${payload}.${signature}`, secret, now)).toEqual({ ok: false, reason: 'forged' });
  });

  test('another invoice or account in the same signature is forged', () => {
    const now = new Date('2026-04-01T00:00:00Z');
    const [prefix, , signature] = signed.split('.');
    const other = Buffer.from(JSON.stringify({ a: 'dental', i: 'inv_2', e: 1_900_000_000 })).toString('base64url');
    expect(checkInvoiceTicket(`${prefix}.${other}.${signature}`, secret, now)).toEqual({ ok: false, reason: 'forged' });
  });
});

describe('the daily series of a cycle', () => {
  const march = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };

  test('every day of the cycle is there, zero where nothing was used, channels by cost', () => {
    const series = dailySeries(march, [
      { day: '2026-03-03', channel: 'voice', amount: '6' },
      { day: '2026-03-04', channel: 'voice', amount: '0.225' },
      { day: '2026-03-04', channel: 'sms', amount: '0.5' },
    ]);
    expect(series.days).toHaveLength(31);
    expect(series.days[30]).toBe('2026-03-31');
    expect(series.channels.map((c) => [c.channel, c.name])).toEqual([['voice', 'Voice'], ['sms', 'SMS']]);
    expect(series.channels[0]!.amounts.slice(0, 5)).toEqual(['0', '0', '6', '0.225', '0']);
    expect(series.totals.slice(0, 5)).toEqual(['0', '0', '6', '0.725', '0']);
  });

  test('a cycle anchored at 15:00 covers the days it touches; days outside it are left out', () => {
    const cycle = { start: new Date('2026-01-31T15:00:00Z'), end: new Date('2026-02-28T15:00:00Z') };
    const series = dailySeries(cycle, [{ day: '2026-03-01', channel: 'voice', amount: '9' }]);
    expect(series.days[0]).toBe('2026-01-31');
    expect(series.days[series.days.length - 1]).toBe('2026-02-28');
    expect(series.days).toHaveLength(29);
    expect(series.channels).toEqual([]);
  });
});

describe('the sentence of a charge drawn from an allowance', () => {
  const charge = {
    service: 'call_minutes',
    name: 'Call minutes',
    channel: 'voice',
    unit: 'second',
    rawQuantity: '9000',
    billedQuantity: '9000',
    increments: '1/1',
    chargeableQuantity: '3000',
    rate: { amount: '0.12', per: 60 },
    amount: '6',
  };

  test('part covered: the seconds covered and the minutes they used', () => {
    expect(chargeSentence({ ...charge, allowance: { meter: 'minutes', unit: 'minute', used: '100', usedUnits: '6000' } }, 'EUR')).toBe(
      'Call minutes: 9000 seconds measured; billed in 1/1 increments as 9000 seconds; 6000 seconds covered by the included minutes (100 minutes); 3000 seconds charged at 0.12 EUR per minute = 6 EUR.',
    );
  });

  test('nothing covered: the allowance was used up', () => {
    expect(chargeSentence({ ...charge, chargeableQuantity: '9000', amount: '18', allowance: { meter: 'minutes', unit: 'minute', used: '0', usedUnits: '0' } }, 'EUR')).toBe(
      'Call minutes: 9000 seconds measured; billed in 1/1 increments as 9000 seconds; the included minutes were used up; 9000 seconds charged at 0.12 EUR per minute = 18 EUR.',
    );
  });
});

describe('what paid a charge, as a sentence', () => {
  test('one grant, several grants, and debt beyond them', () => {
    expect(paidFromSentence([{ grant: 'grt_1', kind: 'plan_credits', amount: '100' }], 'credits')).toBe('Paid from the plan credits grt_1 (100 credits).');
    expect(
      paidFromSentence(
        [
          { grant: 'grt_1', kind: 'plan_credits', amount: '100' },
          { grant: 'grt_2', kind: 'topup', amount: '40' },
          { grant: null, kind: 'debt', amount: '2.5' },
        ],
        'credits',
      ),
    ).toBe('Paid from the plan credits grt_1 (100 credits), the top-up grt_2 (40 credits) and what is owed beyond every grant (2.5 credits).');
    expect(paidFromSentence([], 'credits')).toBeUndefined();
  });
});
