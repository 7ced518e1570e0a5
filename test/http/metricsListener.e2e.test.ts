// The bot as `npm start` runs it (HTTP only, no channel): the metrics listener answers on 127.0.0.1 at METRICS_PORT,
// and METRICS_PORT=0 starts none. Two processes, one after the other (each a few seconds to start).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-metrics-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the bot, runs `check` once it says "bot started", then stops it with SIGTERM. Returns its log. */
async function withBot(env: Record<string, string>, check: () => Promise<void>): Promise<string> {
  const child = spawn('node', ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: `file:${path.join(dir, 'bot.db')}`,
      FILES_DIR: path.join(dir, 'files'),
      LOG_LEVEL: 'info',
      HTTP_ENABLED: 'true',
      HTTP_HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: '5000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await waitFor('"bot started"', () => log.includes('"msg":"bot started"') || child.exitCode !== null);
    expect(child.exitCode, log).toBeNull();
    await check();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    return log;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

it('answers GET /metrics on 127.0.0.1:METRICS_PORT; METRICS_PORT=0 starts no listener', async () => {
  const httpPort = await freePort();
  const metricsPort = await freePort();
  const on = await withBot({ HTTP_PORT: String(httpPort), METRICS_PORT: String(metricsPort) }, async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE hoivien_updates_total counter');
    expect(text).toMatch(/^hoivien_outbox_waiting_messages\{state="due"\} 0$/m);
    // Not on the main server without a token.
    expect((await fetch(`http://127.0.0.1:${httpPort}/metrics`)).status).toBe(404);
  });
  expect(on).toContain('"msg":"metrics listener listening"');

  const off = await withBot({ HTTP_PORT: String(httpPort), METRICS_PORT: '0' }, async () => {
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
    expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
  });
  expect(off).not.toContain('metrics listener');
}, 150_000);
