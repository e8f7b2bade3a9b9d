// Usage events in the assistants' own vocabulary, validated field by field. An event that passes
// this schema is well-formed; whether it may be charged is rating's question.
import { z } from 'zod';
import { findUnstorableText } from '../storableText';
import { isoInstant } from '../instant';

/** The built-in types, with their own fields and rules; a catalog may declare more (eventSchemas.ts). */
export const EVENT_TYPES = ['chat', 'call', 'sms', 'whatsapp', 'ai_conversation'] as const;
export type BuiltInEventType = (typeof EVENT_TYPES)[number];
/** A built-in type or one the catalog declares: a snake_case code. */
export type EventType = string;

export function isBuiltInEventType(type: string): type is BuiltInEventType {
  return (EVENT_TYPES as readonly string[]).includes(type);
}

/** Longest accepted call: a day. A longer duration is a client bug, not a call. */
export const MAX_DURATION_SECONDS = 86_400;
/** Most tokens one event may report; a billion tokens in one turn is a client bug. */
export const MAX_TOKENS = 1_000_000_000;
/** Most SMS segments one event may report (a concatenated SMS has at most 255 parts). */
export const MAX_SEGMENTS = 255;
/** Longest SMS text accepted: 255 parts of 153 characters. */
export const MAX_SMS_TEXT = 255 * 153;
/** Most metadata keys on one event, as on an account: metadata is for references, not for data. */
export const MAX_METADATA_KEYS = 20;
/** Longest identifier (event id, account id, conversation, contact) we store. */
export const MAX_ID_LENGTH = 128;

export const identifier = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@+-]*$/, 'may contain letters, digits and _ . : @ + - only');

const tokens = z.number().int().min(0).max(MAX_TOKENS);
export const label = z.string().min(1).max(MAX_ID_LENGTH);
const direction = z.enum(['inbound', 'outbound']);

const chatData = z.strictObject({
  input_tokens: tokens,
  output_tokens: tokens,
  tool_calls: z.number().int().min(0).max(10_000).optional(),
  assistant: label.optional(),
  conversation: label.optional(),
});

const callData = z.strictObject({
  duration_seconds: z.number().min(0).max(MAX_DURATION_SECONDS),
  input_tokens: tokens.optional(),
  output_tokens: tokens.optional(),
  direction: direction.optional(),
  answered: z.boolean().default(true),
  destination_country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as DE')
    .optional(),
  number: label.optional(),
  campaign: label.optional(),
  assistant: label.optional(),
});

const smsFields = z.strictObject({
  direction,
  text: z.string().min(1).max(MAX_SMS_TEXT).optional(),
  segments: z.number().int().min(1).max(MAX_SEGMENTS).optional(),
  number: label.optional(),
  campaign: label.optional(),
  assistant: label.optional(),
});
/** An SMS names its text or its segments, whatever fields a catalog adds. */
function needsTextOrSegments<Schema extends z.ZodObject>(schema: Schema) {
  return schema.refine((d: Record<string, unknown>) => d['text'] !== undefined || d['segments'] !== undefined, {
    message: 'an sms needs text or segments',
    path: ['text'],
  });
}
const smsData = needsTextOrSegments(smsFields);

const whatsappData = z.strictObject({
  direction,
  contact: label,
  input_tokens: tokens.optional(),
  output_tokens: tokens.optional(),
  number: label.optional(),
  campaign: label.optional(),
  assistant: label.optional(),
});

export type WhatsAppData = z.infer<typeof whatsappData>;

const aiConversationData = z.strictObject({
  conversation: label,
  feature: z.enum(['autopilot', 'suggested_reply', 'playground']),
  assistant: label.optional(),
});

export const envelope = {
  id: identifier,
  account: identifier,
  timestamp: isoInstant,
  metadata: z
    .record(z.string().min(1).max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `at most ${MAX_METADATA_KEYS} keys`)
    .optional(),
  /** The reservation this usage settles (a call reserved when it started). */
  reservation: identifier.optional(),
};

/** The fields of each built-in type, before a catalog adds its own. */
export const BUILT_IN_DATA = { chat: chatData, call: callData, sms: smsFields, whatsapp: whatsappData, ai_conversation: aiConversationData } as const;

/** Checks that hold across fields of a built-in type, applied after a catalog's fields are added. */
export const BUILT_IN_RULES: Partial<Record<BuiltInEventType, (schema: z.ZodObject) => z.ZodType>> = {
  sms: needsTextOrSegments,
};

/** Facts rating derives for a type and `when` may test beside its fields: the WhatsApp window. */
export const DERIVED_FACTS: Partial<Record<BuiltInEventType, readonly string[]>> = { whatsapp: ['window'] };

/** The report dimensions every type may carry; a catalog's own types get them too. */
export const COMMON_DIMENSIONS = ['assistant', 'campaign', 'number'] as const;

/** The five event types over one envelope. */
function eventSchema<Envelope extends z.ZodRawShape>(envelope: Envelope) {
  return z.discriminatedUnion(
    'type',
    [
      z.strictObject({ ...envelope, type: z.literal('chat'), data: chatData }),
      z.strictObject({ ...envelope, type: z.literal('call'), data: callData }),
      z.strictObject({ ...envelope, type: z.literal('sms'), data: smsData }),
      z.strictObject({ ...envelope, type: z.literal('whatsapp'), data: whatsappData }),
      z.strictObject({ ...envelope, type: z.literal('ai_conversation'), data: aiConversationData }),
    ],
    { error: () => `must be one of ${EVENT_TYPES.join(', ')}` },
  );
}

export const usageEventSchema = eventSchema(envelope);

/** An event as a client sends it: the timestamp may be left out. */
export const sentEventSchema = eventSchema({ ...envelope, timestamp: isoInstant.optional() });

/**
 * An event as a client sends it, its data not yet held against a catalog: the recorder checks the
 * type and data against the catalog of the event's account, in the transaction that rates it.
 */
export const sentEnvelopeSchema = z.strictObject({
  ...envelope,
  timestamp: isoInstant.optional(),
  type: z.string({ error: 'must name an event type, such as call' }).min(1).max(MAX_ID_LENGTH),
  data: z.record(z.string(), z.unknown(), { error: "must be an object of the event's fields" }),
});

/** A sent event whose envelope is checked and whose type and data are still to be. */
export type SentEvent = Omit<UsageEvent, 'type' | 'data'> & { type: string; data: Record<string, unknown> };

/** An event of a type the catalog declares: the envelope, and data as its declaration allows. */
type DeclaredTypeEvent = Omit<z.infer<typeof usageEventSchema>, 'type' | 'data'> & { type: EventType; data: EventData };

export type UsageEvent = (z.infer<typeof usageEventSchema> | DeclaredTypeEvent) & {
  /**
   * Sent without a timestamp: it happened when the server received it. A resend without one is the
   * same event whenever it comes (a retried n8n execution), so its time is not compared.
   */
  readonly stampedOnReceipt?: true;
};

/**
 * Parses an event as sent, stamping one without a timestamp with the time it was received. Text the
 * store cannot keep is refused first, naming its field, so that an event of a batch is rejected
 * alone instead of failing the transaction it would have joined.
 */
export function parseUsageEvent(
  input: unknown,
  receivedAt: Date,
  /** The catalog's schema of a sent event (eventSchemaFor(catalog).sent); the built-in types alone when not given. */
  schema: z.ZodType = sentEventSchema,
): { success: true; data: UsageEvent } | { success: false; error: z.ZodError } {
  const found = findUnstorableText(input);
  if (found) return { success: false, error: new z.ZodError([{ code: 'custom', message: found.message, path: found.path, input }]) };
  const parsed = schema.safeParse(input) as z.ZodSafeParseResult<z.infer<typeof sentEventSchema>>;
  if (!parsed.success) return parsed;
  if (parsed.data.timestamp !== undefined) return parsed as { success: true; data: UsageEvent };
  return { success: true, data: { ...parsed.data, timestamp: receivedAt.toISOString(), stampedOnReceipt: true } as UsageEvent };
}

/** Parses an event's envelope as parseUsageEvent does, leaving its type and data to the recorder. */
export function parseSentEvent(input: unknown, receivedAt: Date): { success: true; data: SentEvent } | { success: false; error: z.ZodError } {
  return parseUsageEvent(input, receivedAt, sentEnvelopeSchema) as { success: true; data: SentEvent } | { success: false; error: z.ZodError };
}

export type EventData = Record<string, string | number | boolean | undefined>;
