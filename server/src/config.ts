// Configuration from environment variables, validated once at start; a bad value stops the start
// with one line that names the variable.
import { z } from 'zod';
import { WEBHOOK_TARGET_POLICIES } from './domain/webhooks/WebhookTarget';

/** What Express's trust proxy takes from a string: a hop count, true/false, or names and addresses. */
const TRUST_PROXY =
  /^(?:\d{1,3}|true|false|(?:loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(?:\/\d{1,3})?)(?:\s*,\s*(?:loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(?:\/\d{1,3})?))*)$/;

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  CREDITMETER_DATA_DIR: z.string().min(1).default('./data'),
  CREDITMETER_CATALOG: z.string().min(1).default('credits'),
  CREDITMETER_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Signs dashboard links; without it links are signed with a key derived from the API key. */
  CREDITMETER_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The address customers reach the server at, for dashboard links (behind a proxy, say). */
  CREDITMETER_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Which addresses webhooks may go to: private (the default: self-hosted n8n nearby) or public only. */
  CREDITMETER_WEBHOOK_TARGETS: z.enum(WEBHOOK_TARGET_POLICIES, { error: `must be one of ${WEBHOOK_TARGET_POLICIES.join(', ')}` }).default('private'),
  /** The proxies whose X-Forwarded-Host and -Proto are believed (Express's trust proxy); none when unset. */
  CREDITMETER_TRUST_PROXY: z
    .string()
    .regex(TRUST_PROXY, 'must be a hop count, true, or a comma-separated list of loopback, linklocal, uniquelocal and IP addresses or ranges')
    .optional(),
  CREDITMETER_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** A bearer token that reads GET /metrics and nothing else (for the Prometheus scraper). */
  CREDITMETER_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Requests per second per key, and the burst a key may send at once: "100/300", or "100" for a
   * burst of one second's worth. Unset: no limit.
   */
  CREDITMETER_RATE_LIMIT: z
    .string()
    .regex(/^\d{1,6}(\/\d{1,7})?$/, 'must be requests per second, optionally with a burst: 100 or 100/300')
    .transform((value) => {
      const [perSecond, burst] = value.split('/').map(Number);
      return { perSecond: perSecond!, burst: burst ?? perSecond! };
    })
    .refine((limit) => limit.perSecond >= 1 && limit.burst >= limit.perSecond, 'must allow at least 1 a second, with a burst no smaller than the rate')
    .optional(),
  /**
   * Server processes on one port (node:cluster), each with its own event loop and connections to
   * PostgreSQL; an embedded store belongs to one process, so more than 1 needs DATABASE_URL.
   */
  CREDITMETER_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** How long a stopping server lets the requests running finish before it cuts them (SIGTERM). */
  CREDITMETER_SHUTDOWN_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable is an unset one: `DATABASE_URL=` in a compose file means "no PostgreSQL".
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(set);
  if (result.success && result.data.CREDITMETER_PROCESSES > 1 && !result.data.DATABASE_URL) {
    throw new ConfigError('CREDITMETER_PROCESSES: more than 1 needs DATABASE_URL: an embedded store belongs to one process');
  }
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
}
