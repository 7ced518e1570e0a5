// The bot run as an operator runs it: `npm start` as a child process on a SQLite file, behind its Zalo OA webhook (Zalo
// faked at its HTTP seam). Beside it, the admin tools and a second bot process work; a token pair stored meanwhile is
// used for the next send; slow clients do not starve a real update; SIGTERM to `npm start` stops it gracefully.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ID,
  APP_SECRET,
  CS_PATH,
  FakeZalo,
  OA_SECRET,
  postEvent,
  textEvent,
} from '../channels/zalo/oa/fake-zalo.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CAP = 40;
const USER = '8264519937102846123';

let dir: string;
let zalo: FakeZalo;
let port: number;
let env: Record<string, string>;
let bot: { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } | undefined;
const sockets: Socket[] = [];

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-ops-'));
  zalo = await FakeZalo.start();
  port = await freePort();
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: `file:${path.join(dir, 'bot.db')}`,
    FILES_DIR: path.join(dir, 'files'),
    ZALO_OA_APP_ID: APP_ID,
    ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_APP_SECRET: APP_SECRET,
    ZALO_OA_API_BASE: zalo.baseUrl,
    ZALO_OAUTH_BASE: zalo.baseUrl,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    METRICS_PORT: '0', // several bots at once: no shared metrics port
    HTTP_MAX_CONNECTIONS: String(CAP),
    HTTP_BODY_TIMEOUT_MS: '30000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
  await zalo.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs an npm script to its end (bounded). */
function npm(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A client that sends a webhook's headers (with a well-formed signature) and part of its body, then stalls. */
function slowUpload(): Promise<{ closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    const started = Date.now();
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(
        'POST /zalo/oa/webhook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n' +
          `X-ZEvent-Signature: mac=${'0'.repeat(64)}\r\n\r\n{"app_id":`,
      );
      resolve({ closed });
    });
    socket.once('error', reject);
  });
}

const tokensArgs = (pair: { accessToken: string; refreshToken: string }) => [
  'zalo:tokens',
  '--',
  '--access-token',
  pair.accessToken,
  '--refresh-token',
  pair.refreshToken,
];

describe('the bot as a running process', () => {
  it('zalo:tokens on a fresh database migrates it itself and stores the pair', async () => {
    const run = await npm(tokensArgs(zalo.issuePair()));
    expect(run.stderr).toContain('Applied');
    expect(run.stdout).toContain(`Stored the Zalo OA token pair for app ${APP_ID} (version 1)`);
    expect(run.code).toBe(0);
  }, 60_000);

  it('npm start runs the bot; beside it the admin CLI, zalo:tokens and a second bot process work', async () => {
    const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    bot = { child, stderr: () => stderr, exit };
    await waitFor('"bot started"', () => stderr.includes('"msg":"bot started"') || child.exitCode !== null, 60_000);
    expect(stderr).toContain('"msg":"bot started"');

    // The public catalogue of product listings is served beside the webhooks (empty here), with its caching headers.
    const catalogue = await fetch(`http://127.0.0.1:${port}/catalogue/listings`);
    expect(catalogue.status).toBe(200);
    expect(catalogue.headers.get('cache-control')).toBe('public, max-age=30');
    expect(await catalogue.json()).toEqual({ items: [], page: 1, perPage: 20, total: 0 });

    const officers = await npm(['admin', '--', 'officers', 'list']);
    expect(officers.stderr).toBe('');
    expect(officers.stdout).toContain('No officers or admins yet.');
    expect(officers.code).toBe(0);

    // Zalo no longer takes the first pair; the admin stores a new one while the bot runs.
    const [first] = [...zalo.accessTokens];
    zalo.accessTokens.delete(first!);
    const next = zalo.issuePair();
    const stored = await npm(tokensArgs(next));
    expect(stored.stdout).toContain('(version 2)');
    expect(stored.code).toBe(0);

    const second = await npm(['start', '--', '--console'], 'xin chao\n');
    expect(second.stdout).toContain('Xin chào! Đây là trợ lý của Hội Liên hiệp Phụ nữ tỉnh.');
    expect(second.code).toBe(0);

    // Slow uploads up to the cap minus ten (the next test stops the bot with them open): a real event is still
    // answered, and the bot's replies go out with the pair stored above, at the first try.
    await Promise.all(Array.from({ length: CAP - 10 }, () => slowUpload()));
    const event = textEvent(USER, 'xin chao', 'msg-ops-1', String(Date.now()));
    const res = await postEvent(`http://127.0.0.1:${port}/zalo/oa/webhook`, event);
    expect(res.status).toBe(200);
    await waitFor('a reply on Zalo', () => zalo.messages().length > 0, 20_000);
    const sends = zalo.calls.filter((call) => call.path === CS_PATH);
    expect(sends.map((call) => call.headers['access_token'])).toEqual(sends.map(() => next.accessToken));
    expect(zalo.refreshes()).toEqual([]);

    // Beyond the cap, a new connection is closed at once.
    const extra = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = connect(port, '127.0.0.1');
        sockets.push(socket);
        socket.on('error', () => {});
        return new Promise<boolean>((resolve) => {
          socket.once('close', () => resolve(true));
          setTimeout(() => resolve(false), 1_000);
        });
      }),
    );
    expect(extra.filter(Boolean).length).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('SIGTERM to the process npm start started stops the bot gracefully, slow uploads open', async () => {
    expect(bot).toBeDefined();
    const upload = await slowUpload().catch(() => undefined);
    const started = Date.now();
    bot!.child.kill('SIGTERM');
    const code = await Promise.race([bot!.exit, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(bot!.stderr()).toContain('"msg":"shutting down"');
    expect(bot!.stderr()).toContain('"msg":"stopped"');
    if (upload !== undefined) expect(await upload.closed).toBeGreaterThan(0);
  }, 30_000);
});
