import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKroner } from '../../src/domain/money.js';
import { seedDemo } from '../../src/seed/demo.js';
import { businessDate } from '../../src/services/business-date.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), against a service on real PostgreSQL seeded by the demo seeder. Signs in
 * as each role, compares the figures on the pages with the API's, checks that an institution
 * cannot reach another's pages, and saves a screenshot of every page under data/screenshots/.
 */
const SHOTS = join(process.cwd(), 'data', 'screenshots');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let t: TestApp;
let base: string;
let browser: BrowserContext;
let profile: string;
let fundId: string;
const keys: Record<'admin' | 'auditor' | 'institution' | 'otherInstitution', string> = {} as never;

async function api(path: string, key = t.adminKey): Promise<any> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

async function signIn(key: string): Promise<Page> {
  await browser.clearCookies();
  const page = await browser.newPage();
  await page.goto(`${base}/app/`);
  expect(page.url()).toBe(`${base}/app/login`);
  await page.getByLabel('API key').fill(key);
  await page.keyboard.press('Enter'); // the form works from the keyboard
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  expect(page.url()).not.toContain('smb_');
  return page;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const ore = async (page: Page, selector: string) => BigInt((await page.locator(selector).first().getAttribute('data-ore'))!);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const dataDir = mkdtempSync(join(tmpdir(), 'smb-demo-'));
  const today = businessDate(new Date(), 'Europe/Copenhagen');
  const demo = await seedDemo({ baseUrl: base, adminKey: t.adminKey, children: 400, seed: 11, today, dataDir, say: () => undefined });
  fundId = demo.fundId;
  keys.admin = t.adminKey;
  keys.auditor = (
    (await (
      await fetch(`${base}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'b', role: 'auditor' }),
      })
    ).json()) as { key: string }
  ).key;
  const inst = (await api('/v1/institutions?limit=100')).items.filter((i: any) => i.kind === 'dagpleje');
  const mk = async (code: string) =>
    (
      (await (
        await fetch(`${base}/v1/api-keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: code, role: 'institution', institution: code }),
        })
      ).json()) as { key: string }
    ).key;
  keys.institution = await mk(inst[0].code);
  keys.otherInstitution = await mk(inst[1].code);
  profile = mkdtempSync(join(tmpdir(), 'smb-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await t?.close();
});

describe('dashboard in Chromium', () => {
  it('admin: the overview shows the API’s balances, earn rates and awards; a session cookie, never the key', async () => {
    const page = await signIn(keys.admin);
    const b = await api(`/v1/funds/${fundId}/balances`);
    const card = page.locator(`.balances[data-fund="${fundId}"]`);
    for (const field of ['available_ore', 'reserved_ore', 'payable_ore', 'deposited_ore', 'paid_out_ore', 'awaiting_shortfall_ore']) {
      const dd = card.locator(`[data-field="${field}"]`);
      expect(BigInt((await dd.getAttribute('data-ore'))!), field).toBe(BigInt(b[field]));
      expect(await dd.textContent()).toContain(formatKroner(BigInt(b[field])));
    }
    expect(b.paid_out_ore).toBeGreaterThan(0);
    const report = await api('/v1/reports/outcomes?group_by=origin');
    for (const rule of report.rules) {
      for (const g of rule.groups) {
        const row = page.locator(`[data-testid="origin-table"] tr[data-rule="${rule.rule_id}"][data-group="${g.key}"]`);
        const measured = (await row.locator('[data-field="measured"]').textContent())!.trim();
        expect(measured).toBe(g.suppressed ? 'suppressed' : String(g.measured).replace(/\B(?=(\d{3})+(?!\d))/g, '.'));
      }
    }
    await expect.poll(() => page.locator('#earn-chart canvas').count()).toBeGreaterThan(0);
    const cookies = await browser.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: 'smb_session', httpOnly: true, sameSite: 'Strict', path: '/app' });
    expect(cookies[0]!.value).not.toContain('smb_');
    await shot(page, 'admin-overview');
    // An award's explanation.
    await page.locator('a[href^="/app/awards/"]').first().click();
    const awardId = page.url().split('/').pop()!;
    const award = await api(`/v1/awards/${awardId}`);
    expect(await ore(page, '[data-field="amount_ore"]')).toBe(BigInt(award.amount_ore));
    await shot(page, 'admin-award');
    await page.goto(`${base}/app/funds/${fundId}`);
    // The forecast section: every year's expected payouts, interval and holdings left equal the API's; the chart is drawn.
    const forecast = await api(`/v1/funds/${fundId}/forecast`);
    expect(await page.locator('[data-testid="forecast-table"] tr[data-year]').count()).toBe(forecast.years.length);
    for (const y of forecast.years) {
      const row = page.locator(`[data-testid="forecast-table"] tr[data-year="${y.year}"]`);
      expect(await row.locator('[data-field="expected_ore"]').getAttribute('data-ore')).toBe(String(y.expected_ore));
      expect(await row.locator('[data-field="interval"]').getAttribute('data-lower')).toBe(String(y.lower_ore));
      expect(await row.locator('[data-field="interval"]').getAttribute('data-upper')).toBe(String(y.upper_ore));
      expect(await row.locator('[data-field="holdings_left"]').getAttribute('data-ore')).toBe(String(y.holdings_left_ore));
    }
    expect(await ore(page, '[data-testid="forecast-summary"] [data-field="holdings"]')).toBe(BigInt(forecast.holdings.total_ore));
    expect(await page.locator('#forecast-chart canvas').count()).toBe(1);
    await shot(page, 'admin-fund');
    await page.goto(`${base}/app/payment-runs`);
    const runs = (await api('/v1/payment-runs')).items;
    expect(await page.locator('tr[data-run]').count()).toBe(runs.length);
    await shot(page, 'admin-payment-runs');
    await page.close();
  });

  it('admin: the grouped report changes with htmx and matches the API', async () => {
    const page = await signIn(keys.admin);
    await page.goto(`${base}/app/reports`);
    await page.getByLabel('Group by').selectOption('municipality');
    await expect.poll(() => page.locator('[data-testid="grouped-table"]').getAttribute('data-group-by')).toBe('municipality');
    const report = await api('/v1/reports/outcomes?group_by=municipality');
    const rule = report.rules[0];
    const total = page.locator(`[data-testid="grouped-table"] tr[data-rule="${rule.rule_id}"][data-group="total"] [data-field="measured"]`);
    expect((await total.textContent())!.replace(/\./g, '')).toBe(String(rule.total.measured));
    await shot(page, 'admin-reports');
    await page.close();
  });

  it('auditor: the same pages, read-only, plus ledger verification', async () => {
    const page = await signIn(keys.auditor);
    await expect.poll(() => page.locator('[data-testid="role"]').textContent()).toBe('auditor');
    expect(await page.locator('form[method="post"]:not(.signout)').count()).toBe(0);
    await page.goto(`${base}/app/ledger`);
    await page.getByRole('button', { name: 'Verify the ledger' }).click();
    await expect.poll(() => page.locator('[data-testid="verify-ok"]').count()).toBe(1);
    const verify = await api('/v1/ledger/verify', keys.auditor);
    expect((await page.locator('[data-testid="verify-ok"]').textContent())!.replace(/\./g, '')).toContain(`${verify.checked} entries`);
    await shot(page, 'auditor-ledger');
    await page.goto(`${base}/app/`);
    await shot(page, 'auditor-overview');
    await page.close();
  });

  it('institution: its awards, explanations, statement and rules, equal to the API’s', async () => {
    const page = await signIn(keys.institution);
    expect(page.url()).toMatch(/\/app\/institutions\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const balances = await api(`/v1/institutions/${id}/balances`, keys.institution);
    expect(await ore(page, '[data-field="payable_ore"]')).toBe(BigInt(balances.payable_ore));
    const to = businessDate(new Date(), 'Europe/Copenhagen');
    const statement = await api(`/v1/institutions/${id}/statement?from=${to.slice(0, 4)}-01-01&to=${to}`, keys.institution);
    expect(await ore(page, '[data-field="closing_balance_ore"]')).toBe(BigInt(statement.closing_balance_ore));
    const awards = (await api(`/v1/awards?institution_id=${id}&limit=200`, keys.institution)).items;
    expect(await page.locator('tr[data-award]').count()).toBe(Math.min(20, awards.length));
    await shot(page, 'institution-home');
    // The pipeline page, from the navigation: per rule and per item the figures equal the API's.
    await page.getByRole('link', { name: 'Pipeline' }).click();
    const pipeline = await api(`/v1/institutions/${id}/pipeline`, keys.institution);
    for (const r of pipeline.rules) {
      const row = page.locator(`[data-testid="pipeline-rules"] tr[data-rule="${r.rule_id}"]`);
      expect(await row.locator('[data-field="expected_ore"]').getAttribute('data-ore')).toBe(String(r.expected_ore));
      expect(await row.locator('[data-field="if_earned_ore"]').getAttribute('data-ore')).toBe(String(r.if_earned_ore));
    }
    expect(await page.locator('[data-testid="pipeline-items"] tbody tr').count()).toBe(Math.min(200, pipeline.items.length));
    for (const i of pipeline.items.slice(0, 20)) {
      const row = page.locator(`[data-testid="pipeline-items"] tr[data-child="${i.child_id}"][data-rule="${i.rule_id}"]`).first();
      expect(await row.locator('[data-field="expected_ore"]').getAttribute('data-ore')).toBe(String(i.expected_ore));
    }
    await shot(page, 'institution-pipeline');
    await page.goto(`${base}/app/reports`);
    await shot(page, 'institution-reports');
    await page.close();
  });

  it('an institution cannot reach another’s pages, nor the fund’s', async () => {
    const other = await signIn(keys.otherInstitution);
    const otherId = other.url().split('/').pop()!;
    await other.close();
    const page = await signIn(keys.institution);
    const ownId = page.url().split('/').pop()!;
    expect(ownId).not.toBe(otherId);
    // An award of the other institution that does not also pay this one (a child enrolled at both is seen by both).
    const otherAwards = (await api(`/v1/awards?institution_id=${otherId}&limit=100`, keys.otherInstitution)).items as any[];
    const otherAward = otherAwards.find((a) => !a.payouts.some((p: any) => p.institution_id === ownId));
    for (const path of [
      `/app/institutions/${otherId}`,
      `/app/institutions/${otherId}/statement.csv`,
      `/app/institutions/${otherId}/pipeline`,
      `/app/funds/${fundId}`,
      '/app/ledger',
      '/app/payment-runs',
      ...(otherAward ? [`/app/awards/${otherAward.id}`] : []),
    ]) {
      const res = await page.goto(`${base}${path}`);
      expect(res!.status(), path).toBe(404);
      expect(await page.locator('[data-testid="error-status"]').textContent()).toBe('404');
    }
    await shot(page, 'institution-refused');
    await page.close();
  });

  it('signing out ends the session; a cross-site sign-in is refused', async () => {
    const page = await signIn(keys.admin);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/app/login`);
    await page.goto(`${base}/app/`);
    expect(page.url()).toBe(`${base}/app/login`);
    await shot(page, 'login');
    const res = await fetch(`${base}/app/login`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${encodeURIComponent(keys.admin)}`,
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
    await page.close();
  });
});
