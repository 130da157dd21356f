import { z } from 'zod';

/**
 * Configuration comes only from environment variables, validated once at start-up.
 * A bad variable stops the process with a message naming it (never its value: some are secrets).
 */
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const bool = (def: boolean) =>
  z
    .preprocess((v) => (v === '' || v === undefined ? undefined : v), z.enum(['true', 'false', '1', '0']).default(def ? 'true' : 'false'))
    .transform((v) => v === 'true' || v === '1');
const HOUR_MS = 3_600_000;

export const configSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  /** Which parts run in this process: the HTTP API, the queue workers, or both (embedded default). */
  ROLE: z.preprocess(emptyToUndefined, z.enum(['all', 'api', 'worker']).default('all')),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  /** Where the embedded PGlite database and generated dev secrets live when DATABASE_URL is unset. */
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  PG_POOL_MAX: int(10, 1, 1000),
  /** How long an idle connection of the main pool is kept, ms (0: for ever). */
  PG_POOL_IDLE_MS: int(10_000, 0, 86_400_000),
  /**
   * Connections of the main pool an API process opens before it listens, with its hot reads
   * planned on each, and keeps however long they idle (at most PG_POOL_MAX; D220).
   */
  PG_POOL_MIN: int(10, 0, 1000),
  /** PostgreSQL connections kept for ledger exports, apart from the main pool (D216). */
  EXPORT_CONNECTIONS: int(2, 1, 100),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  ),
  QUEUE_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/)
      .default('smb'),
  ),
  WORKER_CONCURRENCY: int(2, 1, 64),
  /** Settlement jobs carry up to this many measurements (batching is what makes national scale cheap). */
  SETTLE_BATCH_SIZE: int(2000, 1, 10000),
  OUTBOX_POLL_MS: int(250, 10, 60000),
  /** How often a process's ledger sealer looks for appended entries when no commit kicked it. */
  SEAL_POLL_MS: int(200, 10, 60000),
  /** Whether this process runs a ledger sealer (`off`: leave sealing to other processes). */
  LEDGER_SEALER: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
  /** Ed25519 keys that sign ledger checkpoints: `<id>:<base64 PKCS#8 DER>`, comma-separated (docs/LEDGER.md). */
  LEDGER_SIGNING_KEYS: optionalString,
  LEDGER_SIGNING_ACTIVE_KEY_ID: optionalString,
  /** A sealer publishes a signed checkpoint of the chain head at most this often. */
  CHECKPOINT_INTERVAL_MS: int(5000, 100, 3600000),
  /** Entries per sealing transaction. */
  SEAL_BATCH_SIZE: int(2000, 1, 20000),
  FINALISE_INTERVAL_MS: int(60000, 100, 86400000),
  /** How often a worker brings the forecast's summary up to date while settlement is idle (its own timer, not a queue job). */
  FORECAST_REFRESH_MS: int(60000, 100, 86400000),
  /** How often a worker checks whether a bulk load has left the query planner's table statistics stale, and analyses those tables (D208). */
  STATS_REFRESH_MS: int(10000, 100, 86400000),
  /** Rows a table must have changed since its last analysis before the worker analyses it (and on PostgreSQL as many as it had, on PGlite a tenth; D223). */
  STATS_MIN_ROWS: int(10000, 1, 1000000000),
  /** Measurements left unsettled this long are re-enqueued (a job lost with Redis' data). */
  RECONCILE_AFTER_MS: int(120000, 1000, 86400000),
  /** Bootstrap admin API key (shown nowhere; stored hashed). Format: smb_<32 hex>_<secret>. */
  ADMIN_BOOTSTRAP_KEY: optionalString,
  /** CPR HMAC keyring: `id:base64secret,id2:base64secret`. Generated under DATA_DIR in development. */
  CPR_HMAC_KEYS: optionalString,
  CPR_HMAC_ACTIVE_KEY_ID: optionalString,
  /** The calendar date of a posting (payment-run cut-offs, statements) is read in this time zone. */
  BUSINESS_TIME_ZONE: z.preprocess(emptyToUndefined, z.string().default('Europe/Copenhagen')),
  BODY_LIMIT_BYTES: int(10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  /** Longest line of an NDJSON batch (bytes, line break excluded); a longer line is refused as an item (413). */
  NDJSON_MAX_LINE_BYTES: int(64 * 1024, 1024, 64 * 1024 * 1024),
  /**
   * Longest NDJSON batch (bytes) and most items in one: a batch over either is refused with 413
   * naming `body` — before anything is read when its Content-Length says so, else where the limit
   * is crossed (D179). The defaults fit a million children's measurements in one stream.
   */
  NDJSON_MAX_BODY_BYTES: int(1024 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
  NDJSON_MAX_ITEMS: int(5_000_000, 1, 100_000_000),
  /**
   * Per API key (per client address without a key), per process: a token bucket refilled at
   * RATE_LIMIT_PER_SECOND (fractions allowed; 0 disables) holding up to RATE_LIMIT_BURST requests.
   */
  RATE_LIMIT_PER_SECOND: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1_000_000).default(5000)),
  RATE_LIMIT_BURST: int(10_000, 1, 10_000_000),
  /** How long an Idempotency-Key and its stored response are kept. */
  IDEMPOTENCY_TTL_HOURS: int(24, 1, 24 * 90),
  /**
   * Webhook targets on loopback, private, link-local or other non-public addresses are refused
   * (SSRF) unless this is true. Tests set it to reach their receiver on 127.0.0.1.
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool(false),
  /** One delivery attempt waits this long for the receiver's answer. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 120_000),
  /** Back-off of failed deliveries: base · 2^(n−1), at most the max delay, retried for the window (≥ 24 h in production). */
  WEBHOOK_RETRY_BASE_MS: int(60_000, 10, 24 * HOUR_MS),
  WEBHOOK_RETRY_MAX_DELAY_MS: int(6 * HOUR_MS, 10, 7 * 24 * HOUR_MS),
  WEBHOOK_RETRY_WINDOW_MS: int(24 * HOUR_MS, 100, 30 * 24 * HOUR_MS),
  /** Deliveries attempted at once per worker process (their own queue, apart from settlement). */
  WEBHOOK_CONCURRENCY: int(4, 1, 64),
  /**
   * Keys that seal webhook signing secrets at rest (AES-256-GCM): `id:base64secret,…` (≥ 32 bytes
   * each), the active one named apart. Generated under DATA_DIR in development (docs/SECURITY.md).
   */
  WEBHOOK_SECRET_KEYS: optionalString,
  WEBHOOK_SECRET_ACTIVE_KEY_ID: optionalString,
  /** After a secret rotation the previous secret keeps signing this long unless the rotation names its own overlap. */
  WEBHOOK_SECRET_OVERLAP_HOURS: int(24, 0, 168),
  /** How often a worker looks for deliveries whose attempt is overdue (a job lost with Redis' data). */
  WEBHOOK_SWEEP_MS: int(5_000, 50, 3_600_000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (config.NODE_ENV === 'production') {
    if (!config.DATABASE_URL) problems.push('DATABASE_URL: required in production');
    if (!config.REDIS_URL) problems.push('REDIS_URL: required in production');
    if (!config.CPR_HMAC_KEYS) problems.push('CPR_HMAC_KEYS: required in production');
    if (!config.LEDGER_SIGNING_KEYS) problems.push('LEDGER_SIGNING_KEYS: required in production');
    if (!config.WEBHOOK_SECRET_KEYS) problems.push('WEBHOOK_SECRET_KEYS: required in production');
    if (config.WEBHOOK_RETRY_WINDOW_MS < 24 * HOUR_MS) problems.push('WEBHOOK_RETRY_WINDOW_MS: at least 24 hours (86400000) in production');
  }
  if (config.ROLE === 'worker' && !config.REDIS_URL) {
    problems.push('REDIS_URL: required when ROLE=worker (the in-process queue cannot be shared)');
  }
  if (config.ROLE === 'api' && !config.REDIS_URL) {
    problems.push('REDIS_URL: required when ROLE=api (a separate worker must see the jobs)');
  }
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: config.BUSINESS_TIME_ZONE });
  } catch {
    problems.push('BUSINESS_TIME_ZONE: not a known IANA time zone');
  }
  if (config.CPR_HMAC_KEYS && !config.CPR_HMAC_ACTIVE_KEY_ID) {
    problems.push('CPR_HMAC_ACTIVE_KEY_ID: required when CPR_HMAC_KEYS is set');
  }
  if (config.LEDGER_SIGNING_KEYS && !config.LEDGER_SIGNING_ACTIVE_KEY_ID) {
    problems.push('LEDGER_SIGNING_ACTIVE_KEY_ID: required when LEDGER_SIGNING_KEYS is set');
  }
  if (config.WEBHOOK_SECRET_KEYS && !config.WEBHOOK_SECRET_ACTIVE_KEY_ID) {
    problems.push('WEBHOOK_SECRET_ACTIVE_KEY_ID: required when WEBHOOK_SECRET_KEYS is set');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
