// The terminal chat as a process (`node --import tsx src/main.ts` with no channel configured, as `npm start` runs it)
// stops gracefully on SIGTERM like the served bot: "shutting down", the database closed, "stopped", exit code 0 — with
// its standard input still open (a person at the terminal, not end of input).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-console-stop-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('SIGTERM to the terminal chat, input still open, shuts it down gracefully with exit code 0', async () => {
  const child = spawn('node', ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: `file:${path.join(dir, 'bot.db')}`,
      FILES_DIR: path.join(dir, 'files'),
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '5000',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  try {
    child.stdin.write('xin chao\n');
    await waitFor('the reply', () => stdout.includes('Xin chào!') || child.exitCode !== null);
    expect(stdout).toContain('Xin chào! Đây là trợ lý của Hội Liên hiệp Phụ nữ tỉnh.');

    child.kill('SIGTERM');
    const code = await Promise.race([exit, new Promise<'running'>((r) => setTimeout(() => r('running'), 10_000))]);
    expect(code).toBe(0);
    expect(stderr).toContain('"msg":"shutting down"');
    expect(stderr).toContain('"msg":"stopped"');
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 45_000);
