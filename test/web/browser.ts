// Browser test helpers over the ONE shared Chromium started by test/web/browser.global.ts (vitest `browser` project:
// files named test/web/**/*.browser.test.ts). Each test file connects once; each `newPage` gets its own browser
// context (own cookies, viewport, locale), closed with the page. Use `describeBrowser` instead of `describe` so the
// file is skipped, with the reason, on a machine without /usr/bin/chromium (CI fails instead: see browser.global.ts).
//
//   describeBrowser('catalogue at 360 px', () => {
//     it('lists products', async () => {
//       const page = await newPage({ width: 360, baseURL: server.url });
//       await page.goto('/catalogue');
//       await screenshot(page, 'catalogue-list');
//       await expectAccessible(page, 'catalogue list');
//     });
//   });
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, inject } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `screenshot` writes its PNG files (git-ignored; CI may keep them as artefacts). */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

const endpoint = inject('chromiumWsEndpoint');
const skipReason = inject('chromiumSkipReason');

/** True when the shared Chromium is running (false: browser tests skip, outside CI only). */
export const browserAvailable = endpoint !== '';

/**
 * `describe` for browser tests: runs the suite when the shared Chromium is available, otherwise skips it and says why
 * in the suite's name (the reason is also printed once by the global setup).
 */
export function describeBrowser(name: string, body: () => void): void {
  if (browserAvailable) describe(name, body);
  else describe.skip(`${name} (skipped: ${skipReason})`, body);
}

let connection: Promise<Browser> | undefined;

/** This test file's connection to the shared Chromium (connected on first use, closed after the file). */
export function browser(): Promise<Browser> {
  if (!browserAvailable) throw new Error(`No browser: ${skipReason}`);
  connection ??= chromium.connect(endpoint);
  return connection;
}

afterAll(async () => {
  if (!connection) return;
  const b = await connection;
  connection = undefined;
  // Closing a connected browser only disconnects this file (and closes the contexts it made); the server lives on.
  await b.close();
});

export interface NewPageOptions {
  /** Viewport width in CSS pixels (default 1280; the catalogue is checked at 360, a cheap phone). */
  width?: number;
  /** Viewport height in CSS pixels (default 800). */
  height?: number;
  /** Browser locale and Accept-Language (default 'vi-VN'). */
  locale?: string;
  /** Base URL for relative `page.goto('/path')` (a test server's address). */
  baseURL?: string;
}

/** Messages a page logged as errors or threw (a CSP refusal shows up here); see `pageProblems`. */
const problems = new WeakMap<Page, string[]>();

/**
 * A new page in a fresh browser context (its own cookies and storage), time zone Asia/Ho_Chi_Minh. Closing the page
 * closes its context. Console errors and uncaught page errors are collected for `pageProblems(page)`.
 */
export async function newPage(options: NewPageOptions = {}): Promise<Page> {
  const context = await (
    await browser()
  ).newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: options.locale ?? 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    deviceScaleFactor: 1,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
  });
  // A page that hangs should fail its test, not the whole file's timeout.
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const seen: string[] = [];
  problems.set(page, seen);
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(message.text());
  });
  page.on('pageerror', (error) => seen.push(error.message));
  page.on('close', () => void context.close().catch(() => {}));
  return page;
}

/** Console errors and uncaught exceptions seen on `page` so far (e.g. "Refused to load ... Content Security Policy"). */
export function pageProblems(page: Page): string[] {
  return [...(problems.get(page) ?? [])];
}

/** A file-system-safe name: letters, digits, '-', '_' and '.'. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'page';
}

/**
 * Writes a full-page PNG of `page` to test-results/screenshots/<name>.png and returns its path. Animations are
 * disabled and the caret hidden so repeated runs give the same picture.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${safeName(name)}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}

let axeSource: string | undefined;

/** axe-core's browser bundle, read from node_modules (served by nobody: injected through the DevTools protocol). */
function axeScript(): string {
  if (axeSource) return axeSource;
  const require = createRequire(import.meta.url);
  axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Impacts that fail the check (the issue: "no serious or critical violations"). */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Runs axe-core (all its WCAG 2.x A/AA and best-practice rules) on the page as it is now and throws when it finds a
 * serious or critical violation; the error lists each rule id, its help text and the CSS targets of the offending
 * elements. `name` labels the page in that message. Returns the minor/moderate violations' ids (not failures).
 *
 * axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not block, so pages are
 * checked with their real CSP in force.
 */
export async function expectAccessible(page: Page, name: string): Promise<string[]> {
  const installed = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!installed) await page.evaluate(axeScript());
  const violations = await page.evaluate(async () => {
    const scope = globalThis as unknown as {
      axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> };
      document: unknown;
    };
    const result = await scope.axe.run(scope.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  const failing = violations.filter((v) => v.impact !== null && FAILING_IMPACTS.has(v.impact));
  if (failing.length > 0) {
    const lines = failing.map(
      (v) =>
        `- ${v.id} (${v.impact ?? ''}): ${v.help}\n    ${v.nodes
          .slice(0, 8)
          .map((n) => n.target.map(String).join(' '))
          .join('\n    ')}${v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ''}`,
    );
    throw new Error(`Accessibility (axe-core) on "${name}" (${page.url()}):\n${lines.join('\n')}`);
  }
  return violations.map((v) => v.id);
}
