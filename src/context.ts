import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type Database, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { installCatalogue } from './services/catalogue.js';
import { CprKeyring, parseKeyringEnv } from './domain/cpr.js';
import { InProcessQueue } from './queue/in-process.js';
import { BullQueue, WEBHOOK_QUEUE_NAME } from './queue/bullmq.js';
import { OutboxRelay } from './queue/outbox-relay.js';
import { LedgerSealer } from './services/ledger-sealer.js';
import { SigningKeyring, ed25519PrivateKey, parseSigningKeysEnv } from './ledger/checkpoint.js';
import type { JobQueue } from './queue/types.js';
import { createServices, type Services } from './services/index.js';
import { stalenessPolicy } from './services/table-statistics.js';
import { assertCprKeysInRing } from './services/cpr-keys.js';
import { sealWebhookSecrets } from './services/webhook-secrets.js';
import type { WebhookOptions } from './services/webhooks.js';
import { WebhookSecretBox } from './webhooks/secret-box.js';
import { ApiKeyRepository } from './repositories/api-keys.js';
import { generateApiKey, parseApiKey, hashSecret } from './auth/api-key.js';

/**
 * Everything a process needs, wired once: database, queue, relay, CPR keyring, services.
 * The API, the worker and the tests all start from here, so they share one wiring.
 */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  queue: JobQueue;
  /** Webhook deliveries: their own queue, so a slow receiver never holds settlement up. */
  webhookQueue: JobQueue;
  relay: OutboxRelay;
  /** Seals appended journal entries into the hash chain (one sealer at a time across processes). */
  sealer: LedgerSealer;
  log: Logger;
  cpr: CprKeyring;
  /** Ed25519 keys that sign ledger checkpoints (the active one signs). */
  signingKeys: SigningKeyring;
  /** Seals webhook signing secrets at rest (WEBHOOK_SECRET_KEYS). */
  webhookSecrets: WebhookSecretBox;
  services: Services;
  apiKeys: ApiKeyRepository;
  /** "Now" for every service and repository of this process (injectable: review windows in tests). */
  clock: () => Date;
  /** The development admin key file under DATA_DIR, and whether this start created it; null otherwise. */
  devAdminKey: { file: string; generated: boolean } | null;
  close(): Promise<void>;
}

export interface ContextOptions {
  /** Use this clock instead of the wall clock (review windows in tests). */
  clock?: () => Date;
  /** Run the database in memory (tests, vector runs) instead of under DATA_DIR. */
  inMemory?: boolean;
}

function loadKeyring(config: Config, log: Logger, dataDir: string | null): CprKeyring {
  if (config.CPR_HMAC_KEYS) {
    return new CprKeyring(parseKeyringEnv(config.CPR_HMAC_KEYS), config.CPR_HMAC_ACTIVE_KEY_ID!);
  }
  // Development: a key generated once and kept beside the embedded database.
  let secret: Buffer;
  if (dataDir) {
    const file = join(dataDir, 'cpr-hmac.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
      log.warn({ file }, 'generated a development CPR HMAC key; set CPR_HMAC_KEYS in production');
    }
    secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } else {
    secret = randomBytes(32);
  }
  return new CprKeyring([{ id: 'dev', secret }], 'dev');
}

/**
 * The keys that seal webhook signing secrets: from WEBHOOK_SECRET_KEYS (production), else a
 * development key generated once under DATA_DIR (owner-only file), else (in memory) a key for
 * this process only. No part of a key is logged.
 */
function loadWebhookSecretBox(config: Config, log: Logger, dataDir: string | null): WebhookSecretBox {
  if (config.WEBHOOK_SECRET_KEYS) {
    return new WebhookSecretBox(parseKeyringEnv(config.WEBHOOK_SECRET_KEYS, 'Webhook secret keyring'), config.WEBHOOK_SECRET_ACTIVE_KEY_ID!);
  }
  let secret: Buffer;
  if (dataDir) {
    const file = join(dataDir, 'webhook-secret.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
      log.warn({ file }, 'generated a development webhook secret key; set WEBHOOK_SECRET_KEYS in production');
    }
    secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } else {
    secret = randomBytes(32);
  }
  return new WebhookSecretBox([{ id: 'dev', secret }], 'dev');
}

/** The webhook secret keys, after sealing what is stored in clear (before migration 0026) or under an older key (D178). */
async function openWebhookSecrets(config: Config, log: Logger, dataDir: string | null, database: Database): Promise<WebhookSecretBox> {
  const box = loadWebhookSecretBox(config, log, dataDir);
  await sealWebhookSecrets(database.db, box, log).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });
  return box;
}

/**
 * The checkpoint signing keys: from LEDGER_SIGNING_KEYS (production), else a development key
 * generated once under DATA_DIR (owner-only file), else (in memory) a key for this process only.
 * The private key is never logged.
 */
function loadSigningKeys(config: Config, log: Logger, dataDir: string | null): SigningKeyring {
  if (config.LEDGER_SIGNING_KEYS) {
    return new SigningKeyring(parseSigningKeysEnv(config.LEDGER_SIGNING_KEYS), config.LEDGER_SIGNING_ACTIVE_KEY_ID!);
  }
  let pem: string;
  if (dataDir) {
    const file = join(dataDir, 'ledger-signing.pem');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      log.warn({ file }, 'generated a development ledger signing key; set LEDGER_SIGNING_KEYS in production');
    }
    pem = readFileSync(file, 'utf8');
  } else {
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  const privateKey = ed25519PrivateKey(pem, 'ledger-signing.pem');
  return new SigningKeyring([{ id: 'dev', privateKey, publicKey: createPublicKey(privateKey) }], 'dev');
}

async function ensureAdminKey(config: Config, apiKeys: ApiKeyRepository, log: Logger, dataDir: string | null): Promise<AppContext['devAdminKey']> {
  if (config.ADMIN_BOOTSTRAP_KEY) {
    const parsed = parseApiKey(config.ADMIN_BOOTSTRAP_KEY);
    if (!parsed) throw new Error('ADMIN_BOOTSTRAP_KEY: not a key of the form smb_<32 hex>_<43 base64url> (see npm run create-key)');
    await apiKeys.ensureBootstrapAdmin(parsed.id, hashSecret(parsed.secret));
    return null;
  }
  if (!dataDir) return null;
  // Development: an admin key is generated once and written to a file only the owner can read.
  const file = join(dataDir, 'admin-key');
  if (existsSync(file)) {
    const parsed = parseApiKey(readFileSync(file, 'utf8'));
    if (!parsed) return null;
    await apiKeys.ensureBootstrapAdmin(parsed.id, hashSecret(parsed.secret));
    return { file, generated: false };
  }
  const key = generateApiKey();
  await apiKeys.ensureBootstrapAdmin(key.id, key.secretHash);
  writeFileSync(file, key.key + '\n', { mode: 0o600 });
  log.warn({ file }, 'generated a development admin API key; read it from this file');
  return { file, generated: true };
}

/** The queues and the per-process loops: the outbox relay and the ledger sealer. */
function queuesAndLoops(config: Config, log: Logger, db: Db, signingKeys: SigningKeyring) {
  const queue: JobQueue = config.REDIS_URL ? new BullQueue(config.REDIS_URL, config.QUEUE_PREFIX, log) : new InProcessQueue(log);
  const webhookQueue: JobQueue = config.REDIS_URL ? new BullQueue(config.REDIS_URL, config.QUEUE_PREFIX, log, WEBHOOK_QUEUE_NAME) : new InProcessQueue(log);
  const relay = new OutboxRelay(
    db,
    queue,
    log,
    { pollMs: config.OUTBOX_POLL_MS, settleBatchSize: config.SETTLE_BATCH_SIZE, reconcileAfterMs: config.RECONCILE_AFTER_MS },
    webhookQueue,
  );
  const sealer = new LedgerSealer(db, log, {
    pollMs: config.SEAL_POLL_MS,
    batch: config.SEAL_BATCH_SIZE,
    enabled: config.LEDGER_SEALER === 'on',
    checkpointing: { keyring: signingKeys, intervalMs: config.CHECKPOINT_INTERVAL_MS },
  });
  return { queue, webhookQueue, relay, sealer };
}

/** What the webhook service needs from the configuration (its delivery and retry policy). */
function webhookOptions(config: Config, secrets: WebhookOptions['secrets'], enqueue: WebhookOptions['enqueue']): WebhookOptions {
  return {
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    requireHttps: config.NODE_ENV === 'production',
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    baseDelayMs: config.WEBHOOK_RETRY_BASE_MS,
    maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
    windowMs: config.WEBHOOK_RETRY_WINDOW_MS,
    sweepGraceMs: config.WEBHOOK_SWEEP_MS,
    enqueue,
    secrets,
    secretOverlapHours: config.WEBHOOK_SECRET_OVERLAP_HOURS,
  };
}

export async function createContext(config: Config, log: Logger, opts: ContextOptions = {}): Promise<AppContext> {
  const dataDir = opts.inMemory || config.DATABASE_URL ? null : join(config.DATA_DIR, 'pglite');
  const secretsDir = opts.inMemory ? null : config.DATA_DIR;
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir,
    pool: { max: config.PG_POOL_MAX, exports: config.EXPORT_CONNECTIONS, idleMs: config.PG_POOL_IDLE_MS, min: config.PG_POOL_MIN },
  });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  // The indicator catalogue: entries missing from the database are installed once (D121).
  const catalogue = await installCatalogue(database.db).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });
  if (catalogue.installed.length || catalogue.kept.length) {
    log.info({ version: catalogue.version, installed: catalogue.installed.length, kept: catalogue.kept.length }, 'indicator catalogue installed');
  }
  const cpr = loadKeyring(config, log, secretsDir);
  const signingKeys = loadSigningKeys(config, log, secretsDir);
  // Refuse to start with a ring that lacks a key stored CPR hashes use (docs/SECURITY.md).
  await assertCprKeysInRing(database.db, cpr).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });

  const webhookSecrets = await openWebhookSecrets(config, log, secretsDir, database);

  const { queue, webhookQueue, relay, sealer } = queuesAndLoops(config, log, database.db, signingKeys);
  const apiKeys = new ApiKeyRepository(database.db);
  const devAdminKey = await ensureAdminKey(config, apiKeys, log, secretsDir);
  const clock = opts.clock ?? (() => new Date());
  const services = createServices(
    {
      db: database.db,
      log,
      cpr,
      clock,
      timeZone: config.BUSINESS_TIME_ZONE,
      afterCommit: () => {
        relay.kick();
        sealer.kick();
      },
    },
    webhookOptions(config, webhookSecrets, (jobs) => webhookQueue.add(jobs)),
    database,
    stalenessPolicy(database.kind, config.STATS_MIN_ROWS),
  );

  return {
    config,
    database,
    db: database.db,
    queue,
    webhookQueue,
    relay,
    sealer,
    log,
    cpr,
    signingKeys,
    webhookSecrets,
    services,
    apiKeys,
    clock,
    devAdminKey,
    async close() {
      await relay.stop();
      await sealer.stop();
      await webhookQueue.close();
      await queue.close();
      await database.close();
    },
  };
}
