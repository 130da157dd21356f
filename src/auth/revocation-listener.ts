import pg from 'pg';
import type { Logger } from 'pino';

/** The NOTIFY channel a revocation is announced on, in the revoking transaction (payload: the key id). */
export const REVOCATION_CHANNEL = 'api_key_revoked';
/** Every listener answers a revocation on this channel once its cache has dropped the key. */
const ACK_CHANNEL = 'api_key_revoked_ack';
/** `application_name` of a listening session, set only once it LISTENs: the sessions a revocation waits for. */
const LISTENER_NAME = 'smb-key-revocations';

export interface RevocationListenerOptions {
  url: string;
  log: Logger;
  /** A key was revoked (by any process). Must drop it synchronously: the acknowledgement follows. */
  onRevoked: (keyId: string) => void;
  /** Revocations may have been missed (the connection dropped, or has just been re-established). */
  onReset: () => void;
  /** How often the connection proves it is alive; a connection that does not answer is dropped. */
  heartbeatMs?: number;
  /** First delay before reconnecting; doubles up to 30 s. */
  retryMs?: number;
}

/**
 * A dedicated PostgreSQL connection that LISTENs for key revocations from every API process.
 *
 * - `isReady` is true only while the connection is up and listening; callers must not trust
 *   anything cached while it is false. Every drop (error, end, a heartbeat without answer)
 *   resets the cache, and it is reset again once listening has resumed, because a revocation
 *   committed in between was never delivered.
 * - On a revocation NOTIFY it calls `onRevoked`, then acknowledges on `ACK_CHANNEL`.
 * - `confirm` lets the revoking process wait until every listening session on the database has
 *   acknowledged, so that when a revocation answers, no API process serves the key from memory.
 */
export class RevocationListener {
  private client: pg.Client | null = null;
  private ready = false;
  private stopped = false;
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Backend pids that acknowledged each recent revocation (acks may arrive before `confirm` asks). */
  private readonly acks = new Map<string, { at: number; pids: Set<number> }>();
  private readonly ackWaiters = new Set<() => void>();

  constructor(private readonly opts: RevocationListenerOptions) {
    this.retryMs = opts.retryMs ?? 250;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The PostgreSQL backend of the LISTEN connection, while there is one. */
  get backendPid(): number | null {
    return (this.client as { processID?: number } | null)?.processID ?? null;
  }

  /** Connects in the background; `isReady` turns true once LISTEN succeeded. */
  start(): void {
    void this.connect();
  }

  /**
   * After the revocation of `keyId` committed: resolves once every session LISTENing on this
   * database (one per API process) has acknowledged it, i.e. dropped the key from its cache.
   * A session that has not answered within `timeoutMs` is terminated, so its process stops
   * trusting its cache; returns whether everyone answered in time.
   */
  async confirm(keyId: string, timeoutMs = 2000): Promise<boolean> {
    const client = this.client;
    if (!this.ready || !client) {
      // Acknowledgements cannot be collected without our own session: make every process reset
      // its cache instead (each bypasses it until it listens again).
      await this.terminateListeners();
      return false;
    }
    let expected: number[];
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [
        LISTENER_NAME,
      ]);
      expected = rows.map((r) => r.pid);
    } catch {
      return false; // the connection failed: `lost` has reset the cache
    }
    const missing = () => expected.filter((pid) => !this.acks.get(keyId)?.pids.has(pid));
    const deadline = Date.now() + timeoutMs;
    while (missing().length && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - Date.now());
        const waiters = this.ackWaiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
    const laggards = missing();
    if (!laggards.length) return true;
    this.opts.log.warn({ pids: laggards }, 'API key revocation: listeners did not acknowledge in time; terminating their sessions');
    await client.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [laggards]).catch(() => undefined);
    return false;
  }

  private async terminateListeners(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [
        LISTENER_NAME,
      ]);
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message }, 'API key revocation: cannot reach the other API processes; their caches expire within the TTL');
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.drop();
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.opts.url, keepAlive: true });
    this.client = client;
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      if (msg.channel === REVOCATION_CHANNEL) this.revoked(client, msg.payload);
      else if (msg.channel === ACK_CHANNEL) this.acknowledged(msg.payload, msg.processId);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}; LISTEN ${ACK_CHANNEL}; SET application_name = '${LISTENER_NAME}'`);
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'cannot LISTEN for API key revocations; keys are checked in the database on every request');
      this.lost(client);
      return;
    }
    if (this.client !== client || this.stopped) return;
    this.retryMs = this.opts.retryMs ?? 250;
    this.opts.onReset(); // anything revoked while we were not listening
    this.ready = true;
    this.heartbeat = setInterval(() => void this.beat(client), this.opts.heartbeatMs ?? 5000);
    this.heartbeat.unref();
  }

  private async beat(client: pg.Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const alive = await Promise.race([
      client.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 3000);
      }),
    ]);
    clearTimeout(timer);
    if (!alive && this.client === client) {
      this.opts.log.warn('the API key revocation LISTEN connection stopped answering; reconnecting');
      this.drop();
    }
  }

  private revoked(client: pg.Client, keyId: string): void {
    this.opts.onRevoked(keyId);
    client.query('SELECT pg_notify($1, $2)', [ACK_CHANNEL, keyId]).catch(() => this.lost(client));
  }

  private acknowledged(keyId: string, pid: number): void {
    const now = Date.now();
    for (const [id, a] of this.acks) if (now - a.at > 60_000) this.acks.delete(id);
    const entry = this.acks.get(keyId) ?? { at: now, pids: new Set<number>() };
    entry.pids.add(pid);
    this.acks.set(keyId, entry);
    for (const wake of [...this.ackWaiters]) wake();
  }

  /** The connection is gone: bypass the cache and reconnect. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.drop();
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    this.ready = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.opts.onReset();
    if (client) {
      client.removeAllListeners('notification');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
    }
    if (this.stopped) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}
