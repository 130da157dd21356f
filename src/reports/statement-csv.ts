import { csvNumber, csvText } from '../domain/csv.js';
import { formatDkk } from '../domain/money.js';

/** What the statement CSV needs of an institution's statement (ReportService.statement). */
export interface StatementForCsv {
  institution: { code: string; name: string };
  from: string;
  to: string;
  opening_balance_ore: bigint;
  movements: Array<{ seq: bigint; posted_on: string; kind: string; fund_id: string | null; award_id: string | null; memo: string | null; amount_ore: bigint }>;
  closing_balance_ore: bigint;
}

const HEADER = [
  'institution_code',
  'institution_name',
  'row',
  'seq',
  'posted_on',
  'kind',
  'fund_id',
  'award_id',
  'memo',
  'amount_ore',
  'amount_dkk',
  'balance_ore',
];

/**
 * An institution's statement as CSV (RFC 4180, CRLF): an opening-balance row, one row per ledger
 * movement with the running balance, and a closing-balance row, so a spreadsheet can check
 * opening + Σ amounts = closing. Every text cell goes through `csvText` (formula injection
 * neutralised: a memo starting with "=" is written "'=…"), every number through `csvNumber`.
 */
export function statementCsv(s: StatementForCsv): string {
  const lines = [HEADER.join(',')];
  const inst = [csvText(s.institution.code), csvText(s.institution.name)];
  const row = (cells: string[]) => lines.push([...inst, ...cells].join(','));
  row(['opening_balance', '', csvText(s.from), '', '', '', '', '', '', csvNumber(s.opening_balance_ore)]);
  let balance = s.opening_balance_ore;
  for (const m of s.movements) {
    balance += m.amount_ore;
    row([
      'movement',
      csvNumber(m.seq),
      csvText(m.posted_on),
      csvText(m.kind),
      csvText(m.fund_id ?? ''),
      csvText(m.award_id ?? ''),
      csvText(m.memo ?? ''),
      csvNumber(m.amount_ore),
      csvNumber(formatDkk(m.amount_ore)),
      csvNumber(balance),
    ]);
  }
  if (balance !== s.closing_balance_ore) throw new Error('statementCsv: opening + movements must equal the closing balance');
  row(['closing_balance', '', csvText(s.to), '', '', '', '', '', '', csvNumber(s.closing_balance_ore)]);
  return lines.join('\r\n') + '\r\n';
}
