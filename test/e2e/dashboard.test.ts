// The dashboard in a real browser (Debian's headless Chromium driven by playwright-core) against a
// real server with real usage: the figures on the page, its live update when usage arrives, a
// phone-sized screen, an expired link and the operator's sign-in, each checked with axe-core
// against WCAG 2.1 AA. Screenshots land in test/e2e/screenshots for a person to look at.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { recordCall, seedDentalStudio } from '../server/support/dentalStudio';
import { startTestServer, type TestServer } from '../server/support/servers';
import { ensureChromium } from './support/chromium';

const SCREENSHOTS = join(__dirname, 'screenshots');

describe('the dashboard in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let link: string;

  beforeAll(async () => {
    const executablePath = ensureChromium((line) => process.stderr.write(`${line}\n`));
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer('pglite', { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    await seedDentalStudio(server);
    link = (await server.call('POST', '/v1/accounts/dental/dashboard-links', {})).body.url;
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 120_000);
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A page that fails the test on any script error or refused resource (a CSP violation, say). */
  async function open(viewport: { width: number; height: number }, url: string, mobile = false): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'Europe/Berlin', isMobile: mobile, hasTouch: mobile, deviceScaleFactor: mobile ? 2 : 1 });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().includes('/dashboard/api/')) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(url);
    return { page, problems };
  }

  const textOf = (page: Page, selector: string) => page.locator(selector).innerText();

  /** What axe-core finds against WCAG 2.1 A and AA that is serious or critical, one line each. */
  async function accessibilityProblems(page: Page): Promise<string[]> {
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  test('a customer opens the link and sees their balance, allowance, costs, charts and charges; it updates live', async () => {
    const { page, problems } = await open({ width: 1280, height: 900 }, link);
    await page.locator('#live[data-state="on"]').waitFor();
    await page.locator('#dashboard:not([hidden])').waitFor();

    // The token left the address bar once read.
    expect(page.url()).toBe(`${server.url}/dashboard`);
    expect(await textOf(page, '#account-name')).toBe('Dental Studio Mitte');
    expect(await textOf(page, '#account-plan')).toBe('Starter · billed monthly · dental');
    expect(await textOf(page, '#account-status')).toBe('active');
    // Starter is postpaid: usage beyond the allowance accrues for the invoice.
    expect(await page.locator('#available-title').textContent()).toBe('Accrued for the next invoice');
    expect(await textOf(page, '#available')).toBe('7.03 EUR');
    // Cost so far 7.025 EUR, shown to the cent; forecast 6.225 × 31 / 9.5 + 0.80 = 21.11 EUR.
    expect(await textOf(page, '#cost-so-far')).toBe('7.03 EUR');
    expect(await textOf(page, '#forecast')).toBe('21.11 EUR');
    expect(await textOf(page, '#cycle-line')).toBe('Mar 1, 2026 – Mar 31, 2026');
    // The next invoice as the closing will issue it: 59.00 + 6.18 + 0.05 + 0.80 = 66.03 net, 19% VAT 12.55, 78.58.
    expect(await textOf(page, '#next-bill-line')).toBe('Issued on Apr 1, 2026 for Mar 1, 2026 – Mar 31, 2026, as it stands now. Usage from now on adds to it.');
    expect(await page.locator('#next-bill tbody tr').allInnerTexts()).toEqual([
      'Starter plan, 2026-03-01 – 2026-03-31\t59.00 EUR',
      'Call minutes, 2026-03-01 – 2026-03-31\t6.18 EUR',
      'Carrier surcharge, 2026-03-01 – 2026-03-31\t0.05 EUR',
      'Phone number +12125550123 (local, US), 2026-03-10 – 2026-03-31\t0.80 EUR',
      'Included minutes, 2026-03-01 – 2026-03-31: 500 of 500 minutes used\t0.00 EUR',
      'Net\t66.03 EUR',
      'VAT 19%\t12.55 EUR',
      'Total\t78.58 EUR',
    ]);
    expect(await textOf(page, '.allowance[data-meter="minutes"] .allowance-figures')).toBe('500 of 500 minutes used · 0 left');
    expect(await page.locator('.allowance[data-meter="minutes"] .bar').getAttribute('aria-valuenow')).toBe('100');
    expect(await textOf(page, '#channels-table tr[data-channel="voice"] td')).toBe('6.23 EUR');
    expect(await textOf(page, '#channels-table tr[data-channel="phone_numbers"] td')).toBe('0.80 EUR');
    expect(await page.locator('#numbers tr[data-number="+12125550123"]').innerText()).toBe('+12125550123\tLocal · United States\t1.15 EUR a month');
    expect(await page.locator('#charges .charge').count()).toBe(6);
    const latest = page.locator('#charges .charge').first();
    expect(await latest.getAttribute('data-event')).toBe('d3');
    expect(await latest.locator('.explanation').allInnerTexts()).toEqual([
      'Call minutes: 90 seconds measured; billed in 1/1 increments as 90 seconds; the included minutes were used up; 90 seconds charged at 0.12 EUR per minute = 0.18 EUR.',
      'Carrier surcharge: 90 seconds measured; billed in 1/1 increments as 90 seconds; 90 seconds charged at 0.03 EUR per minute = 0.05 EUR. Carriers of some destination countries add a surcharge per minute.',
    ]);

    // The charts hold the same figures: voice and the number's rent, and 6.00 on 3 March, 0.225 on 4 March.
    expect(await page.evaluate('Chart.getChart("channels-chart").data.datasets[0].data')).toEqual([6.225, 0.8]);
    expect(await page.evaluate('Chart.getChart("daily-chart").data.datasets[0].data.slice(0, 5)')).toEqual([0, 0, 6, 0.225, 0]);
    expect(await page.evaluate('Chart.getChart("daily-chart").data.labels.length')).toBe(31);

    // A minute of call arrives: 0.12 EUR more, without a reload.
    await recordCall(server, 'live-1', '2026-03-10T11:00:00Z', 60);
    await page.locator('#cost-so-far', { hasText: /^7\.15 EUR$/ }).waitFor();
    expect(await textOf(page, '#available')).toBe('7.15 EUR');
    // One more minute beyond the allowance: 52.5 minutes at 0.12 = 6.30; 66.15 net, VAT 12.5685 → 12.57, 78.72.
    expect(await textOf(page, '#next-bill tr[data-line="total"] td')).toBe('78.72 EUR');
    expect(await page.locator('#charges .charge').first().getAttribute('data-event')).toBe('live-1');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-desktop.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('on a phone-sized screen everything fits the width', async () => {
    const { page, problems } = await open({ width: 390, height: 844 }, link, true);
    await page.locator('#dashboard:not([hidden])').waitFor();
    expect(await textOf(page, '#forecast')).toMatch(/ EUR$/);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-phone.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('a window narrowed from 1440 to 1024 pixels keeps the charts inside their panels', async () => {
    const { page, problems } = await open({ width: 1440, height: 900 }, link);
    await page.locator('#dashboard:not([hidden])').waitFor();
    await page.setViewportSize({ width: 1024, height: 900 });
    // Chart.js resizes on a later frame; the grid must have let the canvas shrink by then. Polled from
    // here: waitForFunction evaluates its string inside the page, which the page's CSP forbids.
    for (let tries = 0; ((await page.locator('#daily-chart').boundingBox())?.width ?? Infinity) >= 700; tries += 1) {
      if (tries > 50) throw new Error('the daily chart did not shrink with the window');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const overflow = await page.evaluate(`[...document.querySelectorAll('.charts .panel')].map((panel) => {
      const box = panel.getBoundingClientRect();
      const chart = panel.querySelector('canvas').getBoundingClientRect();
      return { panelEnd: Math.round(box.right), chartEnd: Math.round(chart.right), page: document.documentElement.clientWidth };
    })`);
    for (const { panelEnd, chartEnd, page: width } of overflow as { panelEnd: number; chartEnd: number; page: number }[]) {
      expect(chartEnd).toBeLessThanOrEqual(panelEnd);
      expect(panelEnd).toBeLessThanOrEqual(width);
    }
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-narrowed.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  test("a German account's dashboard speaks German: its words, figures, days and times in Berlin, whatever the browser's language", async () => {
    // Starter, 500 included minutes: a 90-second call on 10 March, 11:00 UTC (12:00 in Berlin) is
    // inside them. Opened on 10 March at 12:00, its plan is billed for 21.5 of March's 31 days:
    // 59.00 × 21.5 / 31 = 40.92 EUR, VAT 19% 7.77, 48.69.
    expect(
      (await server.call('POST', '/v1/accounts', { id: 'praxis', name: 'Zahnarztpraxis Mitte', plan: 'starter', anchor: '2026-03-01T00:00:00Z', locale: 'de-DE', timeZone: 'Europe/Berlin' })).status,
    ).toBe(201);
    const call = { id: 'p-1', account: 'praxis', type: 'call', timestamp: '2026-03-10T11:00:00Z', data: { duration_seconds: 90 } };
    expect((await server.call('POST', '/v1/events', call)).status).toBe(201);
    const praxis = (await server.call('POST', '/v1/accounts/praxis/dashboard-links', {})).body.url;
    // The browser speaks American English: the account's language decides.
    const { page, problems } = await open({ width: 1280, height: 900 }, praxis);
    await page.locator('#live[data-state="on"]').waitFor();
    await page.locator('#dashboard:not([hidden])').waitFor();

    expect(await page.evaluate('document.documentElement.lang')).toBe('de-DE');
    expect(await page.title()).toBe('Zahnarztpraxis Mitte · Verbrauchsübersicht');
    expect(await textOf(page, '#account-plan')).toBe('Starter · monatliche Abrechnung · praxis');
    expect(await textOf(page, '#account-status')).toBe('aktiv');
    expect(await page.locator('#available-title').textContent()).toBe('Aufgelaufen für die nächste Rechnung');
    expect(await textOf(page, '#available')).toBe('0,00\u00a0€');
    expect(await textOf(page, '#cycle-line')).toBe('01.03.2026 – 31.03.2026');
    expect(await page.locator('#next-bill-title').textContent()).toBe('Nächste Rechnung');
    expect(await textOf(page, '#next-bill-line')).toBe('Wird am 01.04.2026 für 01.03.2026 – 31.03.2026 erstellt, nach aktuellem Stand. Weitere Nutzung kommt hinzu.');
    expect((await page.locator('#next-bill tbody tr').allInnerTexts()).slice(-3)).toEqual(['Zwischensumme\t40,92\u00a0€', 'USt. 19 %\t7,77\u00a0€', 'Gesamtbetrag\t48,69\u00a0€']);
    expect((await page.locator('#next-bill tbody tr').allInnerTexts())[0]).toBe(
      'Tarif Starter, 10.03.2026 – 31.03.2026 (anteilig im Abrechnungszeitraum 01.03.2026 – 31.03.2026)\t40,92\u00a0€',
    );
    expect(await page.locator('#allowances-title').textContent()).toBe('Inklusivkontingente');
    expect(await page.locator('.allowance[data-meter="minutes"] strong').textContent()).toBe('Minuten');
    expect(await textOf(page, '.allowance[data-meter="minutes"] .allowance-figures')).toBe('1,5 von 500 Minuten genutzt · 498,5 übrig');
    expect(await page.locator('#channels-table tr.total th').textContent()).toBe('Gesamt');
    expect(await page.locator('#channels-title').textContent()).toBe('Kosten nach Kanal');
    expect(await textOf(page, '#invoices')).toBe('Noch keine Rechnungen: Die erste kommt, wenn dieser Zeitraum endet.');
    expect(await textOf(page, '#numbers')).toBe('Keine Rufnummern gemietet.');
    const charge = page.locator('#charges .charge[data-event="p-1"]');
    expect(await charge.locator('.charge-type').textContent()).toBe('Anruf');
    expect(await charge.locator('.charge-when').innerText()).toBe('10.03.2026, 12:00 MEZ');
    expect(await charge.locator('.explanation').allInnerTexts()).toEqual([
      'Call minutes: 90 Sekunden gemessen; im Takt 1/1 abgerechnet als 90 Sekunden; 90 Sekunden aus dem Inklusivkontingent an Minuten gedeckt (1,5 Minuten); 0 Sekunden berechnet zu 0,12\u00a0€ pro Minute = 0\u00a0€.',
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-german.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('an expired link shows why and offers the sign-in; the operator signs in with the key and an account', async () => {
    const short = (await server.call('POST', '/v1/accounts/dental/dashboard-links', { expiresInHours: 1 })).body.url;
    server.clock.advance(2 * 60 * 60 * 1000);
    try {
      const { page } = await open({ width: 1024, height: 768 }, short);
      await page.locator('#message:not([hidden])').waitFor();
      expect(await textOf(page, '#message')).toBe('This dashboard link has expired; ask for a new one.');
      expect(await page.locator('#dashboard').isHidden()).toBe(true);

      await page.locator('input[name="token"]').fill(server.apiKey);
      await page.locator('input[name="account"]').fill('bakery');
      await page.locator('#sign-in button[type="submit"]').click();
      await page.locator('#live[data-state="on"]').waitFor();
      // The live feed may open before the first summary is drawn: the figures show with the dashboard.
      await page.locator('#dashboard:not([hidden])').waitFor();
      expect(await textOf(page, '#account-name')).toBe('Bakery');
      expect(await textOf(page, '#allowances')).toBe('This plan has no included allowances.');
      expect(await textOf(page, '#charges')).toBe('No usage yet this cycle.');
      expect(await textOf(page, '#numbers')).toBe('No numbers rented.');
    } finally {
      server.clock.set('2026-03-10T12:00:00Z');
    }
  });

  test('when the cycle closes, its invoice appears without a reload, its PDF downloads and its page opens', async () => {
    // A link that outlives the cycle's end.
    const quarter = (await server.call('POST', '/v1/accounts/dental/dashboard-links', { expiresInHours: 2160 })).body.url;
    const { page, problems } = await open({ width: 1280, height: 900 }, quarter);
    await page.locator('#live[data-state="on"]').waitFor();
    await page.locator('#dashboard:not([hidden])').waitFor();
    expect(await textOf(page, '#invoices')).toBe('No invoices yet: the first comes when this cycle closes.');

    // March closes: 59.00 plan + 6.18 + 0.05 overage (with the live minute: 6.30) + 0.80 rent.
    server.clock.set('2026-04-01T00:00:01Z');
    expect((await server.call('POST', '/v1/accounts/dental/cycles/close')).body.closed).toHaveLength(1);
    const row = page.locator('#invoices tr[data-invoice="CM-2026-000001"]');
    await row.waitFor();
    const invoice = (await server.call('GET', '/v1/accounts/dental/invoices')).body.invoices[0];
    expect(await row.locator('td.num').first().innerText()).toBe(`${invoice.gross} EUR`);
    expect(await row.innerText()).toContain('Open');
    // Until it is paid it says when it is due (14 days after April 1), in the reader's locale.
    expect(await row.locator('.invoice-due').innerText()).toMatch(/^due .*15/);

    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button').click()]);
    expect(download.suggestedFilename()).toBe('CM-2026-000001.pdf');
    expect(readFileSync(await download.path()).subarray(0, 5).toString()).toBe('%PDF-');

    // Its page opens in a tab of its own from the link, without the dashboard's credentials.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), row.locator('a', { hasText: 'View' }).click()]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe(`/dashboard/invoices/${invoice.id}.html`);
    expect(await tab.locator('body').innerText()).toContain('CM-2026-000001');
    await tab.screenshot({ path: join(SCREENSHOTS, 'invoice-page.png'), fullPage: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-after-close.png'), fullPage: true });
    expect(problems).toEqual([]);

    // The German account's March closes too: its invoice, as its dashboard foretold (40.92 net,
    // 7.77 VAT, 48.69), opens from its German dashboard and reads German end to end.
    expect((await server.call('POST', '/v1/accounts/praxis/cycles/close')).body.closed).toHaveLength(1);
    const praxis = (await server.call('POST', '/v1/accounts/praxis/dashboard-links', { expiresInHours: 24 })).body.url;
    const german = await open({ width: 1280, height: 900 }, praxis);
    const germanRow = german.page.locator('#invoices tr[data-invoice="CM-2026-000002"]');
    await germanRow.waitFor();
    expect(await germanRow.innerText()).toContain('Offen');
    expect(await germanRow.locator('.invoice-due').innerText()).toBe('fällig am 15.04.2026');
    const [germanTab] = await Promise.all([german.page.context().waitForEvent('page'), germanRow.locator('a', { hasText: 'Ansehen' }).click()]);
    await germanTab.waitForLoadState();
    expect(await germanTab.locator('html').getAttribute('lang')).toBe('de-DE');
    const invoiceText = (await germanTab.locator('body').innerText()).replace(/\u00a0/g, ' ');
    for (const shown of [
      'Rechnung',
      'Rechnungsdatum 01.04.2026',
      'Fällig am 15.04.2026',
      'Kundennummer praxis',
      'Leistungszeitraum 01.03.2026 – 31.03.2026',
      'Tarif Starter, 10.03.2026 – 31.03.2026 (anteilig im Abrechnungszeitraum 01.03.2026 – 31.03.2026)',
      'Inklusive Minuten, 01.03.2026 – 31.03.2026: 1,5 von 500 Minuten genutzt',
      'Zwischensumme',
      'USt. 19 % auf 40,92 €',
      'Gesamtbetrag',
      '48,69 €',
      'Bitte zahlen Sie 48,69 € bis zum 15.04.2026',
    ]) {
      expect(invoiceText).toContain(shown);
    }
    await germanTab.screenshot({ path: join(SCREENSHOTS, 'invoice-page-german.png'), fullPage: true });
    expect(german.problems).toEqual([]);
  });

  test('a failed payment shows above the figures as soon as it is recorded, with what to do', async () => {
    const fresh = (await server.call('POST', '/v1/accounts/dental/dashboard-links', { expiresInHours: 24 })).body.url;
    const { page, problems } = await open({ width: 1280, height: 900 }, fresh);
    await page.locator('#live[data-state="on"]').waitFor();
    await page.locator('#dashboard:not([hidden])').waitFor();
    expect(await page.locator('#notices').isHidden()).toBe(true);
    const invoice = (await server.call('GET', '/v1/accounts/dental/invoices')).body.invoices[0];
    expect((await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'failed', reason: 'card_declined' })).status).toBe(200);
    const notice = page.locator('#notices .notice[data-kind="payment_failed"]');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(
      `The payment of invoice CM-2026-000001 failed on ${server.clock.now().toISOString().slice(0, 10)} (card declined). Pay the invoice or update the payment method to keep the service running.`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-payment-failed.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  test("a prepaid plan's credit package shows as its allowance; a paused account says why, and tops up from the page", async () => {
    const credits = await startTestServer('pglite', { catalog: 'credits', now: '2026-03-10T12:00:00Z' });
    try {
      expect((await credits.call('POST', '/v1/accounts', { id: 'studio', name: 'Studio', plan: 'starter' })).status).toBe(201);
      const studio = (await credits.call('POST', '/v1/accounts/studio/dashboard-links', {})).body.url;
      const first = await open({ width: 1280, height: 900 }, studio);
      await first.page.locator('#dashboard:not([hidden])').waitFor();
      // Starter grants 150,000 credits a month, lapsing when the cycle ends (9 April, 10:00 UTC anchor).
      expect(await textOf(first.page, '.allowance[data-meter="plan_credits"] .allowance-figures')).toMatch(/^150,000 of 150,000 credits left · lapse on /);
      expect(await first.page.locator('#notices').isHidden()).toBe(true);
      expect(first.problems).toEqual([]);

      // Pay as you go: 100 credits topped up, then a 2-minute call at 95 credits a minute (190).
      expect((await credits.call('POST', '/v1/accounts', { id: 'kiosk', name: 'Kiosk', plan: 'payg' })).status).toBe(201);
      expect((await credits.call('POST', '/v1/accounts/kiosk/topups', { amount: '100', reference: 'opening' })).status).toBe(201);
      const call = { id: 'k-1', account: 'kiosk', type: 'call', timestamp: '2026-03-10T12:00:00Z', data: { duration_seconds: 120, input_tokens: 0, output_tokens: 0 } };
      expect((await credits.call('POST', '/v1/events', call)).status).toBe(201);
      expect((await credits.call('GET', '/v1/accounts/kiosk/balance')).body).toMatchObject({ balance: '-90', status: 'paused' });
      const kiosk = (await credits.call('POST', '/v1/accounts/kiosk/dashboard-links', {})).body.url;
      const { page, problems } = await open({ width: 390, height: 844 }, kiosk, true);
      const notice = page.locator('#notices .notice[data-kind="paused"]');
      await notice.waitFor();
      // With the pause notice, an empty cost chart and the Top up form on a phone.
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(await notice.innerText()).toBe('Service is paused: the balance of -90 credits cannot cover further usage, so calls and messages that cost credits are refused. Top up to resume at once.');
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-paused-phone.png'), fullPage: true });

      // Top up: 1,000 credits at 0.40 EUR per 1,000. The operator's flow answers with a checkout
      // link, which the page offers as it arrives; the top-up with the request's id ends the pause.
      expect(await textOf(page, '#top-up-unit')).toBe('credits');
      await page.locator('#top-up-amount').fill('1000');
      expect(await textOf(page, '#top-up-price')).toBe('≈ 0.40 EUR net, plus VAT');
      await page.locator('#top-up-form button[type="submit"]').click();
      await page.locator('#top-up-status', { hasText: /^Requested 1,000 credits \(0\.40 EUR net\) at / }).waitFor();
      const [request] = (await credits.db.query<{ id: string }>(`SELECT id FROM topup_requests WHERE account_id = 'kiosk'`));
      const checkout = 'https://checkout.stripe.com/c/pay/cs_test_kiosk';
      expect((await credits.call('POST', `/v1/topup-requests/${request!.id}/checkout`, { url: checkout })).status).toBe(200);
      const pay = page.locator('#top-up-pay:not([hidden])');
      await pay.waitFor();
      expect(await pay.innerText()).toBe('Pay 0.40 EUR net');
      expect(await pay.getAttribute('href')).toBe(checkout);
      expect((await credits.call('POST', '/v1/accounts/kiosk/topups', { amount: '1000', reference: request!.id })).status).toBe(201);
      await page.locator('#top-up-status', { hasText: /^Paid: 1,000 credits were added on / }).waitFor();
      await page.locator('#notices').waitFor({ state: 'hidden' });
      expect(await page.locator('#top-up-pay').isHidden()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-topped-up-phone.png'), fullPage: true });
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await credits.stop();
    }
  });
});
