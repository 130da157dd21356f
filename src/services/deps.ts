import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { CprKeyring } from '../domain/cpr.js';

/** What every service may use. Services own transactions; repositories own SQL. */
export interface ServiceDeps {
  db: Db;
  log: Logger;
  cpr: CprKeyring;
  /** "Now", injectable so review windows can be tested without waiting. */
  clock: () => Date;
  /** Time zone in which an instant becomes a business calendar date. */
  timeZone: string;
  /** Called after a commit that wrote outbox rows: dispatch them now rather than at the next poll. */
  afterCommit: () => void;
}
