import pino, { type Logger } from 'pino';
import { redactCpr } from './domain/cpr.js';
import { API_KEY_IN_TEXT } from './auth/api-key.js';

/**
 * Logs never carry CPR numbers or keys: known fields are redacted by path; the request URL,
 * error messages and stacks are scrubbed of anything shaped like either; and, as a last line of
 * defence, so is every serialized line (messages, child bindings, any field), see scrubLogLine.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.cpr',
  '*.*.cpr',
  'cpr',
  'key',
  '*.key',
  'secret',
  '*.secret',
];

export function scrub(text: string): string {
  // Keys first: a key's hex id can hold a CPR-shaped run of digits, and redacting that run
  // first left the key unrecognisable — and its secret in the log.
  return redactCpr(text.replace(API_KEY_IN_TEXT, '[API_KEY]'));
}

/** Scrubs every string, object key and CPR-shaped number of a parsed JSON value. */
function scrubJson(value: unknown): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value === 'number') return scrub(String(value)) === String(value) ? value : '[CPR]';
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), scrubJson(v)]));
}

/**
 * The last line of defence, on every serialized line: one regex pass, and only a line that holds
 * something CPR- or key-shaped is parsed and scrubbed field by field (so it stays valid JSON).
 */
export function scrubLogLine(line: string): string {
  if (scrub(line) === line) return line;
  try {
    return JSON.stringify(scrubJson(JSON.parse(line))) + (line.endsWith('\n') ? '\n' : '');
  } catch {
    return scrub(line);
  }
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: { streamWrite: scrubLogLine },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          url: req.url ? scrub(req.url) : req.url,
          id: req.id,
        }),
        err: (err: unknown) => {
          if (!(err instanceof Error)) return err; // e.g. `{ err: err.message }`: scrubbed with the line
          const s = pino.stdSerializers.err(err);
          return { ...s, message: scrub(s.message ?? ''), stack: s.stack ? scrub(s.stack) : s.stack };
        },
      },
    },
    destination,
  );
}
