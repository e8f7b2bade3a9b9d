// The customer-facing texts in English: invoices and credit notes, the explanations of charges and
// the dashboard's notices. Figures arrive formatted (see display/localFormat); the sentences are
// the ones the documents spoke before they had a language, so English documents read as before.
// Its shape is `Texts`: every other language must have every key (texts/de.ts).
import { pluralOf } from '../forPeople';

export const en = {
  document: {
    invoice: 'Invoice',
    creditNote: 'Credit note',
    from: 'From',
    billTo: 'Bill to',
    creditTo: 'Credit to',
    issued: (day: string) => `Issued ${day}`,
    drafted: (day: string) => `Drafted ${day}`,
    /** Where a draft's number will be: it takes one when it is issued. */
    draftNumber: 'Draft, not numbered yet',
    /** A draft's payment sentence quotes this instead of its number. */
    itsNumber: 'its number',
    noteIssued: (day: string) => `Issued ${day}`,
    dueOnReceipt: 'Due on receipt',
    due: (day: string) => `Due ${day}`,
    customerNumber: (number: string) => `Customer number ${number}`,
    servicePeriod: (period: string) => `Service period ${period}`,
    dateOfSupply: (day: string) => `Date of supply ${day}`,
    creditsInvoice: (number: string, day: string) => `Credits invoice ${number} of ${day}`,
    status: { draft: 'Draft', open: 'Open', paid: 'Paid', failed: 'Payment failed', void: 'Void' },
    columns: { description: 'Description', quantity: 'Quantity', unit: 'Unit', unitPrice: 'Unit price', net: 'Net' },
    net: 'Net',
    vat: (rate: string, net: string) => `VAT ${rate}% on ${net}`,
    total: 'Total',
    vatId: (id: string) => `VAT ID ${id}`,
    paymentFailed: (day: string, reason: string) => `Payment failed on ${day}: ${reason}`,
    paymentFailures: { card_declined: 'card declined', insufficient_funds: 'insufficient funds', expired_card: 'expired card' } as Record<string, string>,
    voided: (day: string, reason: string) => `Void since ${day}: ${reason}. Nothing is to be paid.`,
    pleasePay: (p: { amount: string; when: string; where: string }) => `Please pay ${p.amount} ${p.when}${p.where}.`,
    payOnReceipt: 'on receipt',
    payBy: (day: string) => `by ${day}`,
    payTo: (p: { holder: string; iban: string; bic?: string; bank?: string; number: string }) =>
      ` to ${p.holder}, IBAN ${p.iban}${p.bic ? `, BIC ${p.bic}` : ''}${p.bank ? ` (${p.bank})` : ''}, quoting ${p.number}`,
    credited: (amount: string) => `Credit notes credited ${amount} of this invoice.`,
    creditedToBalance: (amount: string) => `Credited to your balance: ${amount}.`,
    takenOff: (amount: string, number: string) => `${amount} is taken off what invoice ${number} asks, or refunded to you if it is paid.`,
    reason: (reason: string) => `Reason: ${reason}`,
    reverseCharge: 'Reverse charge: VAT is owed by the recipient (Article 196, Council Directive 2006/112/EC).',
    rounding: 'Prices are net. Each line is rounded once, half up, to the cent.',
    managingDirectors: (names: string[]) => `Managing director${names.length > 1 ? 's' : ''}: ${names.join(', ')}`,
    taxNumber: (number: string) => `Tax number ${number}`,
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  },
  /** What invoice lines say; figures and periods arrive formatted (see invoice/LineText). */
  lines: {
    planFee: (plan: string, period: string) => `${plan} plan, ${period}`,
    planFeePart: (plan: string, part: string, cycle: string) => `${plan} plan, ${part} (part of the cycle ${cycle})`,
    planFeeCredited: (plan: string, part: string) => `${plan} plan, ${part} not used: paid in advance, credited`,
    addOn: (name: string, period: string) => `${name}, ${period}`,
    usage: (service: string, period: string) => `${service}, ${period}`,
    numberRent: (p: { number: string; type: string; country: string; countryName: string; period: string }) =>
      `Phone number ${p.number} (${p.type}, ${p.country}), ${p.period}`,
    included: (p: { units: string; period: string; used: string; included: string }) =>
      p.included === 'unlimited'
        ? `Included ${p.units}, ${p.period}: ${p.used} ${p.units} used (unlimited)`
        : `Included ${p.units}, ${p.period}: ${p.used} of ${p.included} ${p.units} used`,
    balanceTopUp: 'Balance top-up',
    topUp: (p: { unit: string; units: string; amount: string }) => `${p.unit.charAt(0).toUpperCase()}${p.unit.slice(1)} top-up, ${p.amount} ${p.unit}`,
  },
  explanation: {
    measured: (name: string, quantity: string) => `${name}: ${quantity} measured`,
    billedInIncrements: (increments: string, quantity: string) => `billed in ${increments} increments as ${quantity}`,
    billedAs: (quantity: string) => `billed as ${quantity}`,
    allowanceUsedUp: (meter: string) => `the included ${meter} were used up`,
    coveredBy: (p: { quantity: string; meter: string; used: string }) => `${p.quantity} covered by the included ${p.meter} (${p.used})`,
    charged: (p: { quantity: string; rate: string; per: string; amount: string }) => `${p.quantity} charged at ${p.rate} per ${p.per} = ${p.amount}`,
    /** Tiers: where the cycle stood, each tier's units, what the event came to in all. */
    chargedInTiers: (p: { mode: 'graduated' | 'volume'; quantity: string; before: string; after: string; lines: string; amount: string }) =>
      p.mode === 'graduated'
        ? `${p.quantity} charged in graduated tiers, the cycle at ${p.before} before: ${p.lines}; in all ${p.amount}`
        : `${p.quantity} charged at volume tiers, every unit of the cycle (${p.after}) at the tier it reached: ${p.lines}; in all ${p.amount}`,
    tierLine: (p: { quantity: string; tier: number; rate: string; per: string; amount: string }) =>
      `${p.quantity} in tier ${p.tier} at ${p.rate} per ${p.per} = ${p.amount}`,
    tierTakenBack: (p: { quantity: string; tier: number; rate: string; per: string; amount: string }) =>
      `less the ${p.quantity} charged before in tier ${p.tier} at ${p.rate} per ${p.per} (${p.amount})`,
    accountPrice: "at the account's agreed price",
    creditedBack: (amount: string) => `The cycle reached a cheaper volume tier: ${amount} went back to the balance.`,
    sources: {
      plan_credits: 'the plan credits',
      topup: 'the top-up',
      adjustment: 'an adjustment',
      refund: 'a refund',
      debt: 'what is owed beyond every grant',
    },
    and: 'and',
    paidFrom: (list: string) => `Paid from ${list}.`,
    late: (at: string) => ` It arrived after its cycle had closed and is billed in the open cycle, as of ${at}.`,
    free: (p: { type: string; id: string; at: string }) => `The ${p.type} event ${p.id} of ${p.at} matched no priced service and cost nothing.`,
    cost: (p: { type: string; id: string; at: string; cost: string }) => `The ${p.type} event ${p.id} of ${p.at} cost ${p.cost}.`,
  },
  notices: {
    paused: (balance: string, unit: string) =>
      `Service is paused: the balance of ${balance} cannot cover further usage, so calls and messages that cost ${unit} are refused. Top up to resume at once.`,
    paymentFailed: (p: { number: string; day: string; reason: string }) =>
      `The payment of invoice ${p.number} failed on ${p.day} (${p.reason}). Pay the invoice or update the payment method to keep the service running.`,
    lessThanADay: 'less than a day',
    aboutDays: (days: number) => `about ${days} ${days === 1 ? 'day' : 'days'}`,
    runsOut: (p: { rate: string; days: string; until: string; cycleEnd: string }) =>
      `At ${p.rate} a day, the balance lasts ${p.days}, until ${p.until}, before the cycle ends on ${p.cycleEnd}. Top up to avoid a pause.`,
    held: (drafts: number) =>
      `${drafts === 0 ? 'Your next invoice will be held' : `${drafts === 1 ? 'An invoice is' : `${drafts} invoices are`} held`} as a draft until your billing address is given: an invoice to a business must name the buyer's address. Send your address to have it issued.`,
  },
  /** An allowance's meter as sentences name it: the catalog's code in words. */
  meter: (meter: string): string => meter.replaceAll('_', ' '),
  /** A unit as invoices and sentences name it, one or many: the catalog's own word, an s for many (not on a code such as EUR). */
  unit: (unit: string, many: boolean): string => (many && !/^[A-Z]+$/.test(unit) ? pluralOf(unit) : unit),
};

export type Texts = typeof en;
