// Vitest globalSetup of the `browser` project (vitest.config.ts): launches ONE headless Chromium (Debian's package at
// /usr/bin/chromium, driven by playwright-core) for the whole test run and hands its WebSocket endpoint to the test
// files through `provide('chromiumWsEndpoint', ...)`; test/web/browser.ts connects to it. Vitest runs this only when
// the run includes at least one browser test file, so `npx vitest run test/web/cases.test.ts` starts no browser.
//
// Without /usr/bin/chromium: with CI set the run fails here (CI installs the package: .ci/run); otherwise the endpoint
// is '' and the browser tests are skipped with a message saying why.
import { existsSync } from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';

/** Where Debian's `chromium` package installs its launcher. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, container-friendly Chromium (no sandbox: tests run as root in containers). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

declare module 'vitest' {
  export interface ProvidedContext {
    /** playwright's WebSocket endpoint of the shared Chromium; '' when no browser is available (tests skip). */
    chromiumWsEndpoint: string;
    /** Why the browser tests are skipped ('' when they run). */
    chromiumSkipReason: string;
  }
}

/** Launches the shared Chromium and returns the teardown that closes it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM_PATH)) {
    const reason = `${CHROMIUM_PATH} is missing: browser tests skipped (install Debian's chromium package: apt-get install -y chromium).`;
    if (process.env.CI)
      throw new Error(`${CHROMIUM_PATH} is missing: CI needs it for the browser tests (.ci/run installs it).`);
    console.warn(`\n[browser tests] ${reason}\n`);
    project.provide('chromiumWsEndpoint', '');
    project.provide('chromiumSkipReason', reason);
    return async () => {};
  }
  const server: BrowserServer = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  project.provide('chromiumWsEndpoint', server.wsEndpoint());
  project.provide('chromiumSkipReason', '');
  return async () => {
    await server.close();
  };
}
