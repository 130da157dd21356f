import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { camtXml } from '../support/iso20022.js';
import { QUIET_ENV, buildWorld, expectRejected, expectUnchanged, hostileText, send, type World } from './fuzz/support.js';

/**
 * Hostile bank statements (POST /v1/bank-statements takes XML, so the JSON-schema fuzzing of
 * fuzz-requests.test.ts does not reach it): truncated documents, broken mandatory values, DTDs
 * and entities, random bytes, the wrong message, too large — every one a 4xx problem naming
 * the body or the element, and the database exactly as before.
 */
const LIMIT = 256 * 1024;
let t: TestApp;
let world: World;
let valid: string;
beforeAll(async () => {
  t = await createTestApp({ env: { ...QUIET_ENV, BODY_LIMIT_BYTES: String(LIMIT) } });
  world = await buildWorld(t);
  const run = (await t.call('GET', `/v1/payment-runs/${world.run}`)).body;
  valid = camtXml('camt.053', {
    messageId: 'FUZZ',
    iban: 'DK5000400440116243',
    entries: [{ amountOre: BigInt(run.lines[0].amount_ore), creditDebit: 'DBIT', transactions: [{ endToEndId: run.lines[0].reference }] }],
  });
}, 120_000);
afterAll(async () => t?.close());

const upload = (payload: string | Buffer, contentType = 'application/xml') => send(t, 'POST', '/v1/bank-statements', { payload, contentType });
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** `valid` with a replacement made inside its (only) entry, not in the balance before it. */
const inEntry = (from: string | RegExp, to: string) => {
  const at = valid.indexOf('<Ntry>');
  return valid.slice(0, at) + valid.slice(at).replace(from, to);
};

describe('hostile bank statements', () => {
  it('one broken part → 4xx problem naming the body or the element, nothing stored', async () => {
    const ELEMENT = 'body.BkToCstmrStmt.Stmt.0.Ntry.0';
    const mutation = fc.oneof(
      // Cut anywhere before the end: never well-formed.
      fc.integer({ min: 0, max: 10_000 }).map((n) => ({ xml: valid.slice(0, n % (valid.lastIndexOf('</Document>') - 1)), field: 'body' })),
      hostileText(0, 12)
        .filter((x) => !/^[0-9]{1,15}(\.[0-9]{1,5})?$/.test(x.trim()))
        .map((x) => ({ xml: inEntry(/(<Amt Ccy="DKK">)[^<]*(<\/Amt>)/, `$1${escape(x)}$2`), field: `${ELEMENT}.Amt` })),
      hostileText(0, 8)
        .filter((x) => !['CRDT', 'DBIT'].includes(x.trim()))
        .map((x) => ({ xml: inEntry('<CdtDbtInd>DBIT</CdtDbtInd>', `<CdtDbtInd>${escape(x)}</CdtDbtInd>`), field: `${ELEMENT}.CdtDbtInd` })),
      hostileText(0, 8)
        .filter((x) => !['BOOK', 'PDNG', 'INFO'].includes(x.trim()))
        .map((x) => ({ xml: inEntry('<Sts>BOOK</Sts>', `<Sts>${escape(x)}</Sts>`), field: `${ELEMENT}.Sts` })),
      fc.constantFrom('<', '&', '&nope;', '<x>', ']]>').map((x) => ({ xml: valid.replace('FUZZ-1', `FUZZ-1${x}`), field: 'body' })),
      fc
        .constantFrom(
          '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
          '<!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">',
          '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        )
        .map((dtd) => ({ xml: valid.replace(/^(<\?xml[^>]*>)/, `$1${dtd}`), field: 'body' })),
      fc.constantFrom('camt.052.001.02', 'camt.053.001.08', 'pain.001.001.03', 'x').map((v) => ({ xml: valid.replace('camt.053.001.02', v), field: 'body' })),
      fc.string({ unit: 'binary', maxLength: 200 }).map((x) => ({ xml: x, field: 'body' })),
    );
    await expectUnchanged(t, () =>
      fc.assert(
        fc.asyncProperty(mutation, async ({ xml, field }) => {
          const a = await upload(xml);
          expectRejected(a, `${field}: ${xml.slice(0, 300)}`, a.status === 400 || a.status === 422 ? field : undefined);
        }),
        { numRuns: 120 },
      ),
    );
  });

  it('too large → 413; another content type → 415; nothing stored', async () => {
    await expectUnchanged(t, async () => {
      const big = valid.replace('</Document>', `<!--${'x'.repeat(LIMIT)}--></Document>`);
      expectRejected(await upload(big), 'oversized', 'body');
      expect((await upload(big)).status).toBe(413);
      for (const type of ['text/plain', 'application/json', 'application/octet-stream']) {
        const a = await upload(valid, type);
        expect([400, 415], `${type}: ${a.text}`).toContain(a.status);
        expectRejected(a, type);
      }
    });
  });
});
