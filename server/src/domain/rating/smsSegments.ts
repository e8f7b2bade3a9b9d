// SMS segment counting: GSM-7 (160, or 153 per part; extension characters count twice) or UCS-2
// (70, or 67 per part; characters outside the basic plane count twice). The maintained
// sms-segments-calculator does the encoding work; this function is our seam and our contract.
import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function countSmsSegments(text: string): { segments: number; encoding: SmsEncoding } {
  const message = new SegmentedMessage(text, 'auto');
  return { segments: message.segmentsCount, encoding: message.encodingName as SmsEncoding };
}
