import type { Role } from './api-key.js';

/** What an integration key may touch (SETTLEMENT.md §7). `null` lists mean "all". */
export interface IntegrationScope {
  kinds: string[] | null;
  institutions: string[] | null;
  enrolments: boolean;
}

/** The authenticated caller of a request. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Set for institution keys: the only institution whose data they may see. */
  institutionId: string | null;
  scope: IntegrationScope | null;
}

export const canSeeCprHmac = (p: Principal) => p.role === 'admin';
