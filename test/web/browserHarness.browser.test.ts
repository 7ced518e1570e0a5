// The browser harness itself (test/web/browser.ts): one shared Chromium, pages at a chosen width, screenshots on disk,
// axe-core failing on serious violations, CSP refusals reported, all against a tiny local server with a strict CSP.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, expectAccessible, newPage, pageProblems, screenshot } from './browser.ts';

const GOOD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Good</title></head>
<body><main><h1>Hello</h1><p>Fine page.</p></main></body></html>`;
const BAD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1>Hello</h1><img src="/x.png"><script>document.title = 'ran';</script></main></body></html>`;

let url = '';
const server = createServer((request, response) => {
  response.setHeader('content-security-policy', "default-src 'self'; script-src 'self'");
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.end(request.url === '/bad' ? BAD : GOOD);
});

beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describeBrowser('browser harness', () => {
  it('opens a page at 360 px, writes a screenshot and passes axe on a clean page', async () => {
    const page = await newPage({ width: 360, baseURL: url });
    await page.goto('/');
    expect(await page.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(360);
    expect(existsSync(await screenshot(page, 'harness good page'))).toBe(true);
    await expectAccessible(page, 'good page');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('fails axe on a serious violation, naming the rule, and reports a CSP refusal', async () => {
    const page = await newPage({ baseURL: url });
    await page.goto('/bad');
    await expect(expectAccessible(page, 'bad page')).rejects.toThrow(/image-alt \(critical\)[\s\S]*img/);
    expect(await page.title()).toBe('Bad'); // the inline script was blocked by the CSP
    expect(pageProblems(page).join('\n')).toMatch(/Content Security Policy/);
    await page.close();
  });
});
