import type { AccountType } from '../db/schema.js';

/**
 * Ledger account codes. Each fund has `available`, `reserved`, one `payable` per institution,
 * and two external counter-accounts: `funders` (where deposits come from; goes negative) and
 * `paid_out` (where payments go). Line amounts are signed: positive = money into the account.
 */
export interface AccountRef {
  fundId: string;
  type: AccountType;
  institutionId?: string | null;
}

export function accountCode(ref: AccountRef): string {
  if (ref.type === 'payable') {
    if (!ref.institutionId) throw new Error('a payable account needs an institution');
    return `fund:${ref.fundId}:payable:${ref.institutionId}`;
  }
  return `fund:${ref.fundId}:${ref.type}`;
}

export const available = (fundId: string): AccountRef => ({ fundId, type: 'available' });
export const reserved = (fundId: string): AccountRef => ({ fundId, type: 'reserved' });
export const funders = (fundId: string): AccountRef => ({ fundId, type: 'funders' });
export const paidOut = (fundId: string): AccountRef => ({ fundId, type: 'paid_out' });
export const payable = (fundId: string, institutionId: string): AccountRef => ({
  fundId,
  type: 'payable',
  institutionId,
});

export const FUND_ACCOUNT_TYPES = ['available', 'reserved', 'funders', 'paid_out'] as const;
