import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { checkUrlShape, guardedLookup, type TargetPolicy } from './targets.js';

/**
 * One HTTP attempt of a webhook delivery, signed per the Standard Webhooks specification
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 over
 * `id.timestamp.body` with the subscription's `whsec_` secret, by the `standardwebhooks`
 * package). A 2xx answer is success; anything else — other statuses, redirects (never
 * followed), timeouts, refused targets — is a failure to retry. The answer's body is not kept.
 */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface SendOptions extends TargetPolicy {
  timeoutMs: number;
}

/**
 * The signed headers. `secrets` are the subscription's signing secrets, current first: during a
 * rotation's overlap the previous one too, and `webhook-signature` then holds both signatures,
 * space-separated, as the specification allows (a receiver accepts the message if any matches).
 */
export function signedHeaders(secrets: string[], id: string, at: Date, body: string): Record<string, string> {
  if (!secrets.length) throw new Error('signedHeaders: at least one secret');
  return {
    'content-type': 'application/json',
    'user-agent': 'smb-settlement-webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}

export function sendWebhook(url: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<AttemptResult> {
  const started = Date.now();
  const done = (r: Omit<AttemptResult, 'durationMs'>): AttemptResult => ({ ...r, durationMs: Date.now() - started });
  const shape = checkUrlShape(url, opts);
  if (!shape.ok) return Promise.resolve(done({ ok: false, statusCode: null, error: `target refused: ${shape.message}` }));
  const request = shape.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve(done(r));
    };
    const req = request(
      shape.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(opts.allowPrivate),
        timeout: opts.timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume(); // the answer's body is not needed
        res.on('end', () => finish({ ok: status >= 200 && status < 300, statusCode: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` }));
        res.on('error', (err) => finish({ ok: false, statusCode: status, error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (err) => finish({ ok: false, statusCode: null, error: err.message.slice(0, 500) }));
    req.end(body);
  });
}
