import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { countSmsSegments } from '../../../server/src/domain/rating/smsSegments';

const a = (n: number) => 'a'.repeat(n);

describe('SMS segments (DOMAIN.md model 2)', () => {
  test('160 GSM-7 characters fit one segment', () => {
    expect(countSmsSegments(a(160))).toEqual({ segments: 1, encoding: 'GSM-7' });
  });
  test('161 GSM-7 characters need two segments of 153', () => {
    expect(countSmsSegments(a(161)).segments).toBe(2);
    expect(countSmsSegments(a(306)).segments).toBe(2);
    expect(countSmsSegments(a(307)).segments).toBe(3);
  });
  test('GSM-7 extension characters ^ { } \\ [ ~ ] | € count twice: 80 € fill one segment, 81 need two', () => {
    expect(countSmsSegments('€'.repeat(80))).toEqual({ segments: 1, encoding: 'GSM-7' });
    expect(countSmsSegments('€'.repeat(81)).segments).toBe(2);
    expect(countSmsSegments('^{}\\[~]|'.repeat(10)).segments).toBe(1);
    expect(countSmsSegments('^{}\\[~]|'.repeat(10) + 'a').segments).toBe(2);
  });
  test('one character outside GSM-7 switches the whole message to UCS-2, 70 per segment', () => {
    expect(countSmsSegments('ć' + a(69))).toEqual({ segments: 1, encoding: 'UCS-2' });
    expect(countSmsSegments('ć' + a(70))).toEqual({ segments: 2, encoding: 'UCS-2' });
  });
  test('a longer UCS-2 message holds 67 per part: 134 characters are two segments, 135 three', () => {
    expect(countSmsSegments('ć'.repeat(134)).segments).toBe(2);
    expect(countSmsSegments('ć'.repeat(135)).segments).toBe(3);
  });
  test('an emoji outside the basic plane counts as two: 35 emoji fit one segment, 36 need two', () => {
    expect(countSmsSegments('😀'.repeat(35))).toEqual({ segments: 1, encoding: 'UCS-2' });
    expect(countSmsSegments('😀'.repeat(36)).segments).toBe(2);
    expect(countSmsSegments('😀' + a(68)).segments).toBe(1);
    expect(countSmsSegments('😀' + a(69)).segments).toBe(2);
  });
  test('accented letters that GSM-7 has (é, ü, ñ) keep the message in GSM-7', () => {
    expect(countSmsSegments('é' + 'ü' + 'ñ' + a(157))).toEqual({ segments: 1, encoding: 'GSM-7' });
  });
});

describe('SMS segments: our plain-GSM-7 shortcut agrees with the library', () => {
  const basic = [...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'];
  const other = ['€', '^', '{', '[', '~', 'ć', '😀', 'ł', '\u00a0'];
  const library = (text: string) => {
    const message = new SegmentedMessage(text, 'auto');
    return { segments: message.segmentsCount, encoding: message.encodingName };
  };

  test('any text of the basic GSM-7 set, with or without one foreign character, counts as the library counts it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...basic), { minLength: 1, maxLength: 700 }),
        fc.option(fc.tuple(fc.constantFrom(...other), fc.nat()), { nil: undefined }),
        (chars, foreign) => {
          if (foreign) chars.splice(foreign[1] % (chars.length + 1), 0, foreign[0]);
          const text = chars.join('');
          expect(countSmsSegments(text)).toEqual(library(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});
