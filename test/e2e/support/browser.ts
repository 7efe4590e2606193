/**
 * Debian's Chromium driven by playwright-core (which never downloads a browser): a fresh profile per
 * run, and the flags that keep a headless Chromium off the network it cannot reach anyway. Each page
 * visit can be checked by axe-core (serious and critical violations fail), measured (script bytes) and
 * photographed into test-results/portal/ (git-ignored).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'portal');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface PortalBrowser {
  context: BrowserContext;
  page: Page;
  /** Script bytes the page loaded since the last navigation (the 200 KB budget). */
  scriptBytes(): number;
  /** Content-Security-Policy violations and page errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(
  executablePath: string,
  viewport = { width: 1280, height: 900 },
): Promise<PortalBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'irp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  let scripts = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) scripts = 0;
  });
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    try {
      scripts += (await response.body()).length;
    } catch {
      // a navigation away discarded it
    }
  });
  // Content-Security-Policy violations (an inline style or script that slipped in) and script errors.
  // Chromium also logs every 4xx answer as an error; a form with bad input is answered 400 on purpose.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    scriptBytes: () => scripts,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the current page (WCAG 2.1 A/AA and best practices); evaluated through the debugger, so the page's CSP allows it. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE_SOURCE}\n;0`);
  const result = await page.evaluate<{ violations: unknown[] }>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] })`,
  );
  return (result.violations as AxeViolation[]).map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target })),
  }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
