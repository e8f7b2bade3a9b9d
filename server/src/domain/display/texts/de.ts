// The customer-facing texts in German, written by us (not machine-translated): the invoice's terms
// as German invoices use them (Rechnungsdatum, Leistungszeitraum, Steuerschuldnerschaft des
// Leistungsempfängers under §14a UStG), the explanations and the dashboard's notices.
import type { Texts } from './en';

/** Units the catalogs count in, one and many; a unit not listed reads as the catalog spells it. */
const UNITS: Record<string, readonly [string, string]> = {
  second: ['Sekunde', 'Sekunden'],
  minute: ['Minute', 'Minuten'],
  hour: ['Stunde', 'Stunden'],
  day: ['Tag', 'Tage'],
  month: ['Monat', 'Monate'],
  year: ['Jahr', 'Jahre'],
  segment: ['Segment', 'Segmente'],
  token: ['Token', 'Tokens'],
  conversation: ['Konversation', 'Konversationen'],
  message: ['Nachricht', 'Nachrichten'],
  call: ['Anruf', 'Anrufe'],
  credit: ['Credit', 'Credits'],
  pack: ['Paket', 'Pakete'],
  rent: ['Miete', 'Mieten'],
  'top-up': ['Aufladung', 'Aufladungen'],
};

/** The presets' allowance meters; a meter not listed reads as the catalog spells it, in words. */
const METERS: Record<string, string> = {
  minutes: 'Minuten',
  conversations: 'Konversationen',
  tokens: 'Tokens',
  suggested_reply_conversations: 'Konversationen mit Antwortvorschlägen',
  trial_conversations: 'Test-Konversationen',
};

/** The kinds of number the operator rents out. */
const NUMBER_TYPES: Record<string, string> = { local: 'Ortsnetznummer', mobile: 'Mobilfunknummer' };

export const de: Texts = {
  document: {
    invoice: 'Rechnung',
    creditNote: 'Gutschrift',
    from: 'Absender',
    billTo: 'Rechnungsempfänger',
    creditTo: 'Gutschriftsempfänger',
    issued: (day) => `Rechnungsdatum ${day}`,
    drafted: (day) => `Entwurf vom ${day}`,
    draftNumber: 'Entwurf, noch ohne Nummer',
    itsNumber: 'die Rechnungsnummer',
    noteIssued: (day) => `Datum ${day}`,
    dueOnReceipt: 'Fällig bei Erhalt',
    due: (day) => `Fällig am ${day}`,
    customerNumber: (number) => `Kundennummer ${number}`,
    servicePeriod: (period) => `Leistungszeitraum ${period}`,
    dateOfSupply: (day) => `Leistungsdatum ${day}`,
    creditsInvoice: (number, day) => `Zu Rechnung ${number} vom ${day}`,
    status: { draft: 'Entwurf', open: 'Offen', paid: 'Bezahlt', failed: 'Zahlung fehlgeschlagen', void: 'Storniert' },
    columns: { description: 'Beschreibung', quantity: 'Menge', unit: 'Einheit', unitPrice: 'Einzelpreis', net: 'Netto' },
    net: 'Zwischensumme',
    vat: (rate, net) => `USt. ${rate} % auf ${net}`,
    total: 'Gesamtbetrag',
    vatId: (id) => `USt-IdNr. ${id}`,
    paymentFailed: (day, reason) => `Zahlung vom ${day} fehlgeschlagen: ${reason}`,
    paymentFailures: { card_declined: 'Karte abgelehnt', insufficient_funds: 'keine ausreichende Deckung', expired_card: 'Karte abgelaufen' },
    voided: (day, reason) => `Storniert am ${day}: ${reason}. Es ist nichts zu zahlen.`,
    pleasePay: ({ amount, when, where }) => `Bitte zahlen Sie ${amount} ${when}${where}.`,
    payOnReceipt: 'sofort nach Erhalt',
    payBy: (day) => `bis zum ${day}`,
    payTo: ({ holder, iban, bic, bank, number }) =>
      ` an ${holder}, IBAN ${iban}${bic ? `, BIC ${bic}` : ''}${bank ? ` (${bank})` : ''}, Verwendungszweck ${number}`,
    credited: (amount) => `Gutschriften zu dieser Rechnung: ${amount}.`,
    creditedToBalance: (amount) => `Ihrem Guthaben gutgeschrieben: ${amount}.`,
    takenOff: (amount, number) => `${amount} werden vom offenen Betrag der Rechnung ${number} abgezogen oder, wenn sie bezahlt ist, an Sie erstattet.`,
    reason: (reason) => `Grund: ${reason}`,
    reverseCharge: 'Steuerschuldnerschaft des Leistungsempfängers (Art. 196 der Richtlinie 2006/112/EG).',
    rounding: 'Alle Preise sind Nettopreise. Jede Position wird einmal kaufmännisch auf den Cent gerundet.',
    managingDirectors: (names) => `Geschäftsführung: ${names.join(', ')}`,
    taxNumber: (number) => `Steuernummer ${number}`,
    page: (page, pages) => `Seite ${page} von ${pages}`,
  },
  lines: {
    planFee: (plan, period) => `Tarif ${plan}, ${period}`,
    planFeePart: (plan, part, cycle) => `Tarif ${plan}, ${part} (anteilig im Abrechnungszeitraum ${cycle})`,
    planFeeCredited: (plan, part) => `Tarif ${plan}, ${part} nicht genutzt: im Voraus bezahlt, gutgeschrieben`,
    addOn: (name, period) => `${name}, ${period}`,
    usage: (service, period) => `${service}, ${period}`,
    numberRent: ({ number, type, countryName, period }) => `Rufnummer ${number} (${NUMBER_TYPES[type] ?? type}, ${countryName}), ${period}`,
    included: ({ units, period, used, included }) =>
      included === 'unlimited'
        ? `Inklusive ${units}, ${period}: ${used} ${units} genutzt (unbegrenzt)`
        : `Inklusive ${units}, ${period}: ${used} von ${included} ${units} genutzt`,
    balanceTopUp: 'Guthabenaufladung',
    topUp: ({ units, amount }) => `Aufladung um ${amount} ${units}`,
  },
  explanation: {
    measured: (name, quantity) => `${name}: ${quantity} gemessen`,
    billedInIncrements: (increments, quantity) => `im Takt ${increments} abgerechnet als ${quantity}`,
    billedAs: (quantity) => `abgerechnet als ${quantity}`,
    allowanceUsedUp: (meter) => `das Inklusivkontingent an ${meter} war aufgebraucht`,
    coveredBy: ({ quantity, meter, used }) => `${quantity} aus dem Inklusivkontingent an ${meter} gedeckt (${used})`,
    charged: ({ quantity, rate, per, amount }) => `${quantity} berechnet zu ${rate} pro ${per} = ${amount}`,
    chargedInTiers: ({ mode, quantity, before, after, lines, amount }) =>
      mode === 'graduated'
        ? `${quantity} nach Staffelpreisen berechnet, bei zuvor ${before} im Zyklus: ${lines}; zusammen ${amount}`
        : `${quantity} nach Mengenstaffel berechnet, jede Einheit des Zyklus (${after}) zum Preis der erreichten Stufe: ${lines}; zusammen ${amount}`,
    tierLine: ({ quantity, tier, rate, per, amount }) => `${quantity} in Stufe ${tier} zu ${rate} pro ${per} = ${amount}`,
    tierTakenBack: ({ quantity, tier, rate, per, amount }) => `abzüglich der zuvor berechneten ${quantity} in Stufe ${tier} zu ${rate} pro ${per} (${amount})`,
    accountPrice: 'zum vereinbarten Preis des Kontos',
    creditedBack: (amount) => `Der Zyklus hat eine günstigere Mengenstufe erreicht: ${amount} wurden dem Guthaben gutgeschrieben.`,
    sources: {
      plan_credits: 'den Tarif-Credits',
      topup: 'der Aufladung',
      adjustment: 'einer Korrekturbuchung',
      refund: 'einer Erstattung',
      debt: 'dem, was über alle Guthaben hinaus geschuldet wird',
    },
    and: 'und',
    paidFrom: (list) => `Bezahlt aus ${list}.`,
    late: (at) => ` Es traf nach dem Abschluss seines Abrechnungszeitraums ein und wird im laufenden Zeitraum abgerechnet, Stand ${at}.`,
    free: ({ type, id, at }) => `Das Ereignis ${type} ${id} vom ${at} passte zu keinem bepreisten Dienst und kostete nichts.`,
    cost: ({ type, id, at, cost }) => `Das Ereignis ${type} ${id} vom ${at} kostete ${cost}.`,
  },
  notices: {
    paused: (balance, unit) =>
      `Der Dienst ist pausiert: Das Guthaben von ${balance} deckt keine weitere Nutzung, daher werden Anrufe und Nachrichten abgelehnt, die ${unit} kosten. Laden Sie Guthaben auf, um sofort fortzufahren.`,
    paymentFailed: ({ number, day, reason }) =>
      `Die Zahlung der Rechnung ${number} ist am ${day} fehlgeschlagen (${reason}). Bezahlen Sie die Rechnung oder ändern Sie die Zahlungsmethode, damit der Dienst weiterläuft.`,
    lessThanADay: 'weniger als einen Tag',
    aboutDays: (days) => `etwa ${days} ${days === 1 ? 'Tag' : 'Tage'}`,
    runsOut: ({ rate, days, until, cycleEnd }) =>
      `Bei ${rate} pro Tag reicht das Guthaben ${days}, bis zum ${until}, bevor der Abrechnungszeitraum am ${cycleEnd} endet. Laden Sie Guthaben auf, um eine Pause zu vermeiden.`,
    held: (drafts: number) =>
      `${drafts === 0 ? 'Ihre nächste Rechnung wird' : drafts === 1 ? 'Eine Rechnung wird' : `${drafts} Rechnungen werden`} als Entwurf zurückgehalten, bis Ihre Rechnungsanschrift vorliegt: Eine Rechnung an ein Unternehmen muss die Anschrift des Leistungsempfängers nennen. Senden Sie uns Ihre Anschrift, damit sie ausgestellt wird.`,
  },
  meter: (meter) => METERS[meter] ?? meter.replaceAll('_', ' '),
  unit: (unit, many) => {
    const names = UNITS[unit] ?? UNITS[unit.replace(/s$/, '')];
    return names ? names[many ? 1 : 0] : unit;
  },
};
