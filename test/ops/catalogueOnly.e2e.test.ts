// `npm start` with no channel configured but HTTP_ENABLED=true: the HTTP server alone (the public catalogue and
// /healthz, no webhook), not the terminal chat — how the catalogue is tried locally (README "Trying it").
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-catalogue-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('HTTP_ENABLED=true without a channel', () => {
  it('serves the catalogue and /healthz instead of the terminal chat, and stops on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: `file:${path.join(dir, 'bot.db')}`,
      DATABASE_CREATE: 'true',
      FILES_DIR: path.join(dir, 'files'),
      HTTP_ENABLED: 'true',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      // The web console too: `npm start` runs the start-up bundle (dist/bot), which must find the pages' assets.
      WEB_BASE_URL: `http://127.0.0.1:${port}`,
      METRICS_PORT: '0', // several bots at once: no shared metrics port
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!stderr.includes('"msg":"bot started"') && child.exitCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(stderr).toContain('"msg":"bot started"');
      expect(stdout).toBe(''); // no terminal chat
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const listings = await fetch(`http://127.0.0.1:${port}/catalogue/listings`);
      expect(listings.status).toBe(200);
      expect(await listings.json()).toEqual({ items: [], page: 1, perPage: 20, total: 0 });
      // The catalogue's pages and the console, with their stylesheets, from the bundle.
      const page = await fetch(`http://127.0.0.1:${port}/catalogue`);
      expect(page.status).toBe(200);
      const pageHtml = await page.text();
      const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(pageHtml)?.[1];
      expect(stylesheet).toMatch(/^\/catalogue\/assets\//);
      const css = await fetch(`http://127.0.0.1:${port}${stylesheet ?? ''}`);
      expect(css.status).toBe(200);
      expect(await css.text()).toContain('{');
      const signIn = await fetch(`http://127.0.0.1:${port}/console/sign-in`);
      expect(signIn.status).toBe(200);
      expect(await signIn.text()).toContain('/console/assets/console.css');
      const consoleCss = await fetch(`http://127.0.0.1:${port}/console/assets/console.css`);
      expect(consoleCss.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
