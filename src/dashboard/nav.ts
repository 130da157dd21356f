import type { Principal } from '../auth/principal.js';

export interface NavItem {
  href: string;
  label: string;
}

/**
 * The dashboard's navigation per role: the one place a new page is added. The liability
 * forecast (issue 13, item 1) belongs on the fund page; an institution's pipeline becomes a
 * `Pipeline` entry here for institution keys (ARCHITECTURE.md, "Dashboard").
 */
export function navFor(p: Principal): NavItem[] {
  if (p.role === 'institution') {
    return [
      { href: `/app/institutions/${p.institutionId}`, label: 'My institution' },
      { href: `/app/institutions/${p.institutionId}/pipeline`, label: 'Pipeline' },
      { href: '/app/reports', label: 'Outcomes by origin' },
    ];
  }
  return [
    { href: '/app/', label: 'Overview' },
    { href: '/app/reports', label: 'Outcomes by origin' },
    { href: '/app/payment-runs', label: 'Payment runs' },
    { href: '/app/ledger', label: 'Ledger' },
  ];
}
