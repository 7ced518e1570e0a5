// The terminal chat keeps logs out of the conversation: when standard error is the same terminal (a pseudo-terminal
// here, through util-linux `script`), log lines go to data/console.log (LOG_FILE), even at LOG_LEVEL=info.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOG_FILE = path.join(ROOT, 'data', 'console.log');
const hasScript = spawnSync('script', ['--version']).status === 0;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-tty-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function inTerminal(command: string, input: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
    // Keep the terminal open until the bot has answered (end of input would end the chat at once).
    child.stdin.write(input);
    setTimeout(() => child.stdin.end(), 5_000);
  });
}

it.skipIf(!hasScript)(
  'in a terminal, no log line appears in the chat: they go to data/console.log',
  async () => {
    const before = existsSync(LOG_FILE) ? statSync(LOG_FILE).size : 0;
    const output = await inTerminal('npm start --silent', 'xin chao\n', {
      DATABASE_URL: `file:${path.join(dir, 'bot.db')}`,
      LOG_LEVEL: 'info',
    });
    expect(output).toContain('Xin chào! Đây là trợ lý của Hội Liên hiệp Phụ nữ tỉnh.');
    expect(output).not.toContain('"level"');
    const logged = (await readFile(LOG_FILE, 'utf8')).slice(before);
    expect(logged).toContain('"msg":"migrations applied"');
  },
  60_000,
);
