// The event types a catalog speaks: the five built-in ones with the fields the catalog adds to
// them, and the operator's own. Validators are compiled once per catalog object and kept with it,
// so that ingesting an event never builds a schema.
import { z } from 'zod';
import { type Catalog, DEFAULT_QUANTITY_MAX, type EventFieldDeclaration, MAX_DIMENSION_TEXT, quantityFields } from '../catalog/Catalog';
import {
  BUILT_IN_DATA,
  BUILT_IN_RULES,
  COMMON_DIMENSIONS,
  envelope,
  EVENT_TYPES,
  type EventType,
  isBuiltInEventType,
  label,
  type SentEvent,
  type UsageEvent,
} from './UsageEvent';
import { type DomainError, validationFailed } from '../errors';
import { fromZod } from '../fieldIssue';
import { isoInstant } from '../instant';

/** Longest text a declared string field takes, as a metadata value: fields are for labels, not documents. */
export const MAX_FIELD_TEXT = 512;

/** One field of an event type as clients and the n8n node discover it. */
export interface EventFieldDescription {
  name: string;
  type: EventFieldDeclaration['type'];
  required: boolean;
  /** Set where the catalog declared the field (`false` for a built-in type's own fields). */
  declared: boolean;
  min?: number;
  max?: number;
  enum?: (string | number)[];
  /** Whether reports may group by it (`groupBy=<name>`). */
  dimension: boolean;
}

export interface EventSchemas {
  /** Every type an event may have: the built-in ones, then the catalog's own. */
  types: EventType[];
  /** An event as a client sends it (timestamp optional), over every type. */
  sent: z.ZodType;
  /** Each type's data as an event must carry it. */
  data: ReadonlyMap<EventType, z.ZodType>;
  /** Each type's data with every field optional: what authorize and reservations accept as an estimate. */
  partialData: ReadonlyMap<EventType, z.ZodType>;
  /** Each type's fields, for discovery. */
  fields: ReadonlyMap<EventType, EventFieldDescription[]>;
  /** The declared string fields marked as report dimensions, over all types. */
  dimensions: string[];
}

const compiled = new WeakMap<object, EventSchemas>();

/** The catalog's event schemas, compiled on first use and kept for the life of the catalog object. */
export function eventSchemaFor(catalog: Pick<Catalog, 'events'> & Partial<Pick<Catalog, 'services'>>): EventSchemas {
  let schemas = compiled.get(catalog);
  if (!schemas) {
    schemas = compile(catalog.events, quantityFields(catalog.services ?? []));
    compiled.set(catalog, schemas);
  }
  return schemas;
}

function compile(events: Catalog['events'], quantities: ReadonlySet<string>): EventSchemas {
  const types: EventType[] = [...EVENT_TYPES, ...Object.keys(events).filter((type) => !isBuiltInEventType(type))];
  const sentEnvelope = { ...envelope, timestamp: isoInstant.optional() };
  const variants: z.ZodObject[] = [];
  const data = new Map<EventType, z.ZodType>();
  const partialData = new Map<EventType, z.ZodType>();
  const fields = new Map<EventType, EventFieldDescription[]>();
  const dimensions = new Set<string>();
  for (const type of types) {
    const declared = Object.fromEntries(
      Object.entries(events[type]?.fields ?? {}).map(([name, field]) => [name, quantities.has(`${type}.${name}`) ? asQuantity(field) : field]),
    );
    const declaredShape = Object.fromEntries(Object.entries(declared).map(([name, field]) => [name, fieldSchema(field)]));
    const base = isBuiltInEventType(type) ? BUILT_IN_DATA[type] : z.strictObject(Object.fromEntries(COMMON_DIMENSIONS.map((name) => [name, label.optional()])));
    const shape = base.extend(declaredShape);
    const rule = isBuiltInEventType(type) ? BUILT_IN_RULES[type] : undefined;
    const whole = rule ? rule(shape) : shape;
    variants.push(z.strictObject({ ...sentEnvelope, type: z.literal(type), data: whole }));
    data.set(type, whole);
    partialData.set(type, shape.partial());
    fields.set(type, [...builtInFields(shape, declared), ...Object.entries(declared).map(([name, field]) => describe(name, field))]);
    for (const [name, field] of Object.entries(declared)) if (field.dimension) dimensions.add(name);
  }
  const sent = z.discriminatedUnion('type', variants as [z.ZodObject, ...z.ZodObject[]], { error: () => `must be one of ${types.join(', ')}` });
  return { types, sent, data, partialData, fields, dimensions: [...dimensions] };
}

/** The error for a type the catalog does not have, naming `field`. */
export function unknownEventType(catalog: Pick<Catalog, 'events'>, field = 'type'): DomainError {
  return validationFailed(field, `must be one of ${eventSchemaFor(catalog).types.join(', ')}`);
}

/**
 * The sent event as its catalog allows it, its data with their defaults (a call is answered unless
 * it says not); or the validation error naming the type or the field (`data.duration_seconds`).
 */
export function checkEventData(catalog: Catalog, event: SentEvent): { success: true; event: UsageEvent } | { success: false; error: DomainError } {
  const schema = eventSchemaFor(catalog).data.get(event.type);
  if (!schema) return { success: false, error: unknownEventType(catalog) };
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) return { success: false, error: fromZod(parsed.error, 'data') };
  return { success: true, event: { ...event, data: parsed.data } as UsageEvent };
}

/** A field a service counts: min 0 and DEFAULT_QUANTITY_MAX unless it declares its own (the catalog checks those). */
function asQuantity(field: EventFieldDeclaration): EventFieldDeclaration {
  if (field.type !== 'integer' && field.type !== 'number') return field;
  return { ...field, min: field.min ?? 0, max: field.max ?? DEFAULT_QUANTITY_MAX };
}

function fieldSchema(field: EventFieldDeclaration): z.ZodType {
  const values = field.enum;
  let schema: z.ZodType;
  if (field.type === 'boolean') schema = z.boolean();
  else if (field.type === 'string') {
    // A dimension's value is part of the rollups' key: shorter, like a label.
    const longest = field.dimension ? MAX_DIMENSION_TEXT : MAX_FIELD_TEXT;
    schema = values ? z.string().refine((v) => values.includes(v), `must be one of ${values.join(', ')}`) : z.string().min(1).max(longest);
  } else {
    let number = field.type === 'integer' ? z.number().int() : z.number();
    if (field.min !== undefined) number = number.min(field.min);
    if (field.max !== undefined) number = number.max(field.max);
    schema = values ? number.refine((v) => values.includes(v), `must be one of ${values.join(', ')}`) : number;
  }
  return field.required ? schema : schema.optional();
}

function describe(name: string, field: EventFieldDeclaration): EventFieldDescription {
  return {
    name,
    type: field.type,
    required: field.required === true,
    declared: true,
    ...(field.min !== undefined ? { min: field.min } : {}),
    ...(field.max !== undefined ? { max: field.max } : {}),
    ...(field.enum ? { enum: field.enum } : {}),
    dimension: field.dimension === true,
  };
}

/** A built-in type's own fields, read from its schema through JSON Schema (the one place they are declared). */
function builtInFields(shape: z.ZodObject, declared: Record<string, unknown>): EventFieldDescription[] {
  const json = z.toJSONSchema(shape, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string; minimum?: number; maximum?: number; enum?: (string | number)[] }>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {})
    .filter(([name]) => !(name in declared))
    .map(([name, property]) => ({
      name,
      type: (property.type === 'integer' || property.type === 'number' || property.type === 'boolean'
        ? property.type
        : 'string') as EventFieldDescription['type'],
      required: json.required?.includes(name) === true,
      declared: false,
      ...(property.minimum !== undefined ? { min: property.minimum } : {}),
      ...(property.maximum !== undefined ? { max: property.maximum } : {}),
      ...(property.enum ? { enum: property.enum } : {}),
      dimension: (COMMON_DIMENSIONS as readonly string[]).includes(name),
    }));
}
