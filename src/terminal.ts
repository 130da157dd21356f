import { relative, isAbsolute } from 'node:path';
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

/**
 * What a person running `npm start` in a terminal sees: readable log lines (pino-pretty) and,
 * once listening, where the API and the admin key are in plain words. Anywhere else — a pipe, a
 * file, a container, production — the logs stay one JSON object per line and nothing else is
 * written to stdout. Either way every line passes the logger's scrubber first (`logger.ts`).
 */
export function usePrettyLogs(config: Pick<Config, 'NODE_ENV'>, stdoutIsTty: boolean): boolean {
  return config.NODE_ENV === 'development' && stdoutIsTty;
}

/** A pino destination that prints readable lines to stdout (synchronously, in this thread). */
export function prettyDestination(): DestinationStream {
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true });
}

/** `file` as the user would type it: relative to the working directory when it is under it. */
function shown(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** The words printed once the API listens (in a terminal only). */
export function startupNotice(opts: { url: string; adminKey: { file: string; generated: boolean } | null; cwd: string }): string {
  const lines = ['', `  Settlement service: ${opts.url}   (API documentation: ${opts.url}/docs)`];
  if (opts.adminKey) {
    const file = shown(opts.adminKey.file, opts.cwd);
    lines.push(
      opts.adminKey.generated
        ? `  A development admin API key was created in ${file} (readable only by you). Use it like this:`
        : `  The development admin API key is in ${file}. Use it like this:`,
      `      curl -H "Authorization: Bearer $(cat ${file})" ${opts.url}/v1/funds`,
    );
  }
  lines.push('  Stop with Ctrl-C.', '');
  return lines.join('\n');
}
