import pino, { type Logger } from 'pino';
import { redactCpr } from './domain/cpr.js';
import { API_KEY_IN_TEXT } from './auth/api-key.js';

/**
 * Logs never carry CPR numbers or keys: known fields are redacted by path, and the request
 * URL (the one free-text field fastify logs) is scrubbed of anything shaped like either.
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
  return redactCpr(text).replace(API_KEY_IN_TEXT, '[API_KEY]');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          url: req.url ? scrub(req.url) : req.url,
          id: req.id,
        }),
        err: (err: Error) => {
          const s = pino.stdSerializers.err(err);
          return { ...s, message: scrub(s.message ?? ''), stack: s.stack ? scrub(s.stack) : s.stack };
        },
      },
    },
    destination,
  );
}
