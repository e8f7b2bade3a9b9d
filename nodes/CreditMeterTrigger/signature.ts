import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may lie from now: older requests are replays. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

export interface SignedRequest {
	id: string | undefined;
	timestamp: string | undefined;
	/** Space-separated `v1,<base64>` entries; several while a secret is being rotated. */
	signature: string | undefined;
	body: Buffer;
}

/**
 * Verifies a request signed as the Standard Webhooks specification says:
 * 1. all three headers are present;
 * 2. the timestamp lies within five minutes of now (a replayed request is refused);
 * 3. the expected signature is HMAC-SHA256, keyed with the base64 part of the `whsec_` secret,
 *    over `id.timestamp.body` (the raw body, byte for byte), in base64;
 * 4. one of the `v1` signatures equals it, compared in constant time.
 */
export function verifySignature(request: SignedRequest, secret: string, nowSeconds: number): boolean {
	const { id, timestamp, signature, body } = request;
	if (!id || !timestamp || !signature) return false;
	if (!/^\d+$/.test(timestamp)) return false;
	if (Math.abs(nowSeconds - Number(timestamp)) > REPLAY_WINDOW_SECONDS) return false;

	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	const expected = createHmac('sha256', key)
		.update(`${id}.${timestamp}.`)
		.update(body)
		.digest();
	return signature.split(' ').some((entry) => {
		const [version, value] = entry.split(',');
		if (version !== 'v1' || !value) return false;
		const given = Buffer.from(value, 'base64');
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
}
