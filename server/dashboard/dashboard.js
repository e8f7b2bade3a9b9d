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
  // A currency shows its cents; credits and minutes show what fractions they have.
  const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
  const cents = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // Amounts round to the catalog's display precision (summary.display) once the summary says it.
  let moneyFormat = cents;
  let balanceFormat = number;
  function useDisplay(display) {
    if (!display) return;
    moneyFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: display.moneyDecimals, maximumFractionDigits: display.moneyDecimals });
    balanceFormat = /^[A-Z]{3}$/.test(currency) ? moneyFormat : new Intl.NumberFormat(undefined, { maximumFractionDigits: display.balanceDecimals });
  }
  const amount = (value, unit = currency) => `${(/^[A-Z]{3}$/.test(unit) ? moneyFormat : unit === currency ? balanceFormat : number).format(value)} ${unit}`;
  const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
  const day = (iso) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  /** The last day of a period that ends (exclusive) at `endIso`. */
  const lastDay = (endIso) => day(new Date(Date.parse(endIso) - 1).toISOString());

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
    text('account-plan', `${summary.account.planName} · billed ${summary.account.interval === 'year' ? 'yearly' : 'monthly'} · ${summary.account.id}`);
    const status = $('account-status');
    status.hidden = false;
    status.textContent = summary.account.status;
    status.dataset.status = summary.account.status;
    document.title = `${summary.account.name} · usage dashboard`;
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
    const held = balance.held !== '0' ? `, ${amount(balance.held)} held for calls in progress` : '';
    if (balance.billing === 'postpaid') {
      // Postpaid usage accrues as a negative balance until the invoice settles it.
      text('available-title', 'Accrued for the next invoice');
      text('available', amount(negated(balance.balance)));
      text('balance-line', `Usage beyond the plan and fees, billed at the cycle's end${held}`);
    } else {
      text('available-title', 'Available');
      text('available', amount(balance.available));
      const worth = summary.topUp && summary.topUp.value !== null && summary.topUp.unit !== summary.topUp.currency ? `, worth ${amount(summary.topUp.value, summary.topUp.currency)}` : '';
      text('balance-line', `Balance ${amount(balance.balance)}${held}${worth}`);
    }
    text('cost-so-far', amount(forecast.costSoFar));
    text('cycle-line', `${day(balance.cycle.start)} – ${lastDay(balance.cycle.end)}`);
    text('forecast', amount(forecast.forecast));
    text('forecast-line', `Usage and rents, net: ${amount(forecast.runRatePerDay)} a day so far`);
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
      text('next-bill-line', 'This subscription has ended: nothing more will be invoiced.');
    } else {
      const last = bill.final ? ' It is the last invoice of this subscription.' : '';
      const usage = summary.balance.billing === 'postpaid' ? ' Usage from now on adds to it.' : '';
      text('next-bill-line', `Issued on ${day(bill.issuesAt)} for ${day(bill.period.start)} – ${lastDay(bill.period.end)}, as it stands now.${usage}${last}`);
    }
    if (bill.lines.length === 0) {
      if (bill.issuesAt) row('Nothing to invoice for this cycle so far.', '', 'empty');
    } else {
      for (const line of bill.lines) row(line.description, amount(line.net, bill.currency)).dataset.line = line.description;
      row('Net', amount(bill.net, bill.currency), 'subtotal');
      for (const tax of bill.taxes) row(`VAT ${number.format(tax.rate)}%`, amount(tax.tax, bill.currency), 'subtotal');
      row('Total', amount(bill.gross, bill.currency), 'total').dataset.line = 'total';
    }
    // A business buyer without an address: the closing will hold the invoice as a draft.
    const held = bill.held ? [element('li', 'hint held', bill.held.message)] : [];
    $('next-bill-notes').replaceChildren(...held, ...bill.notes.map((note) => element('li', 'hint', note)));
  }

  /** What `units` of balance cost by the catalog's price, for display while the customer types. */
  function priceOf(units, offer) {
    if (!offer.price || !(Number(units) > 0)) return undefined;
    if (offer.price.amount === null) return Number(units);
    return (Number(units) * Number(offer.price.amount)) / offer.price.per;
  }

  /** The offer last drawn, for the price shown while the customer types. */
  let topUpOffer;

  const REQUEST_STATUS = {
    waiting_for_link: (r) => `Requested ${amount(r.amount)}${r.price ? ` (${amount(r.price.net, r.price.currency)} net)` : ''} at ${when(r.requestedAt)}. Your payment link is on its way; it appears here.`,
    ready: (r) => `Your payment link for ${amount(r.amount)} is ready.`,
    paid: (r) => `Paid: ${amount(r.amount)} were added on ${when(r.paidAt)}.`,
  };

  /**
   * A prepaid customer buys balance: the request goes to the operator, whose checkout link shows
   * here when it comes (the live stream redraws the page).
   */
  function drawTopUp(summary) {
    const offer = summary.topUp;
    $('top-up').hidden = !offer;
    if (!offer) return;
    text('top-up-unit', offer.unit);
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
      pay.textContent = request.price ? `Pay ${amount(request.price.net, request.price.currency)} net` : 'Pay now';
    }
    topUpOffer = offer;
  }

  function showTopUpPrice(offer) {
    const price = priceOf($('top-up-amount').value, offer);
    text('top-up-price', price === undefined ? '' : `≈ ${amount(price.toFixed(2), offer.currency)} net, plus VAT`);
  }

  $('top-up-amount').addEventListener('input', (event) => {
    event.target.dataset.touched = 'yes';
    if (topUpOffer) showTopUpPrice(topUpOffer);
  });

  $('top-up-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    // Thousands separators as people type them (50,000); the page speaks English.
    const value = $('top-up-amount').value.trim().replace(/[\s,]/g, '');
    const response = await fetch(apiUrl('topup-requests'), {
      method: 'POST',
      headers: { ...authorization(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: value }),
    });
    if (!response.ok) return showMessage(`Could not request the top-up: ${await failure(response)}`);
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
      head.append(element('strong', '', 'plan credits'));
      const lapse = grant.expiresAt ? ` · lapse on ${lastDay(grant.expiresAt)}` : '';
      head.append(element('span', 'allowance-figures', `${number.format(grant.remaining)} of ${number.format(grant.amount)} ${currency} left${lapse}`));
      item.append(head, progressBar(100 - share, 'Plan credits used'));
      list.append(item);
    }
    if (summary.balance.allowances.length === 0 && credits.length === 0) {
      list.append(element('li', 'empty', 'This plan has no included allowances.'));
      return;
    }
    for (const allowance of summary.balance.allowances) {
      const item = element('li', 'allowance');
      item.dataset.meter = allowance.meter;
      const unlimited = allowance.included === 'unlimited';
      const share = unlimited ? 0 : Math.min(100, (Number(allowance.used) / Math.max(Number(allowance.included), 1e-9)) * 100);
      const head = element('div', 'allowance-head');
      head.append(element('strong', '', allowance.meter.replaceAll('_', ' ')));
      head.append(
        element(
          'span',
          'allowance-figures',
          unlimited
            ? `${number.format(allowance.used)} ${allowance.unit}s used · unlimited`
            : `${number.format(allowance.used)} of ${number.format(allowance.included)} ${allowance.unit}s used · ${number.format(allowance.remaining)} left`,
        ),
      );
      item.append(head, progressBar(share, `${allowance.meter.replaceAll('_', ' ')} used`));
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

  function drawChannels(summary) {
    const groups = summary.channels.groups;
    showEmpty('channels-chart', 'channels-empty', groups.length === 0);
    chart('channels-chart', {
      type: 'doughnut',
      data: {
        labels: groups.map((g) => g.name),
        datasets: [{ data: groups.map((g) => Number(g.amount)), backgroundColor: groups.map((_, i) => PALETTE[i % PALETTE.length]) }],
      },
      options: { plugins: { legend: { position: 'bottom' } } },
    });
    const body = $('channels-table').tBodies[0];
    body.replaceChildren();
    for (const group of groups) {
      const row = element('tr');
      row.dataset.channel = group.channel;
      row.append(element('th', '', group.name), element('td', 'num', amount(group.amount)));
      body.append(row);
    }
    const total = element('tr', 'total');
    total.append(element('th', '', 'Total'), element('td', 'num', amount(summary.channels.totals.amount)));
    body.append(total);
  }

  /** The daily chart's figures as a table, for screen readers: a row per day with a cost. */
  function drawDailyTable(summary) {
    const { days, channels, totals } = summary.daily;
    const table = $('daily-table');
    const head = element('tr');
    head.append(element('th', '', 'Day'), ...channels.map((c) => element('th', '', c.name)), element('th', '', 'Total'));
    for (const cell of head.children) cell.scope = 'col';
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    days.forEach((d, i) => {
      if (Number(totals[i]) === 0) return;
      const row = element('tr');
      const th = element('th', '', day(d));
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
        datasets: channels.map((c, i) => ({ label: c.name, data: c.amounts.map(Number), backgroundColor: PALETTE[i % PALETTE.length] })),
      },
      options: {
        plugins: { legend: { position: 'bottom' } },
        scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } }, y: { stacked: true, beginAtZero: true } },
      },
    });
  }

  const TYPE_NAMES = { local: 'Local', mobile: 'Mobile' };

  function drawNumbers(summary) {
    const body = $('numbers').tBodies[0];
    body.replaceChildren();
    if (summary.phoneNumbers.length === 0) {
      const row = element('tr');
      row.append(element('td', 'empty', 'No numbers rented.'));
      body.append(row);
      return;
    }
    for (const n of summary.phoneNumbers) {
      const row = element('tr');
      row.dataset.number = n.number;
      row.append(element('th', '', n.number), element('td', '', `${TYPE_NAMES[n.type] ?? n.type} · ${n.country}`), element('td', 'num', `${amount(n.monthlyRent)} a month`));
      body.append(row);
    }
  }

  const INVOICE_STATUS = { draft: 'Draft', open: 'Open', paid: 'Paid', failed: 'Payment failed', void: 'Void' };

  // The PDF needs the Authorization header, so it is fetched and handed over as a file.
  async function downloadPdf(invoice) {
    const response = await fetch(invoice.pdf + (credentials.account ? `?account=${encodeURIComponent(credentials.account)}` : ''), { headers: authorization() });
    if (!response.ok) return showMessage(`Could not download ${invoice.number ?? 'the draft'}: ${await failure(response)}`);
    const url = URL.createObjectURL(await response.blob());
    const link = element('a');
    link.href = url;
    link.download = `${invoice.number ?? invoice.id}.pdf`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function drawInvoices(summary) {
    const body = $('invoices').tBodies[0];
    body.replaceChildren();
    if (summary.invoices.length === 0) {
      const row = element('tr');
      row.append(element('td', 'empty', 'No invoices yet: the first comes when this cycle closes.'));
      body.append(row);
      return;
    }
    for (const invoice of summary.invoices) {
      const row = element('tr');
      // A draft has no number until it is issued.
      const name = invoice.number ?? 'Draft';
      row.dataset.invoice = name;
      const pdf = element('button', 'link', 'PDF');
      pdf.type = 'button';
      pdf.addEventListener('click', () => downloadPdf(invoice));
      const status = element('span', `invoice-status ${invoice.status}`, INVOICE_STATUS[invoice.status] ?? invoice.status);
      const statusCell = element('td');
      statusCell.append(status);
      // Until it is paid, an invoice says when it is due, and that it is late once it is.
      if ((invoice.status === 'open' || invoice.status === 'failed') && invoice.dueAt) {
        statusCell.append(element('span', invoice.overdue ? 'invoice-due overdue' : 'invoice-due', invoice.overdue ? `overdue since ${day(invoice.dueAt)}` : `due ${day(invoice.dueAt)}`));
      }
      if (invoice.held) statusCell.append(element('span', 'invoice-due', 'held until your billing address is given'));
      // The page opens in a tab of its own, with the ticket the summary minted for it.
      const page = element('a', 'link', 'View');
      page.href = invoice.page;
      page.target = '_blank';
      page.rel = 'noopener noreferrer';
      page.setAttribute('aria-label', `View invoice ${name}`);
      pdf.setAttribute('aria-label', `Download invoice ${name} as PDF`);
      const pdfCell = element('td', 'num documents');
      pdfCell.append(page, pdf);
      row.append(element('th', '', name), element('td', '', day(invoice.period.start)), statusCell, element('td', 'num', amount(invoice.gross, invoice.currency)), pdfCell);
      body.append(row);
    }
  }

  function drawCharges(summary) {
    const list = $('charges');
    list.replaceChildren();
    if (summary.recentCharges.length === 0) list.append(element('li', 'empty', 'No usage yet this cycle.'));
    for (const charge of summary.recentCharges) {
      const item = element('li', charge.voided ? 'charge voided' : 'charge');
      item.dataset.event = charge.event;
      const head = element('div', 'charge-head');
      head.append(element('span', 'charge-type', charge.type), element('span', 'charge-when', when(charge.timestamp)), element('span', 'num', amount(charge.cost)));
      const explanations = element('ul', 'explanations');
      if (charge.voided) explanations.append(element('li', 'explanation void-note', `Voided on ${when(charge.voided.at)}: ${charge.voided.reason}. It no longer counts.`));
      for (const sentence of charge.explanations) explanations.append(element('li', 'explanation', sentence));
      item.append(head, explanations, eventDetails(charge));
      list.append(item);
    }
  }

  /** The event behind a charge, opened on demand: its id, what was recorded, what paid it. */
  function eventDetails(charge) {
    const details = element('details', 'event');
    details.append(element('summary', '', 'Event details'));
    const facts = element('dl', 'event-facts');
    const fact = (name, value) => facts.append(element('dt', '', name), element('dd', '', String(value)));
    fact('Event ID', charge.event);
    if (charge.version > 1) fact('Version', `${charge.version} (amended)`);
    for (const [name, value] of Object.entries(charge.data)) fact(name.replaceAll('_', ' '), value);
    fact('Recorded', when(charge.recordedAt));
    if (charge.paid) fact('Paid from', charge.paid);
    details.append(facts);
    return details;
  }

  function draw(summary) {
    currency = summary.currency;
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
    return body.error?.message ?? `The server answered ${response.status}.`;
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
    }).catch((error) => showMessage(`Could not read the dashboard: ${error.message}`));
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
            setLive('on', 'Live');
            refresh();
          } else if (event === 'changed') refresh();
          else if (event === 'expired') return signOut('This dashboard link has expired; ask for a new one.');
        }
      }
    } catch {
      // fall through to reconnect
    }
    if (credentials !== session) return;
    setLive('off', 'Reconnecting…');
    setTimeout(() => listen(attempt + 1), RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]);
  }

  // ---- start -------------------------------------------------------------------------------
  function signOut(message) {
    sessionStorage.removeItem(CREDENTIALS);
    credentials = undefined;
    $('dashboard').hidden = true;
    setLive('off', 'Offline');
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

  const found = readCredentials();
  if (found) open(found);
  else $('sign-in').hidden = false;
})();
