// The seller's logo on invoices: a PNG or JPEG, carried as a data URL (the catalog file may name a
// file beside it instead; loading the catalog reads that file into one). The image's own bytes
// decide its type, not a name or a claim: what is not a PNG or a JPEG is refused when the catalog loads.

/**
 * The largest logo accepted: every invoice page carries it inline and every PDF embeds it, so a
 * logo is a small image; 256 KiB holds a print-quality PNG of a letterhead logo.
 */
export const MAX_LOGO_BYTES = 256 * 1024;

export type LogoType = 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** What the bytes are by their signature: a PNG, a JPEG, or neither. */
export function imageTypeOf(bytes: Uint8Array): LogoType | undefined {
  const starts = (signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (starts(PNG_SIGNATURE)) return 'image/png';
  if (starts(JPEG_SIGNATURE)) return 'image/jpeg';
  return undefined;
}

/** The logo's bytes as a data URL, or why they cannot be one. */
export function logoDataUrl(bytes: Uint8Array): { url: string } | { error: string } {
  if (bytes.length > MAX_LOGO_BYTES) return { error: `is ${bytes.length} bytes; a logo may have at most ${MAX_LOGO_BYTES}` };
  const type = imageTypeOf(bytes);
  if (!type) return { error: 'must be a PNG or JPEG image' };
  return { url: `data:${type};base64,${Buffer.from(bytes).toString('base64')}` };
}

const DATA_URL = /^data:(image\/png|image\/jpeg);base64,([A-Za-z0-9+/]+={0,2})$/;

/** A logo's data URL read back: its type and bytes, or why it is not a logo. */
export function readLogo(url: string): { type: LogoType; bytes: Buffer } | { error: string } {
  const match = DATA_URL.exec(url);
  if (!match) return { error: 'must be a data URL (data:image/png;base64,…) or the path of a PNG or JPEG file beside the catalog' };
  const bytes = Buffer.from(match[2]!, 'base64');
  const checked = logoDataUrl(bytes);
  if ('error' in checked) return checked;
  if (imageTypeOf(bytes) !== match[1]) return { error: `says ${match[1]} but holds a ${imageTypeOf(bytes)}` };
  return { type: match[1] as LogoType, bytes };
}
