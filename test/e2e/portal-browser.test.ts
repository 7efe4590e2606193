/**
 * The portal in a real browser (Debian's Chromium, driven by playwright-core): register through both
 * OTPs, log in, use the new credentials in the console to log in to the API, generate an IRN, a failing
 * case with its code, substitute an encrypted payload (a good one and a corrupted one), run an error
 * scenario, verify the signed QR code and read the QR image back. Every page is checked with axe-core
 * (no serious or critical violation), stays under 200 KB of script, raises no CSP violation, and is
 * photographed under test-results/portal/. Skipped (one line, from the global setup) without Chromium.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeQrPng } from '../support/qr-decode.js';
import { join } from 'node:path';
import {
  axeViolations,
  openBrowser,
  screenshot,
  SCREENSHOT_DIR,
  type PortalBrowser,
} from './support/browser.js';
import { startPortalHarness, type PortalHarness } from './support/portal-harness.js';

const chromiumPath = inject('chromium');
const SCRIPT_BUDGET = 200 * 1024;
// Waits for a condition, not a time: generous for a loaded 2-core machine.
const POLL = { timeout: 20_000, interval: 100 };

describe.skipIf(!chromiumPath)('the portal in Chromium', () => {
  let h: PortalHarness;
  let b: PortalBrowser;
  let page: Page;
  const gstin = '29AAKCB5555K1ZQ';
  const issued: Record<string, string> = {};

  beforeAll(async () => {
    h = await startPortalHarness();
    b = await openBrowser(chromiumPath);
    page = b.page;
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  /** The checks every page gets: axe, script budget, no CSP/page errors, a screenshot. */
  async function check(name: string, docsShot?: { scrollTo?: string }): Promise<void> {
    await page.waitForLoadState('load');
    const violations = (await axeViolations(page)).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    expect(b.scriptBytes(), `${name}: script bytes`).toBeLessThan(SCRIPT_BUDGET);
    expect(b.problems, name).toEqual([]);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow, `${name}: horizontal overflow`).toBeLessThanOrEqual(0);
    await screenshot(page, name);
    // A viewport-sized picture for docs/portal.md (docs/portal/ holds copies of these).
    if (docsShot) {
      if (docsShot.scrollTo) await page.locator(docsShot.scrollTo).first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.viewport.png`) });
    }
  }

  it('home page: skip link first, landmarks, keys', async () => {
    await page.goto(`${h.baseUrl}/`);
    await check('01-home');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement?.id')).toBe('main');
  });

  it('registers through both OTPs and shows the credentials once', async () => {
    await page.goto(`${h.baseUrl}/register`);
    await check('02-register');
    // Bad input first: a clear message per field, focus on the summary, nothing stored.
    const before = h.rowCounts();
    await page.getByRole('textbox', { name: 'GSTIN' }).fill('29AAKCB5555K1Z');
    await page.getByLabel('Mobile number').fill('12345');
    await page.getByLabel('E-mail address').fill('nope');
    await page.getByRole('button', { name: 'Send OTPs' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.evaluate<string>('document.activeElement?.className')).toContain('error-summary');
    await expectText(page, 'A GSTIN is 15 characters');
    await expectText(page, '10-digit Indian mobile number');
    await expectText(page, 'e-mail address such as');
    expect(h.rowCounts()).toEqual(before);
    await check('03-register-errors', {});

    await page.getByRole('textbox', { name: 'GSTIN' }).fill(gstin);
    await page.getByLabel('Mobile number').fill('9845012345');
    await page.getByLabel('E-mail address').fill('dev@example.in');
    await page.getByRole('button', { name: 'Send OTPs' }).click();
    await page.getByRole('heading', { name: 'Enter the OTPs' }).waitFor();
    const verifyUrl = page.url();
    await check('04-verify-otps');

    await page.getByRole('link', { name: 'outbox' }).first().click();
    await page.getByRole('heading', { name: 'Sandbox outbox' }).waitFor();
    await check('05-outbox', {});
    const sms = await page.locator('[data-channel="mobile"]').first().textContent();
    const mail = await page.locator('[data-channel="email"]').first().textContent();
    const otp = (text: string | null) => /(\d{6}) is your OTP/.exec(text ?? '')![1]!;

    await page.goto(verifyUrl);
    await page.getByLabel(/OTP sent by SMS/).fill(otp(sms) === '000000' ? '111111' : '000000');
    await page.getByLabel(/OTP sent by e-mail/).fill(otp(mail));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page, 'Wrong OTP: 2 attempts left.');
    await check('06-verify-wrong-otp');
    await page.getByLabel(/OTP sent by SMS/).fill(otp(sms));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Registration complete' }).waitFor();
    for (const [i, label] of ['GSTIN', 'Client id', 'Client secret', 'User name', 'Password'].entries())
      issued[label] = (await page.locator(`#cred-${i}`).textContent())!;
    expect(issued.GSTIN).toBe(gstin);
    expect(issued.Password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[%$#@_!*]).{8,15}$/);
    await check('07-credentials', {});
  });

  it('logs in to the portal and shows the account', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await check('08-login');
    await page.getByLabel('User name').fill(issued['User name']!);
    await page.getByLabel('Password').fill('Wrong#pass1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectText(page, 'Wrong user name or password.');
    await check('09-login-error');
    await page.getByLabel('Password').fill(issued.Password!);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await expectText(page, issued['Client id']!);
    await check('10-account', {});

    await page.getByRole('textbox', { name: 'GSTIN' }).fill('27AAKCZ9999Q1ZX');
    await page.getByRole('button', { name: 'Add GSTIN' }).click();
    await expectText(page, 'can only add GSTINs of PAN AAKCB5555K');
    await check('11-account-add-gstin-error');

    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByLabel(/OTP sent by SMS/).fill('123456');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expectText(page, 'IRP 3003');
    await check('12-reset-password-error');
  });

  it('documents the APIs, searchable', async () => {
    await page.goto(`${h.baseUrl}/docs`);
    await check('13-docs');
    await page.getByRole('link', { name: 'Generate IRN' }).first().click();
    await page.getByRole('heading', { name: 'Generate IRN', level: 1 }).waitFor();
    await check('14-docs-generate-irn', {});
    await page.goto(`${h.baseUrl}/docs/errors`);
    await page.getByLabel('Search codes and messages').fill('duplicate irn');
    await expect.poll(() => page.locator('#errors tbody tr:not([hidden])').count(), POLL).toBeLessThan(10);
    expect(await page.locator('#E2150').isVisible()).toBe(true);
    await check('15-docs-errors');
    await page.goto(`${h.baseUrl}/docs/masters`);
    await page.getByLabel('Search every table').fill('Karnataka');
    await expect.poll(() => page.locator('#table-states tbody tr:not([hidden])').count(), POLL).toBe(1);
    await check('16-docs-masters');
    await page.goto(`${h.baseUrl}/docs/schema`);
    await check('17-docs-schema');
  });

  it('uses the new credentials in the console: auth, IRN, a failing case, substitution, a scenario, JWT and QR', async () => {
    await page.goto(`${h.baseUrl}/console`);
    await check('18-console');
    // Client id, user name and GSTIN come prefilled for the logged-in user; secret and password are typed.
    expect(await page.getByLabel('Client id').inputValue()).toBe(issued['Client id']);
    await page.getByLabel('Client secret').fill(issued['Client secret']!);
    await page.getByLabel('Password', { exact: true }).fill(issued.Password!);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectText(page, 'Logged in. Token valid until');
    for (const id of ['appkey', 'rsa-body', 'sek-encrypted', 'sek-clear'])
      expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    expect(await page.getByTestId('sek-clear').textContent()).toMatch(/hex: +[0-9a-f]{64}/);
    await check('19-console-auth', { scrollTo: '#auth-result' });

    // Generate IRN with the sample (loaded for this GSTIN after login).
    await expect.poll(() => page.getByLabel(/Payload/).inputValue(), POLL).toContain(gstin);
    await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
    await page.getByTestId('aes-payload').waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const call = page.locator('#call-result');
    await call.getByTestId('decrypted').waitFor();
    expect(await call.getByTestId('status').textContent()).toContain('Status 1 (success)');
    const decrypted = JSON.parse((await call.getByTestId('decrypted').locator('pre').textContent())!) as {
      Irn: string;
      SignedQRCode: string;
    };
    expect(decrypted.Irn).toMatch(/^[0-9a-f]{64}$/);
    await check('20-console-generate-irn', { scrollTo: '#call-result' });

    // A failing case: the total no longer adds up.
    const payload = JSON.parse(await page.getByLabel(/Payload/).inputValue()) as {
      ValDtls: { TotInvVal: number };
      DocDtls: { No: string };
    };
    payload.ValDtls.TotInvVal += 500;
    payload.DocDtls.No = 'BAD1';
    await page.getByLabel(/Payload/).fill(JSON.stringify(payload, null, 2));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await call.getByTestId('errors').waitFor();
    expect(await call.getByTestId('errors').textContent()).toContain('2189');
    await check('21-console-failing-case');

    // Substitute an encrypted payload: the good one, then a corrupted one.
    await page.getByRole('button', { name: 'Load sample' }).click();
    await expect.poll(() => page.getByLabel(/Payload/).inputValue(), POLL).not.toContain('"BAD1"');
    await page.locator('#c-encrypted').fill('');
    await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
    await expect.poll(() => page.locator('#c-encrypted').inputValue(), POLL).toMatch(/^[A-Za-z0-9+/]+=*$/);
    await page.getByRole('button', { name: 'Check' }).click();
    const steps = page.getByTestId('inspect-steps');
    await steps.waitFor();
    expect(await steps.textContent()).toContain('✓ Decrypts under your SEK');
    expect(await steps.textContent()).toContain('✓ Validates');
    await check('22-console-substitute-good');
    const good = await page.locator('#c-encrypted').inputValue();
    // One character of the last AES block changed: the padding (almost always) or the text breaks.
    const corrupted = `${good.slice(0, -8)}${good.slice(-8, -7) === 'A' ? 'B' : 'A'}${good.slice(-7)}`;
    await page.locator('#c-encrypted').fill(corrupted);
    await page.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => steps.textContent(), POLL)
      .toMatch(/✗ (Decrypts under your SEK|JSON): .*IRP 3009/);
    expect(await steps.textContent()).not.toContain('✓ Validates');
    await check('23-console-substitute-corrupted', { scrollTo: '#h-inspect' });
    await page.getByRole('button', { name: 'Send as is' }).click();
    await expect
      .poll(() => page.locator('#inspect-result [data-testid="errors"]').textContent(), POLL)
      .toContain('3009');

    // An error scenario with its explanation.
    await page.getByRole('button', { name: 'Duplicate IRN' }).click();
    await expect
      .poll(() => page.getByTestId('scenario-outcome').textContent(), POLL)
      .toBe('Expected 2150, got 2150.');
    await expectText(page, 'InfoDtls DUPIRN carries the original AckNo');
    await check('24-console-scenario', { scrollTo: '#scenario-result' });

    // Verify the SignedQRCode of the generated IRN and read its QR image back.
    await page.getByLabel(/SignedInvoice or SignedQRCode/).fill(decrypted.SignedQRCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page, 'SignedQRCode: signature verified');
    const data = JSON.parse((await page.getByTestId('jwt-data').locator('pre').textContent())!) as {
      Irn: string;
      SellerGstin: string;
    };
    expect(data).toMatchObject({ Irn: decrypted.Irn, SellerGstin: gstin });
    const qr = page.getByTestId('qr');
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), POLL)
      .toBeGreaterThan(0);
    // The image the page shows is the JWT: decode the PNG it displays.
    const src = (await qr.getAttribute('src'))!;
    expect(decodeQrPng(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64')).text).toBe(
      decrypted.SignedQRCode,
    );
    await check('25-console-verify-qr', { scrollTo: '#verify-result' });
  });

  it('lays out on a phone', async () => {
    const phone = await openBrowser(chromiumPath, { width: 375, height: 740 });
    try {
      for (const [path, name] of [
        ['/', '26-phone-home'],
        ['/register', '27-phone-register'],
        ['/console', '28-phone-console'],
        ['/docs/api/generate-irn', '29-phone-docs'],
      ] as const) {
        await phone.page.goto(`${h.baseUrl}${path}`);
        const overflow = await phone.page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, path).toBeLessThanOrEqual(0);
        await screenshot(phone.page, name);
      }
    } finally {
      await phone.close();
    }
  });
});

async function expectText(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
}
