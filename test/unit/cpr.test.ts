import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CprKeyring, MIN_CPR_KEY_BYTES, cprHmac, parseCpr, parseKeyringEnv, redactCpr } from '../../src/domain/cpr.js';

function birth(input: string): string {
  const r = parseCpr(input);
  if (!r.ok) throw new Error(`expected valid CPR, got: ${r.reason}`);
  return r.birthDate;
}

describe('parseCpr: century rule (§9)', () => {
  // [7th digit, YY, expected year] — YY boundaries 36/37 and 57/58 for every digit.
  const table: Array<[number, string, string]> = [];
  for (const d of [0, 1, 2, 3]) {
    table.push([d, '00', '1900'], [d, '36', '1936'], [d, '37', '1937'], [d, '57', '1957'], [d, '58', '1958'], [d, '99', '1999']);
  }
  for (const d of [4, 9]) {
    table.push([d, '00', '2000'], [d, '36', '2036'], [d, '37', '1937'], [d, '57', '1957'], [d, '58', '1958'], [d, '99', '1999']);
  }
  for (const d of [5, 6, 7, 8]) {
    table.push([d, '00', '2000'], [d, '36', '2036'], [d, '37', '2037'], [d, '57', '2057'], [d, '58', '1858'], [d, '99', '1899']);
  }

  it.each(table)('7th digit %i, YY %s → %s', (d, yy, year) => {
    expect(birth(`1503${yy}-${d}123`)).toBe(`${year}-03-15`);
    expect(birth(`1503${yy}${d}123`)).toBe(`${year}-03-15`);
  });

  it('covers all ten 7th digits', () => {
    expect(new Set(table.map(([d]) => d)).size).toBe(10);
  });
});

describe('parseCpr: format', () => {
  it('accepts with and without dash, normalises to 10 digits', () => {
    expect(parseCpr('010190-1234')).toEqual({ ok: true, normalised: '0101901234', birthDate: '1990-01-01' });
    expect(parseCpr('0101901234')).toEqual({ ok: true, normalised: '0101901234', birthDate: '1990-01-01' });
  });

  it('trims surrounding whitespace', () => {
    expect(parseCpr('  \t010190-1234\n')).toEqual({ ok: true, normalised: '0101901234', birthDate: '1990-01-01' });
  });

  const invalid: Array<[string, string]> = [
    ['empty', ''],
    ['9 digits', '010190123'],
    ['11 digits', '01019012345'],
    ['short serial', '010190-123'],
    ['long serial', '010190-12345'],
    ['letters', '01O190-1234'],
    ['trailing letter', '010190-1234a'],
    ['double dash', '010190--1234'],
    ['dash in wrong place', '0101-901234'],
    ['space instead of dash', '010190 1234'],
    ['inner whitespace', '010190-12 34'],
    ['slash', '010190/1234'],
    ['non-ASCII digits', '٠١٠١٩٠١٢٣٤'],
    ['fullwidth digits', '０１０１９０１２３４'],
    ['month 13', '011390-1234'],
    ['month 00', '010090-1234'],
    ['day 32', '320190-1234'],
    ['day 00', '000190-1234'],
    ['31 April', '310490-1234'],
    ['30 February', '300200-4000'],
    ['29 Feb 1923 (not leap)', '290223-1234'],
    ['29 Feb 1900 (not leap)', '290200-1234'],
    ['29 Feb 2023 (not leap)', '290223-4000'],
  ];

  it.each(invalid)('rejects %s', (_name, input) => {
    const r = parseCpr(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason.length).toBeGreaterThan(0);
    // The reason must never echo the CPR (or any long digit run of it).
    if (input.trim() !== '') expect(r.reason).not.toContain(input.trim());
    expect(r.reason).not.toMatch(/\d{3,}/);
  });

  it('rejects non-strings at runtime without throwing', () => {
    expect(parseCpr(1234567890 as unknown as string).ok).toBe(false);
  });
});

describe('parseCpr: calendar', () => {
  it('29 February only in leap years (1900 not leap, 2000 leap)', () => {
    expect(birth('290200-4000')).toBe('2000-02-29');
    expect(birth('290200-5000')).toBe('2000-02-29');
    expect(birth('290296-1234')).toBe('1996-02-29');
    expect(birth('290260-5000')).toBe('1860-02-29');
    expect(birth('290204-4000')).toBe('2004-02-29');
    expect(parseCpr('290200-0000').ok).toBe(false); // 1900
    expect(parseCpr('290223-1234').ok).toBe(false); // 1923
  });

  it('month lengths', () => {
    expect(birth('310190-1234')).toBe('1990-01-31');
    expect(birth('300490-1234')).toBe('1990-04-30');
    expect(birth('311290-1234')).toBe('1990-12-31');
    expect(birth('280290-1234')).toBe('1990-02-28');
    for (const mm of ['04', '06', '09', '11']) expect(parseCpr(`31${mm}90-1234`).ok).toBe(false);
  });
});

describe('cprHmac', () => {
  const key = Buffer.alloc(32, 7);

  it('is hex HMAC-SHA-256 of the normalised CPR and deterministic', () => {
    const h = cprHmac(key, '0101901234');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(createHmac('sha256', key).update('0101901234').digest('hex'));
    expect(cprHmac(key, '0101901234')).toBe(h);
    expect(cprHmac(Buffer.alloc(32, 8), '0101901234')).not.toBe(h);
    expect(cprHmac(key, '0101901235')).not.toBe(h);
  });

  it('refuses non-normalised input without echoing it', () => {
    expect(() => cprHmac(key, '010190-1234')).toThrow(/normalised/);
    try {
      cprHmac(key, '010190-1234');
    } catch (e) {
      expect((e as Error).message).not.toContain('010190');
    }
  });
});

describe('CprKeyring', () => {
  const k1 = { id: 'k1', secret: randomBytes(32) };
  const k2 = { id: 'k2', secret: randomBytes(48) };

  it('hashes with the active key', () => {
    const ring = new CprKeyring([k1, k2], 'k2');
    expect(ring.hash('0101901234')).toEqual({ keyId: 'k2', hmac: cprHmac(k2.secret, '0101901234') });
  });

  it('candidates cover every key, active first, so rows hashed before a rotation are found', () => {
    const before = new CprKeyring([k1], 'k1');
    const stored = before.hash('0101901234');
    const after = new CprKeyring([k1, k2], 'k2');
    const cands = after.candidates('0101901234');
    expect(cands).toHaveLength(2);
    expect(cands[0]).toEqual(after.hash('0101901234'));
    expect(cands).toContainEqual(stored);
    expect(new Set(cands.map((c) => c.hmac)).size).toBe(2);
  });

  it('validates construction', () => {
    expect(() => new CprKeyring([], 'k1')).toThrow(/at least one key/);
    expect(() => new CprKeyring([k1], 'k9')).toThrow(/"k9" is not among/);
    expect(() => new CprKeyring([k1, { ...k1 }], 'k1')).toThrow(/duplicate key id "k1"/);
    expect(() => new CprKeyring([{ id: 'short', secret: Buffer.alloc(MIN_CPR_KEY_BYTES - 1) }], 'short')).toThrow(/"short" must be at least 32 bytes/);
  });

  it('copies secrets and never shows them when logged', () => {
    const secret = Buffer.alloc(32, 1);
    const ring = new CprKeyring([{ id: 'a', secret }], 'a');
    const h = ring.hash('0101901234').hmac;
    secret.fill(2);
    expect(ring.hash('0101901234').hmac).toBe(h);
    const shown = JSON.stringify(ring) + inspect(ring, { showHidden: true, depth: 10 });
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ activeKeyId: 'a', keyIds: ['a'] });
    expect(shown).not.toContain(Buffer.alloc(32, 1).toString('base64'));
    expect(shown).not.toContain(Buffer.alloc(32, 1).toString('hex'));
    expect(shown).not.toContain('1, 1, 1');
  });
});

describe('parseKeyringEnv', () => {
  const s1 = randomBytes(32);
  const s2 = randomBytes(40);
  const b1 = s1.toString('base64');
  const b2url = s2.toString('base64url'); // URL-safe, unpadded

  it('parses id:base64 pairs (standard or URL-safe base64), ignoring stray commas/spaces', () => {
    const keys = parseKeyringEnv(` k1:${b1} , 2024-02.b_x:${b2url},`);
    expect(keys.map((k) => k.id)).toEqual(['k1', '2024-02.b_x']);
    expect(keys[0]?.secret.equals(s1)).toBe(true);
    expect(keys[1]?.secret.equals(s2)).toBe(true);
    const ring = new CprKeyring(keys, 'k1');
    expect(ring.keyIds).toEqual(['k1', '2024-02.b_x']);
  });

  const short = Buffer.alloc(31, 0xab).toString('base64');
  // A secret with '=' padding, so swapping id and secret makes an invalid id.
  const padded = Buffer.alloc(32, 0xcd).toString('base64');
  expect(padded).toContain('=');

  const cases: Array<[string, string, RegExp, string]> = [
    ['short secret', `k1:${b1},weak:${short}`, /"weak".*31 bytes.*32/, short],
    ['invalid base64', `k1:${b1},bad:${b1.slice(0, 20)}!!${b1.slice(22)}`, /"bad" is not valid base64/, b1],
    ['non-canonical base64 garbage', `bad:${b1} ${b1}`, /"bad" is not valid base64/, b1],
    ['missing colon (bare secret)', `${b1}`, /item #1 must have the form/, b1],
    ['swapped id and secret', `${padded}:k1`, /item #1 has an invalid key id/, padded],
    ['duplicate id', `k1:${b1},k1:${padded}`, /duplicate key id "k1"/, padded],
    ['empty id', `:${b1}`, /item #1 has an invalid key id/, b1],
    ['empty spec', ` , `, /no keys configured/, b1],
  ];

  it.each(cases)('rejects %s with a clear error that does not contain the secret', (_name, spec, re, secret) => {
    let msg = '';
    try {
      parseKeyringEnv(spec);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(re);
    // Not the secret, nor any 8-character fragment of any secret in the spec.
    for (const s of [secret, b1, padded, short]) {
      for (let i = 0; i + 8 <= s.length; i++) expect(msg).not.toContain(s.slice(i, i + 8));
    }
  });
});

describe('redactCpr', () => {
  it('redacts CPR-shaped substrings with and without dash', () => {
    expect(redactCpr('child 010190-1234 and 0101901234.')).toBe('child [CPR] and [CPR].');
    expect(redactCpr('{"cpr":"0101901234"}')).toBe('{"cpr":"[CPR]"}');
    expect(redactCpr('a0101901234b')).toBe('a[CPR]b');
    expect(redactCpr('x=010190-1234,y=020290-4321')).toBe('x=[CPR],y=[CPR]');
  });

  it('leaves longer or shorter digit runs alone', () => {
    for (const s of ['01019012345', '10101901234', '1010190-1234', '010190-12345', '010190-123', '01019-1234', '2024-01-01']) {
      expect(redactCpr(`n ${s} n`)).toBe(`n ${s} n`);
    }
  });

  it('leaves UUIDs intact, also those holding a CPR-shaped run, but not a CPR next to one', () => {
    for (const id of ['3f2a1c9e-0a1b-4c2d-8e3f-123456789012', 'ab123456-7890-4c2d-8e3f-0a1234567890', 'AB123456-7890-4C2D-8E3F-0A1234567890']) {
      expect(redactCpr(`/v1/children/${id}?x=1`)).toBe(`/v1/children/${id}?x=1`);
    }
    expect(redactCpr('3f2a1c9e-0a1b-4c2d-8e3f-123456789012 010190-1234')).toBe('3f2a1c9e-0a1b-4c2d-8e3f-123456789012 [CPR]');
    expect(redactCpr('0101901234/3f2a1c9e-0a1b-4c2d-8e3f-123456789012/0101901234')).toBe('[CPR]/3f2a1c9e-0a1b-4c2d-8e3f-123456789012/[CPR]');
  });

  it('leaves text without CPRs unchanged', () => {
    expect(redactCpr('amount 12345 øre, fund 3f2a')).toBe('amount 12345 øre, fund 3f2a');
  });
});
