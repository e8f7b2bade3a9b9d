// The dashboard page: reads one account's summary, draws it, and reads it again whenever the
// server's live stream says the account changed. Credentials come from the link's fragment
// (never sent to the server in a URL) and stay in this tab's session storage.
'use strict';

(() => {
  const CREDENTIALS = 'creditmeter.dashboard';
  const RECONNECT_MS = [1000, 2000, 5000, 10000];
  const $ = (id) => document.getElementById(id);
  const charts = {};
  let credentials;
  let currency = '';

  // ---- texts -------------------------------------------------------------------------------
  // The page's words in each language the server writes (server/src/domain/display/texts): the
  // account's locale picks one. The server's own sentences (notices, explanations) come written in
  // it; the words here are the page's. A key missing in a language falls back to English.
  const TEXTS = {
    en: {
      pageTitle: 'Usage dashboard · creditmeter',
      usageDashboard: 'Usage dashboard',
      notices: 'Notices',
      balanceAndCost: 'Balance and cost',
      available: 'Available',
      costThisCycle: 'Cost this cycle',
      forecastToCycleEnd: 'Forecast to cycle end',
      topUp: 'Top up',
      amountIn: 'Amount in',
      requestTopUp: 'Request a top-up',
      nextInvoice: 'Next invoice',
      nextInvoiceCaption: 'The next invoice as it stands now, line by line, with VAT',
      line: 'Line',
      net: 'Net',
      includedAllowances: 'Included allowances',
      costByChannel: 'Cost by channel',
      costByChannelChart: 'Cost by channel: the table below holds its figures',
      noCostsYet: 'No costs yet this cycle.',
      dailyCost: 'Daily cost this cycle',
      dailyCostChart: 'Daily cost this cycle: the table that follows holds its figures',
      noDailyCostsYet: "No costs yet this cycle: each day's cost shows here as it comes.",
      dailyCostCaption: 'Daily cost this cycle, by channel',
      phoneNumbers: 'Phone numbers',
      invoices: 'Invoices',
      recentCharges: 'Recent charges',
      openDashboard: 'Open a dashboard',
      signInHint: 'Open the link your provider sent you, or sign in as the operator.',
      tokenLabel: 'API key or link token',
      accountLabel: 'Account ID (operator only)',
      open: 'Open',
      billed: (interval) => (interval === 'year' ? 'billed yearly' : 'billed monthly'),
      status: { active: 'active', paused: 'paused' },
      documentTitle: (name) => `${name} · usage dashboard`,
      held: (amount) => `, ${amount} held for calls in progress`,
      accrued: 'Accrued for the next invoice',
      accruedLine: (held) => `Usage beyond the plan and fees, billed at the cycle's end${held}`,
      worth: (amount) => `, worth ${amount}`,
      balanceLine: (balance, rest) => `Balance ${balance}${rest}`,
      forecastLine: (rate) => `Usage and rents, net: ${rate} a day so far`,
      ended: 'This subscription has ended: nothing more will be invoiced.',
      lastInvoice: ' It is the last invoice of this subscription.',
      usageAdds: ' Usage from now on adds to it.',
      issuedOn: (day, from, to, rest) => `Issued on ${day} for ${from} – ${to}, as it stands now.${rest}`,
      nothingToInvoice: 'Nothing to invoice for this cycle so far.',
      vat: (rate) => `VAT ${rate}%`,
      total: 'Total',
      requested: (amount, net, at) => `Requested ${amount}${net ? ` (${net} net)` : ''} at ${at}. Your payment link is on its way; it appears here.`,
      linkReady: (amount) => `Your payment link for ${amount} is ready.`,
      paidAdded: (amount, at) => `Paid: ${amount} were added on ${at}.`,
      payNet: (amount) => `Pay ${amount} net`,
      payNow: 'Pay now',
      priceNet: (amount) => `≈ ${amount} net, plus VAT`,
      topUpFailed: (why) => `Could not request the top-up: ${why}`,
      planCredits: 'plan credits',
      planCreditsUsed: 'Plan credits used',
      lapseOn: (day) => ` · lapse on ${day}`,
      creditsLeft: (remaining, amount, lapse) => `${remaining} of ${amount} left${lapse}`,
      noAllowances: 'This plan has no included allowances.',
      usedUnlimited: (used) => `${used} used · unlimited`,
      usedOf: (used, included, left) => `${used} of ${included} used · ${left} left`,
      meterUsed: (meter) => `${meter} used`,
      day: 'Day',
      noNumbers: 'No numbers rented.',
      numberTypes: { local: 'Local', mobile: 'Mobile' },
      aMonth: (amount) => `${amount} a month`,
      invoiceStatus: { draft: 'Draft', open: 'Open', paid: 'Paid', failed: 'Payment failed', void: 'Void' },
      heldForAddress: 'held until your billing address is given',
      downloadFailed: (number, why) => `Could not download ${number}: ${why}`,
      noInvoices: 'No invoices yet: the first comes when this cycle closes.',
      overdueSince: (day) => `overdue since ${day}`,
      due: (day) => `due ${day}`,
      view: 'View',
      viewInvoice: (number) => `View invoice ${number}`,
      downloadInvoice: (number) => `Download invoice ${number} as PDF`,
      downloadXml: (number) => `XML: download invoice ${number} as an XRechnung e-invoice`,
      downloadZugferd: (number) => `ZUGFeRD: download invoice ${number} as a PDF with its e-invoice`,
      noUsage: 'No usage yet this cycle.',
      voidedOn: (at, reason) => `Voided on ${at}: ${reason}. It no longer counts.`,
      eventDetails: 'Event details',
      eventId: 'Event ID',
      version: 'Version',
      amended: (version) => `${version} (amended)`,
      recorded: 'Recorded',
      paidFrom: 'Paid from',
      serverAnswered: (status) => `The server answered ${status}.`,
      readFailed: (why) => `Could not read the dashboard: ${why}`,
      live: 'Live',
      reconnecting: 'Reconnecting…',
      offline: 'Offline',
      expired: 'This dashboard link has expired; ask for a new one.',
      channels: {},
      tableTotal: 'Total',
      eventTypes: {},
      /** An allowance's meter: the catalog's code in words. */
      meter: (meter) => meter.replaceAll('_', ' '),
      /** A unit counted: the catalog's word, an s for many. */
      units: (unit) => `${unit}s`,
      /** A balance unit that is no currency code, as the figures name it. */
      balanceUnit: (unit) => unit,
    },
    de: {
      pageTitle: 'Verbrauchsübersicht · creditmeter',
      usageDashboard: 'Verbrauchsübersicht',
      notices: 'Hinweise',
      balanceAndCost: 'Guthaben und Kosten',
      available: 'Verfügbar',
      costThisCycle: 'Kosten in diesem Zeitraum',
      forecastToCycleEnd: 'Prognose bis zum Ende des Zeitraums',
      topUp: 'Guthaben aufladen',
      amountIn: 'Betrag in',
      requestTopUp: 'Aufladung anfordern',
      nextInvoice: 'Nächste Rechnung',
      nextInvoiceCaption: 'Die nächste Rechnung nach aktuellem Stand, Position für Position, mit Umsatzsteuer',
      line: 'Position',
      net: 'Zwischensumme',
      includedAllowances: 'Inklusivkontingente',
      costByChannel: 'Kosten nach Kanal',
      costByChannelChart: 'Kosten nach Kanal: Die Tabelle darunter enthält die Zahlen',
      noCostsYet: 'In diesem Zeitraum sind noch keine Kosten angefallen.',
      dailyCost: 'Tägliche Kosten in diesem Zeitraum',
      dailyCostChart: 'Tägliche Kosten in diesem Zeitraum: Die folgende Tabelle enthält die Zahlen',
      noDailyCostsYet: 'In diesem Zeitraum sind noch keine Kosten angefallen: Die Kosten jedes Tages erscheinen hier, sobald sie entstehen.',
      dailyCostCaption: 'Tägliche Kosten in diesem Zeitraum, nach Kanal',
      phoneNumbers: 'Rufnummern',
      invoices: 'Rechnungen',
      recentCharges: 'Letzte Buchungen',
      openDashboard: 'Übersicht öffnen',
      signInHint: 'Öffnen Sie den Link, den Ihr Anbieter Ihnen geschickt hat, oder melden Sie sich als Betreiber an.',
      tokenLabel: 'API-Schlüssel oder Link-Token',
      accountLabel: 'Konto-ID (nur Betreiber)',
      open: 'Öffnen',
      billed: (interval) => (interval === 'year' ? 'jährliche Abrechnung' : 'monatliche Abrechnung'),
      status: { active: 'aktiv', paused: 'pausiert' },
      documentTitle: (name) => `${name} · Verbrauchsübersicht`,
      held: (amount) => `, davon ${amount} für laufende Anrufe reserviert`,
      accrued: 'Aufgelaufen für die nächste Rechnung',
      accruedLine: (held) => `Nutzung über Tarif und Gebühren hinaus, abgerechnet am Ende des Zeitraums${held}`,
      worth: (amount) => `, Wert ${amount}`,
      balanceLine: (balance, rest) => `Guthaben ${balance}${rest}`,
      forecastLine: (rate) => `Nutzung und Mieten, netto: bisher ${rate} pro Tag`,
      ended: 'Dieses Abonnement ist beendet: Es wird nichts mehr berechnet.',
      lastInvoice: ' Es ist die letzte Rechnung dieses Abonnements.',
      usageAdds: ' Weitere Nutzung kommt hinzu.',
      issuedOn: (day, from, to, rest) => `Wird am ${day} für ${from} – ${to} erstellt, nach aktuellem Stand.${rest}`,
      nothingToInvoice: 'Für diesen Zeitraum ist bisher nichts zu berechnen.',
      vat: (rate) => `USt. ${rate} %`,
      total: 'Gesamtbetrag',
      requested: (amount, net, at) => `${amount}${net ? ` (${net} netto)` : ''} am ${at} angefordert. Ihr Zahlungslink ist unterwegs und erscheint hier.`,
      linkReady: (amount) => `Ihr Zahlungslink für ${amount} ist bereit.`,
      paidAdded: (amount, at) => `Bezahlt: ${amount} wurden am ${at} gutgeschrieben.`,
      payNet: (amount) => `${amount} netto bezahlen`,
      payNow: 'Jetzt bezahlen',
      priceNet: (amount) => `≈ ${amount} netto, zzgl. USt.`,
      topUpFailed: (why) => `Die Aufladung konnte nicht angefordert werden: ${why}`,
      planCredits: 'Tarif-Credits',
      planCreditsUsed: 'Verbrauchte Tarif-Credits',
      lapseOn: (day) => ` · verfallen am ${day}`,
      creditsLeft: (remaining, amount, lapse) => `${remaining} von ${amount} übrig${lapse}`,
      noAllowances: 'Dieser Tarif enthält keine Inklusivkontingente.',
      usedUnlimited: (used) => `${used} genutzt · unbegrenzt`,
      usedOf: (used, included, left) => `${used} von ${included} genutzt · ${left} übrig`,
      meterUsed: (meter) => `${meter} genutzt`,
      day: 'Tag',
      noNumbers: 'Keine Rufnummern gemietet.',
      numberTypes: { local: 'Ortsnetz', mobile: 'Mobil' },
      aMonth: (amount) => `${amount} pro Monat`,
      invoiceStatus: { draft: 'Entwurf', open: 'Offen', paid: 'Bezahlt', failed: 'Zahlung fehlgeschlagen', void: 'Storniert' },
      heldForAddress: 'zurückgehalten, bis Ihre Rechnungsanschrift vorliegt',
      downloadFailed: (number, why) => `${number} konnte nicht heruntergeladen werden: ${why}`,
      noInvoices: 'Noch keine Rechnungen: Die erste kommt, wenn dieser Zeitraum endet.',
      overdueSince: (day) => `überfällig seit ${day}`,
      due: (day) => `fällig am ${day}`,
      view: 'Ansehen',
      viewInvoice: (number) => `Rechnung ${number} ansehen`,
      downloadInvoice: (number) => `Rechnung ${number} als PDF herunterladen`,
      downloadXml: (number) => `XML: Rechnung ${number} als XRechnung herunterladen`,
      downloadZugferd: (number) => `ZUGFeRD: Rechnung ${number} als PDF mit E-Rechnung herunterladen`,
      noUsage: 'In diesem Zeitraum noch keine Nutzung.',
      voidedOn: (at, reason) => `Storniert am ${at}: ${reason}. Es zählt nicht mehr.`,
      eventDetails: 'Details zum Ereignis',
      eventId: 'Ereignis-ID',
      version: 'Version',
      amended: (version) => `${version} (geändert)`,
      recorded: 'Erfasst',
      paidFrom: 'Bezahlt aus',
      serverAnswered: (status) => `Der Server antwortete mit ${status}.`,
      readFailed: (why) => `Die Übersicht konnte nicht gelesen werden: ${why}`,
      live: 'Live',
      reconnecting: 'Verbinde neu…',
      offline: 'Offline',
      expired: 'Dieser Link ist abgelaufen; bitte fordern Sie einen neuen an.',
      channels: {
        ai_chat: 'KI-Chat',
        voice: 'Telefonie',
        sms: 'SMS',
        whatsapp: 'WhatsApp',
        ai_conversation: 'KI-Konversationen',
        phone_numbers: 'Rufnummern',
        subscription: 'Abonnement',
        add_ons: 'Zusatzpakete',
      },
      tableTotal: 'Gesamt',
      eventTypes: { chat: 'Chat', call: 'Anruf', sms: 'SMS', whatsapp: 'WhatsApp', ai_conversation: 'KI-Konversation' },
      meter: (meter) =>
        ({
          minutes: 'Minuten',
          conversations: 'Konversationen',
          tokens: 'Tokens',
          suggested_reply_conversations: 'Konversationen mit Antwortvorschlägen',
          trial_conversations: 'Test-Konversationen',
        })[meter] ?? meter.replaceAll('_', ' '),
      units: (unit) =>
        ({ second: 'Sekunden', minute: 'Minuten', hour: 'Stunden', segment: 'Segmente', token: 'Tokens', conversation: 'Konversationen', message: 'Nachrichten', call: 'Anrufe', credit: 'Credits' })[unit] ??
        unit,
      balanceUnit: (unit) => (unit === 'credits' ? 'Credits' : unit),
    },
  };

  /** The language the page speaks; English until a summary says otherwise. */
  let t = TEXTS.en;
  /** The locale figures and days are written in, and the time zone they are read in. */
  let language = 'en';
  let locale;
  let timeZone = 'UTC';

  /**
   * Speaks the account's language: the texts, <html lang>, and the words written into the page
   * (each element's data-text names its text, data-label its accessible name). Figures follow the
   * reader's own locale where it is the same language (an en-US reader of an en-GB account), the
   * account's otherwise.
   */
  function speak(accountLocale, accountTimeZone) {
    language = TEXTS[accountLocale.split('-')[0]] ? accountLocale.split('-')[0] : 'en';
    t = { ...TEXTS.en, ...(TEXTS[language] ?? {}) };
    const reader = navigator.language || accountLocale;
    locale = reader.split('-')[0] === language ? reader : accountLocale;
    timeZone = accountTimeZone;
    document.documentElement.lang = accountLocale;
    for (const node of document.querySelectorAll('[data-text]')) node.textContent = t[node.dataset.text];
    for (const node of document.querySelectorAll('[data-label]')) node.setAttribute('aria-label', t[node.dataset.label]);
    formats();
  }

  // ---- credentials -------------------------------------------------------------------------
  function readCredentials() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.has('token')) {
      const fromLink = { token: fragment.get('token'), account: fragment.get('account') || '' };
      sessionStorage.setItem(CREDENTIALS, JSON.stringify(fromLink));
      history.replaceState(null, '', location.pathname + location.search);
      return fromLink;
    }
    const stored = sessionStorage.getItem(CREDENTIALS);
    return stored ? JSON.parse(stored) : undefined;
  }

  function apiUrl(path) {
    const query = credentials.account ? `?account=${encodeURIComponent(credentials.account)}` : '';
    return `/dashboard/api/${path}${query}`;
  }

  const authorization = () => ({ Authorization: `Bearer ${credentials.token}` });

  // ---- figures -----------------------------------------------------------------------------
  // Amounts travel as decimal strings; Intl formats a string without passing through a float.
  // A currency shows its cents; credits and minutes show what fractions they have. English
  // writes the currency's code after the figure (7.03 EUR), as the invoices do; other languages
  // the locale's way (7,03 €). Times are the account's time zone's, with its name.
  let number;
  let balanceFormat;
  let cents;
  let money;
  let zoneName;
  // Amounts round to the catalog's display precision (summary.display) once the summary says it.
  let decimals = { moneyDecimals: 2, balanceDecimals: 2 };
  function formats() {
    number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    balanceFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals.balanceDecimals });
    const places = { minimumFractionDigits: decimals.moneyDecimals, maximumFractionDigits: decimals.moneyDecimals };
    cents = new Intl.NumberFormat(locale, places);
    money = (value, code) =>
      language === 'en' ? `${cents.format(value)} ${code}` : new Intl.NumberFormat(locale, { style: 'currency', currency: code, ...places }).format(value);
    zoneName = (date) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  }
  formats();
  function useDisplay(display) {
    if (!display) return;
    decimals = display;
    formats();
  }
  const amount = (value, unit = currency) =>
    /^[A-Z]{3}$/.test(unit) ? money(value, unit) : `${(unit === currency ? balanceFormat : number).format(value)} ${t.balanceUnit(unit)}`;
  const when = (iso) => `${new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone })} ${zoneName(new Date(iso))}`;
  const day = (iso) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'medium', timeZone });
  /**
   * A cycle's day: cycles run on UTC hours from their anchor, so their bounds read in their own
   * calendar (UTC) in every time zone: March is 1 to 31 March, also in Berlin.
   */
  const cycleDay = (iso) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  /** The last day of a period that ends (exclusive) at `endIso`. */
  const lastDay = (endIso) => cycleDay(new Date(Date.parse(endIso) - 1).toISOString());

  const negated = (decimal) => (decimal.startsWith('-') ? decimal.slice(1) : decimal === '0' ? '0' : `-${decimal}`);

  function text(id, value) {
    $(id).textContent = value;
  }

  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function showMessage(message) {
    $('message').textContent = message;
    $('message').hidden = !message;
  }

  // ---- drawing -----------------------------------------------------------------------------
  const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];

  function drawHeader(summary) {
    text('account-name', summary.account.name);
    text('account-plan', `${summary.account.planName} · ${t.billed(summary.account.interval)} · ${summary.account.id}`);
    const status = $('account-status');
    status.hidden = false;
    status.textContent = t.status[summary.account.status] ?? summary.account.status;
    status.dataset.status = summary.account.status;
    document.title = t.documentTitle(summary.account.name);
  }

  function drawNotices(summary) {
    const box = $('notices');
    box.replaceChildren(
      ...summary.notices.map((notice) => {
        const line = element('p', 'notice', notice.message);
        line.dataset.kind = notice.kind;
        return line;
      }),
    );
    box.hidden = summary.notices.length === 0;
  }

  function drawCards(summary) {
    const { balance, forecast } = summary;
    const held = balance.held !== '0' ? t.held(amount(balance.held)) : '';
    if (balance.billing === 'postpaid') {
      // Postpaid usage accrues as a negative balance until the invoice settles it.
      text('available-title', t.accrued);
      text('available', amount(negated(balance.balance)));
      text('balance-line', t.accruedLine(held));
    } else {
      text('available-title', t.available);
      text('available', amount(balance.available));
      const worth = summary.topUp && summary.topUp.value !== null && summary.topUp.unit !== summary.topUp.currency ? t.worth(amount(summary.topUp.value, summary.topUp.currency)) : '';
      text('balance-line', t.balanceLine(amount(balance.balance), `${held}${worth}`));
    }
    text('cost-so-far', amount(forecast.costSoFar));
    text('cycle-line', `${cycleDay(balance.cycle.start)} – ${lastDay(balance.cycle.end)}`);
    text('forecast', amount(forecast.forecast));
    text('forecast-line', t.forecastLine(amount(forecast.runRatePerDay)));
    $('forecast-line').title = forecast.method;
  }

  /**
   * The invoice the cycle's closing will issue if no more usage comes: its lines, net, VAT and
   * total, as the server computes them with the closing's own rules.
   */
  function drawNextBill(summary) {
    const bill = summary.nextBill;
    const body = $('next-bill').tBodies[0];
    body.replaceChildren();
    const row = (label, value, className = '') => {
      const tr = element('tr', className);
      tr.append(element('th', '', label), element('td', 'num', value));
      body.append(tr);
      return tr;
    };
    if (!bill.issuesAt) {
      text('next-bill-line', t.ended);
    } else {
      const last = bill.final ? t.lastInvoice : '';
      const usage = summary.balance.billing === 'postpaid' ? t.usageAdds : '';
      text('next-bill-line', t.issuedOn(cycleDay(bill.issuesAt), cycleDay(bill.period.start), lastDay(bill.period.end), `${usage}${last}`));
    }
    if (bill.lines.length === 0) {
      if (bill.issuesAt) row(t.nothingToInvoice, '', 'empty');
    } else {
      for (const line of bill.lines) row(line.description, amount(line.net, bill.currency)).dataset.line = line.description;
      row(t.net, amount(bill.net, bill.currency), 'subtotal');
      for (const tax of bill.taxes) row(t.vat(number.format(tax.rate)), amount(tax.tax, bill.currency), 'subtotal');
      row(t.total, amount(bill.gross, bill.currency), 'total').dataset.line = 'total';
    }
    // A business buyer without an address: the closing will hold the invoice as a draft.
    const held = bill.held ? [element('li', 'hint held', bill.held.message)] : [];
    $('next-bill-notes').replaceChildren(...held, ...bill.notes.map((note) => element('li', 'hint', note)));
  }

  /** What `units` of balance cost by the catalog's price, for display while the customer types. */
  function priceOf(typed, offer) {
    const units = typedNumber(typed);
    if (!offer.price || !(Number(units) > 0)) return undefined;
    if (offer.price.amount === null) return Number(units);
    return (Number(units) * Number(offer.price.amount)) / offer.price.per;
  }

  /**
   * A figure as the customer types it, with the thousands separators and decimal mark of the
   * page's locale (50,000.5 in English, 50.000,5 in German), as the decimal string the API takes.
   */
  function typedNumber(typed) {
    const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
    const group = parts.find((part) => part.type === 'group')?.value ?? ',';
    const decimalMark = parts.find((part) => part.type === 'decimal')?.value ?? '.';
    return typed.trim().replace(/\s/g, '').split(group).join('').replace(decimalMark, '.');
  }

  /** The offer last drawn, for the price shown while the customer types. */
  let topUpOffer;

  const REQUEST_STATUS = {
    waiting_for_link: (r) => t.requested(amount(r.amount), r.price ? amount(r.price.net, r.price.currency) : '', when(r.requestedAt)),
    ready: (r) => t.linkReady(amount(r.amount)),
    paid: (r) => t.paidAdded(amount(r.amount), when(r.paidAt)),
  };

  /**
   * A prepaid customer buys balance: the request goes to the operator, whose checkout link shows
   * here when it comes (the live stream redraws the page).
   */
  function drawTopUp(summary) {
    const offer = summary.topUp;
    $('top-up').hidden = !offer;
    if (!offer) return;
    text('top-up-unit', t.balanceUnit(offer.unit));
    const input = $('top-up-amount');
    // The customer's own figure survives a redraw; an untouched field offers the plan's package.
    if (!input.dataset.touched && offer.suggested) input.value = offer.suggested;
    showTopUpPrice(offer);
    const request = offer.request;
    text('top-up-status', request ? REQUEST_STATUS[request.status](request) : '');
    const pay = $('top-up-pay');
    pay.hidden = !(request && request.status === 'ready');
    if (!pay.hidden) {
      pay.href = request.checkoutUrl;
      pay.textContent = request.price ? t.payNet(amount(request.price.net, request.price.currency)) : t.payNow;
    }
    topUpOffer = offer;
  }

  function showTopUpPrice(offer) {
    const price = priceOf($('top-up-amount').value, offer);
    text('top-up-price', price === undefined ? '' : t.priceNet(amount(price.toFixed(2), offer.currency)));
  }

  $('top-up-amount').addEventListener('input', (event) => {
    event.target.dataset.touched = 'yes';
    if (topUpOffer) showTopUpPrice(topUpOffer);
  });

  $('top-up-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = typedNumber($('top-up-amount').value);
    const response = await fetch(apiUrl('topup-requests'), {
      method: 'POST',
      headers: { ...authorization(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: value }),
    });
    if (!response.ok) return showMessage(t.topUpFailed(await failure(response)));
    showMessage('');
    refresh();
  });

  /** A bar of the share used, named for screen readers. */
  function progressBar(share, label) {
    const bar = element('div', 'bar');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-label', label);
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-valuenow', String(Math.round(share)));
    const fill = element('div', `fill${share >= 100 ? ' full' : share >= 80 ? ' high' : ''}`);
    fill.style.width = `${share}%`;
    bar.append(fill);
    return bar;
  }

  function drawAllowances(summary) {
    const list = $('allowances');
    list.replaceChildren();
    // A prepaid plan's credit package is what it includes: each grant with what is left and when it lapses.
    const credits = summary.balance.grants.filter((grant) => grant.kind === 'plan_credits' && grant.usable);
    for (const grant of credits) {
      const share = (Number(grant.remaining) / Math.max(Number(grant.amount), 1e-9)) * 100;
      const item = element('li', 'allowance');
      item.dataset.meter = 'plan_credits';
      const head = element('div', 'allowance-head');
      head.append(element('strong', '', t.planCredits));
      const lapse = grant.expiresAt ? t.lapseOn(lastDay(grant.expiresAt)) : '';
      head.append(element('span', 'allowance-figures', t.creditsLeft(number.format(grant.remaining), amount(grant.amount), lapse)));
      item.append(head, progressBar(100 - share, t.planCreditsUsed));
      list.append(item);
    }
    if (summary.balance.allowances.length === 0 && credits.length === 0) {
      list.append(element('li', 'empty', t.noAllowances));
      return;
    }
    for (const allowance of summary.balance.allowances) {
      const item = element('li', 'allowance');
      item.dataset.meter = allowance.meter;
      const unlimited = allowance.included === 'unlimited';
      const share = unlimited ? 0 : Math.min(100, (Number(allowance.used) / Math.max(Number(allowance.included), 1e-9)) * 100);
      const head = element('div', 'allowance-head');
      head.append(element('strong', '', t.meter(allowance.meter)));
      head.append(
        element(
          'span',
          'allowance-figures',
          unlimited
            ? t.usedUnlimited(`${number.format(allowance.used)} ${t.units(allowance.unit)}`)
            : t.usedOf(number.format(allowance.used), `${number.format(allowance.included)} ${t.units(allowance.unit)}`, number.format(allowance.remaining)),
        ),
      );
      item.append(head, progressBar(share, t.meterUsed(t.meter(allowance.meter))));
      list.append(item);
    }
  }

  function chart(id, config) {
    if (charts[id]) {
      charts[id].data = config.data;
      charts[id].update('none');
      return;
    }
    charts[id] = new Chart($(id), { ...config, options: { animation: false, maintainAspectRatio: false, ...config.options } });
  }

  /** A chart with nothing to draw says so in words instead of an empty frame. */
  function showEmpty(chartId, emptyId, empty) {
    $(chartId).parentElement.hidden = empty;
    $(emptyId).hidden = !empty;
  }

  /** A channel's name in the page's language; the server's English name where it has none. */
  const channelName = (group) => t.channels[group.channel] ?? group.name;

  function drawChannels(summary) {
    const groups = summary.channels.groups;
    showEmpty('channels-chart', 'channels-empty', groups.length === 0);
    chart('channels-chart', {
      type: 'doughnut',
      data: {
        labels: groups.map(channelName),
        datasets: [{ data: groups.map((g) => Number(g.amount)), backgroundColor: groups.map((_, i) => PALETTE[i % PALETTE.length]) }],
      },
      options: { plugins: { legend: { position: 'bottom' } } },
    });
    const body = $('channels-table').tBodies[0];
    body.replaceChildren();
    for (const group of groups) {
      const row = element('tr');
      row.dataset.channel = group.channel;
      row.append(element('th', '', channelName(group)), element('td', 'num', amount(group.amount)));
      body.append(row);
    }
    const total = element('tr', 'total');
    total.append(element('th', '', t.tableTotal), element('td', 'num', amount(summary.channels.totals.amount)));
    body.append(total);
  }

  /** The daily chart's figures as a table, for screen readers: a row per day with a cost. */
  function drawDailyTable(summary) {
    const { days, channels, totals } = summary.daily;
    const table = $('daily-table');
    const head = element('tr');
    head.append(element('th', '', t.day), ...channels.map((c) => element('th', '', channelName(c))), element('th', '', t.tableTotal));
    for (const cell of head.children) cell.scope = 'col';
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    days.forEach((d, i) => {
      if (Number(totals[i]) === 0) return;
      const row = element('tr');
      const th = element('th', '', cycleDay(d));
      th.scope = 'row';
      row.append(th, ...channels.map((c) => element('td', 'num', amount(c.amounts[i]))), element('td', 'num', amount(totals[i])));
      body.append(row);
    });
  }

  function drawDaily(summary) {
    const { days, channels } = summary.daily;
    drawDailyTable(summary);
    showEmpty('daily-chart', 'daily-empty', summary.daily.totals.every((t) => Number(t) === 0));
    chart('daily-chart', {
      type: 'bar',
      data: {
        labels: days.map((d) => d.slice(5)),
        datasets: channels.map((c, i) => ({ label: channelName(c), data: c.amounts.map(Number), backgroundColor: PALETTE[i % PALETTE.length] })),
      },
      options: {
        plugins: { legend: { position: 'bottom' } },
        scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } }, y: { stacked: true, beginAtZero: true } },
      },
    });
  }

  function drawNumbers(summary) {
    const body = $('numbers').tBodies[0];
    body.replaceChildren();
    if (summary.phoneNumbers.length === 0) {
      const row = element('tr');
      row.append(element('td', 'empty', t.noNumbers));
      body.append(row);
      return;
    }
    for (const n of summary.phoneNumbers) {
      const row = element('tr');
      row.dataset.number = n.number;
      const country = new Intl.DisplayNames([document.documentElement.lang], { type: 'region', fallback: 'code' }).of(n.country) ?? n.country;
      row.append(element('th', '', n.number), element('td', '', `${t.numberTypes[n.type] ?? n.type} · ${country}`), element('td', 'num', t.aMonth(amount(n.monthlyRent))));
      body.append(row);
    }
  }

  // The PDF and the e-invoices need the Authorization header, so they are fetched and handed over as files.
  const DOCUMENTS = {
    pdf: { path: (pdf) => pdf, format: undefined, extension: 'pdf' },
    xml: { path: (pdf) => pdf.replace(/\.pdf$/, '.xml'), format: undefined, extension: 'xml' },
    zugferd: { path: (pdf) => pdf, format: 'zugferd', extension: 'pdf' },
  };
  async function downloadDocument(invoice, kind = 'pdf') {
    const wanted = DOCUMENTS[kind];
    const query = new URLSearchParams();
    if (wanted.format) query.set('format', wanted.format);
    if (credentials.account) query.set('account', credentials.account);
    const search = query.toString();
    const response = await fetch(wanted.path(invoice.pdf) + (search ? `?${search}` : ''), { headers: authorization() });
    if (!response.ok) return showMessage(t.downloadFailed(invoice.number ?? t.invoiceStatus.draft, await failure(response)));
    const url = URL.createObjectURL(await response.blob());
    const link = element('a');
    link.href = url;
    link.download = `${invoice.number ?? invoice.id}.${wanted.extension}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** A link that downloads one of the invoice's e-invoices (the row keeps a single button, the PDF's); its name begins with its visible text, as axe asks. */
  function eInvoiceLink(invoice, kind, text, label) {
    const link = element('a', 'link', text);
    link.href = DOCUMENTS[kind].path(invoice.pdf) + (kind === 'zugferd' ? '?format=zugferd' : '');
    link.setAttribute('aria-label', label);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      downloadDocument(invoice, kind);
    });
    return link;
  }

  function drawInvoices(summary) {
    const body = $('invoices').tBodies[0];
    body.replaceChildren();
    if (summary.invoices.length === 0) {
      const row = element('tr');
      row.append(element('td', 'empty', t.noInvoices));
      body.append(row);
      return;
    }
    for (const invoice of summary.invoices) {
      const row = element('tr');
      // A draft has no number until it is issued.
      const name = invoice.number ?? t.invoiceStatus.draft;
      row.dataset.invoice = name;
      const pdf = element('button', 'link', 'PDF');
      pdf.type = 'button';
      pdf.addEventListener('click', () => downloadDocument(invoice, 'pdf'));
      const status = element('span', `invoice-status ${invoice.status}`, t.invoiceStatus[invoice.status] ?? invoice.status);
      const statusCell = element('td');
      statusCell.append(status);
      // Until it is paid, an invoice says when it is due, and that it is late once it is.
      if ((invoice.status === 'open' || invoice.status === 'failed') && invoice.dueAt) {
        statusCell.append(element('span', invoice.overdue ? 'invoice-due overdue' : 'invoice-due', invoice.overdue ? t.overdueSince(day(invoice.dueAt)) : t.due(day(invoice.dueAt))));
      }
      if (invoice.held) statusCell.append(element('span', 'invoice-due', t.heldForAddress));
      // The page opens in a tab of its own, with the ticket the summary minted for it.
      const page = element('a', 'link', t.view);
      page.href = invoice.page;
      page.target = '_blank';
      page.rel = 'noopener noreferrer';
      page.setAttribute('aria-label', t.viewInvoice(name));
      pdf.setAttribute('aria-label', t.downloadInvoice(name));
      const pdfCell = element('td', 'num documents');
      pdfCell.append(page, pdf);
      // An issued invoice that stands is also an e-invoice: XRechnung XML and ZUGFeRD PDF.
      if (invoice.number && invoice.status !== 'void')
        pdfCell.append(eInvoiceLink(invoice, 'xml', 'XML', t.downloadXml(name)), eInvoiceLink(invoice, 'zugferd', 'ZUGFeRD', t.downloadZugferd(name)));
      row.append(element('th', '', name), element('td', '', cycleDay(invoice.period.start)), statusCell, element('td', 'num', amount(invoice.gross, invoice.currency)), pdfCell);
      body.append(row);
    }
  }

  function drawCharges(summary) {
    const list = $('charges');
    list.replaceChildren();
    if (summary.recentCharges.length === 0) list.append(element('li', 'empty', t.noUsage));
    for (const charge of summary.recentCharges) {
      const item = element('li', charge.voided ? 'charge voided' : 'charge');
      item.dataset.event = charge.event;
      const head = element('div', 'charge-head');
      head.append(element('span', 'charge-type', t.eventTypes[charge.type] ?? charge.type), element('span', 'charge-when', when(charge.timestamp)), element('span', 'num', amount(charge.cost)));
      const explanations = element('ul', 'explanations');
      if (charge.voided) explanations.append(element('li', 'explanation void-note', t.voidedOn(when(charge.voided.at), charge.voided.reason)));
      for (const sentence of charge.explanations) explanations.append(element('li', 'explanation', sentence));
      item.append(head, explanations, eventDetails(charge));
      list.append(item);
    }
  }

  /** The event behind a charge, opened on demand: its id, what was recorded, what paid it. */
  function eventDetails(charge) {
    const details = element('details', 'event');
    details.append(element('summary', '', t.eventDetails));
    const facts = element('dl', 'event-facts');
    const fact = (name, value) => facts.append(element('dt', '', name), element('dd', '', String(value)));
    fact(t.eventId, charge.event);
    if (charge.version > 1) fact(t.version, t.amended(charge.version));
    for (const [name, value] of Object.entries(charge.data)) fact(name.replaceAll('_', ' '), value);
    fact(t.recorded, when(charge.recordedAt));
    if (charge.paid) fact(t.paidFrom, charge.paid);
    details.append(facts);
    return details;
  }

  function draw(summary) {
    currency = summary.currency;
    speak(summary.locale, summary.timeZone);
    useDisplay(summary.display);
    drawHeader(summary);
    drawNotices(summary);
    drawCards(summary);
    drawTopUp(summary);
    drawNextBill(summary);
    drawAllowances(summary);
    drawChannels(summary);
    drawDaily(summary);
    drawNumbers(summary);
    drawInvoices(summary);
    drawCharges(summary);
    $('dashboard').hidden = false;
    $('dashboard').dataset.asOf = summary.asOf;
  }

  // ---- reading -----------------------------------------------------------------------------
  async function failure(response) {
    const body = await response.json().catch(() => ({}));
    return body.error?.message ?? t.serverAnswered(response.status);
  }

  let reading = Promise.resolve();
  function refresh() {
    // One read at a time; a change during a read is caught by the read after it.
    reading = reading.then(async () => {
      if (!credentials) return;
      const response = await fetch(apiUrl('summary'), { headers: authorization(), cache: 'no-store' });
      if (response.status >= 400 && response.status < 500) {
        signOut(await failure(response));
        return;
      }
      if (!response.ok) throw new Error(await failure(response));
      draw(await response.json());
      showMessage('');
    }).catch((error) => showMessage(t.readFailed(error.message)));
    return reading;
  }

  function setLive(state, label) {
    $('live').dataset.state = state;
    $('live').textContent = label;
  }

  // EventSource cannot send an Authorization header, so the stream is read with fetch.
  async function listen(attempt = 0) {
    const session = credentials;
    if (!session) return;
    try {
      const response = await fetch(apiUrl('stream'), { headers: { ...authorization(), Accept: 'text/event-stream' }, cache: 'no-store' });
      if (response.status >= 400 && response.status < 500) return signOut(await failure(response));
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (credentials !== session) return reader.cancel();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          if (event === 'ready') {
            attempt = 0;
            setLive('on', t.live);
            refresh();
          } else if (event === 'changed') refresh();
          else if (event === 'expired') return signOut(t.expired);
        }
      }
    } catch {
      // fall through to reconnect
    }
    if (credentials !== session) return;
    setLive('off', t.reconnecting);
    setTimeout(() => listen(attempt + 1), RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]);
  }

  // ---- start -------------------------------------------------------------------------------
  function signOut(message) {
    sessionStorage.removeItem(CREDENTIALS);
    credentials = undefined;
    $('dashboard').hidden = true;
    setLive('off', t.offline);
    showMessage(message);
    $('sign-in').hidden = false;
  }

  function open(given) {
    credentials = given;
    $('sign-in').hidden = true;
    refresh();
    listen();
  }

  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const given = { token: String(form.get('token')).trim(), account: String(form.get('account') ?? '').trim() };
    sessionStorage.setItem(CREDENTIALS, JSON.stringify(given));
    showMessage('');
    open(given);
  });

  // Until an account's summary says its language, the page speaks the reader's if it has its texts.
  speak(TEXTS[(navigator.language || 'en').split('-')[0]] ? navigator.language : 'en', 'UTC');
  const found = readCredentials();
  if (found) open(found);
  else $('sign-in').hidden = false;
})();
