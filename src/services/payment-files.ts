import { csvNumber, csvText } from '../domain/csv.js';
import { formatDkk } from '../domain/money.js';
import { problems, ProblemError, type FieldError } from '../domain/problem.js';
import { buildPain001, type CreditorAccount, type Transfer } from '../payments/pain001.js';
import type { LineRow } from '../repositories/payments.js';
import type { PayeeDetailsRow } from '../repositories/payees.js';
import { businessDate } from './business-date.js';
import type { ServiceDeps } from './deps.js';
import type { PaymentService, RunWithLines } from './payments.js';

/** How a payment line's account reads in the CSV and the API. */
export function accountText(p: PayeeDetailsRow | null): string {
  if (!p) return '';
  if (p.account_kind === 'iban') return `IBAN ${p.iban}${p.bic ? ` (BIC ${p.bic})` : ''}`;
  if (p.account_kind === 'dk_account') return `DK reg. ${p.reg_no} account ${p.account_no!.padStart(10, '0')}`;
  return `NemKonto of CVR ${p.cvr}`;
}

function creditorAccount(p: PayeeDetailsRow): CreditorAccount {
  if (p.account_kind === 'iban') return { kind: 'iban', iban: p.iban!, bic: p.bic };
  if (p.account_kind === 'dk_account') return { kind: 'dk_account', regNo: p.reg_no!, accountNo: p.account_no! };
  return { kind: 'nemkonto' };
}

const CSV_HEADER = [
  'reference',
  'fund_id',
  'cutoff_on',
  'institution_code',
  'institution_name',
  'amount_ore',
  'amount_dkk',
  'status',
  'line_reference',
  'payee_details_version',
  'cvr',
  'ean',
  'account',
].join(',');

/**
 * A payment run's files: the CSV (one line per institution, with the payee details the run
 * uses) and the ISO 20022 pain.001.001.03 credit transfer file a bank executes. The XML needs the
 * fund's account and approved payee details for every line as they were when the run was
 * created; without them it is refused, naming what is missing, rather than guessed.
 */
export class PaymentFileService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly payments: PaymentService,
  ) {}

  /**
   * The CSV: number cells `amount_ore`, `amount_dkk` and `payee_details_version` (empty without
   * details); every other column is a text cell, neutralised against formula injection (an
   * institution's code and name are whatever was registered; DECISIONS 61).
   */
  async csv(runId: string): Promise<string> {
    const run = await this.payments.get(runId);
    const rows = run.lines.map((l) =>
      [
        ...[run.reference, run.fund_id, String(run.cutoff_on), l.code, l.name].map(csvText),
        csvNumber(l.amount_ore),
        csvNumber(formatDkk(l.amount_ore)),
        ...[l.status, l.reference].map(csvText),
        l.payee ? csvNumber(String(l.payee.version)) : '',
        ...[l.payee?.cvr ?? '', l.payee?.ean ?? '', accountText(l.payee)].map(csvText),
      ].join(','),
    );
    return [CSV_HEADER, ...rows].join('\r\n') + '\r\n';
  }

  private transfers(run: RunWithLines): Transfer[] {
    const missing: FieldError[] = run.lines
      .filter((l) => !l.payee)
      .map((l) => ({ field: 'params.id', message: `${l.code} (line ${l.reference}) had no approved payee details when the run was created` }));
    if (run.debtor_iban === null)
      missing.unshift({ field: 'params.id', message: 'the fund had no account (PUT /v1/funds/{id}/account) when the run was created' });
    if (missing.length) {
      throw new ProblemError(409, 'conflict', 'The run cannot be written as a bank file: cancel it, complete the details and create a new run.', missing);
    }
    return run.lines.map((l: LineRow) => ({
      endToEndId: l.reference,
      amountOre: l.amount_ore,
      creditor: { name: l.name, cvr: l.payee!.cvr, ean: l.payee!.ean },
      account: creditorAccount(l.payee!),
      remittance: `Social mobilitetsbonus ${run.reference} ${l.code}`,
    }));
  }

  /** The pain.001 file; `executionDate` defaults to today and may not be in the past. */
  async pain001(runId: string, executionDate: string | undefined): Promise<string> {
    const today = businessDate(this.deps.clock(), this.deps.timeZone);
    if (executionDate !== undefined && executionDate < today) throw problems.invalid('query.execution_date', 'cannot be in the past');
    const run = await this.payments.get(runId);
    if (run.status === 'cancelled') throw problems.conflict('params.id', 'the run is cancelled: it must not be paid');
    return buildPain001({
      messageId: run.reference,
      paymentInfoId: run.reference,
      createdAt: run.created_at,
      executionDate: executionDate ?? today,
      debtor: { name: run.debtor_name ?? run.reference, iban: run.debtor_iban ?? '', bic: run.debtor_bic },
      transfers: this.transfers(run),
    });
  }
}
