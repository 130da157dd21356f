/**
 * A real HTTP endpoint for the webhook tests, on 127.0.0.1: it records every request, verifies
 * its Standard Webhooks signature with the subscription's secret (the `standardwebhooks`
 * package, as a receiver would), and answers with a status the test chooses.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { webhookViolations } from './contract.js';

/** Webhook settings for tests: loopback receivers allowed, and retries in milliseconds standing in for the 24 hours. */
export const FAST_WEBHOOK_ENV = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_BASE_MS: '40',
  WEBHOOK_RETRY_MAX_DELAY_MS: '150',
  WEBHOOK_RETRY_WINDOW_MS: '1200',
  WEBHOOK_SWEEP_MS: '100',
  WEBHOOK_TIMEOUT_MS: '2000',
} as const;

export interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  type: string;
  data: any;
  /** The signature checked out with the secret registered for this path. */
  verified: boolean;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly secrets = new Map<string, string>();
  /** Status to answer per path (default 204); a function sees the request first. */
  private readonly answers = new Map<string, number | ((r: Received) => number)>();
  private server!: Server;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req).then((status) => res.writeHead(status).end()));
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  secret(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  answer(path: string, status: number | ((r: Received) => number)): void {
    this.answers.set(path, status);
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const h = (n: string) => String(req.headers[n] ?? '');
    const path = req.url ?? '';
    let verified = false;
    const secret = this.secrets.get(path);
    if (secret) {
      try {
        new Webhook(secret).verify(body, {
          'webhook-id': h('webhook-id'),
          'webhook-timestamp': h('webhook-timestamp'),
          'webhook-signature': h('webhook-signature'),
        });
        verified = true;
      } catch {
        verified = false;
      }
    }
    let parsed: any = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      /* recorded as is */
    }
    const r: Received = {
      path,
      id: h('webhook-id'),
      timestamp: h('webhook-timestamp'),
      signature: h('webhook-signature'),
      body,
      type: parsed.type,
      data: parsed.data,
      verified,
    };
    this.received.push(r);
    const a = this.answers.get(path) ?? 204;
    return typeof a === 'function' ? a(r) : a;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Each event once, by webhook-id (what a receiver that dedupes would keep), successful answers only. */
  unique(path: string): Map<string, Received> {
    const out = new Map<string, Received>();
    for (const r of this.at(path)) if (!out.has(r.id)) out.set(r.id, r);
    return out;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** What is wrong with a received webhook by the committed OpenAPI document's `webhooks` ([] when nothing). */
export function documentFaults(r: Received): string[] {
  return webhookViolations(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature });
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
