// What an invoice line says, as data: the line writers (plan fees, add-ons, usage, rents, included
// usage, top-ups) describe a line once, and each language words it (texts/en.ts, texts/de.ts). An
// invoice is issued in its account's language, and the words it was issued with stay on its row.
import type { Cycle } from '../cycle/Cycle';
import { localFormat, type LocalFormat } from '../display/localFormat';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../display/Locale';
import type { Money } from '../money';

export type LineText =
  | { kind: 'planFee'; plan: string; period: Cycle }
  | { kind: 'planFeePart'; plan: string; part: Cycle; cycle: Cycle }
  | { kind: 'planFeeCredited'; plan: string; part: Cycle }
  | { kind: 'addOn'; name: string; period: Cycle }
  | { kind: 'usage'; service: string; period: Cycle }
  | { kind: 'numberRent'; number: string; type: string; country: string; period: Cycle }
  | { kind: 'included'; unit: string; period: Cycle; used: Money; included: Money | 'unlimited' }
  | { kind: 'topUp'; unit: string; amount: Money; inCurrency: boolean };

/** English as the documents spoke before they had a language: ISO days, figures grouped with commas. */
const ENGLISH = localFormat(DEFAULT_DISPLAY);

/** A line's English words with the text they say, for a line writer to spread into its line. */
export function described(text: LineText): { description: string; text: LineText } {
  return { description: describeLine(text), text };
}

/** The line's words in the language of `f` (English when not given). */
export function describeLine(text: LineText, f: LocalFormat = ENGLISH): string {
  const words = f.texts.lines;
  switch (text.kind) {
    case 'planFee':
      return words.planFee(text.plan, f.period(text.period));
    case 'planFeePart':
      return words.planFeePart(text.plan, f.period(text.part), f.period(text.cycle));
    case 'planFeeCredited':
      return words.planFeeCredited(text.plan, f.period(text.part));
    case 'addOn':
      return words.addOn(text.name, f.period(text.period));
    case 'usage':
      return words.usage(text.service, f.period(text.period));
    case 'numberRent':
      return words.numberRent({
        number: text.number,
        type: text.type,
        country: text.country,
        countryName: f.country(text.country),
        period: f.period(text.period),
      });
    case 'included':
      return words.included({
        units: f.texts.unit(text.unit, true),
        period: f.period(text.period),
        used: f.figure(text.used),
        included: text.included === 'unlimited' ? 'unlimited' : f.figure(text.included),
      });
    case 'topUp':
      return text.inCurrency ? words.balanceTopUp : words.topUp({ unit: text.unit, units: f.texts.unit(text.unit, true), amount: f.figure(text.amount) });
  }
}

/**
 * The lines worded in the language of `display` (an account's): English lines keep their words, as
 * does a line whose writer gave no text.
 */
export function inLanguage<Line extends { description: string; text?: LineText }>(lines: readonly Line[], display: DisplaySettings): Line[] {
  const f = localFormat(display);
  if (f.language === ENGLISH.language) return [...lines];
  return lines.map((line) => (line.text ? { ...line, description: describeLine(line.text, f) } : line));
}
