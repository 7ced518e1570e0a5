// A probe for one member turn on SQLite (not a test, not part of `npm run bench`): lists the SQL statements of one
// wrong answer at the commune question (two replies), then N members × ROUNDS wrong answers: CPU per turn and turns/s
// in-process (a fake Telegram delivery). PROF=<file> writes a CPU profile of that loop.
// Usage: N=8 ROUNDS=20 [PROF=/tmp/turn.cpuprofile] npx tsx test/bench/turnProbe.ts
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/data/database.ts';
import { applyMigrations } from '../../src/data/migrations.ts';
import { createRuntime } from '../../src/wiring.ts';
import { AREAS_FILE, Chat, HOUR } from '../helpers/chat.ts';

const log: string[] = [];
let on = false;
const proto = Database.prototype as unknown as { prepare: (sql: string) => unknown };
const orig = proto.prepare;
proto.prepare = function (this: unknown, sql: string) {
  if (on) log.push(sql.replace(/\s+/g, ' ').slice(0, 160));
  return orig.call(this, sql);
};
const noop = () => undefined;
const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger } as never;
const dir = await mkdtemp(path.join(tmpdir(), 'probe-'));
const url = `file:${path.join(dir, 'p.db')}`;
await applyMigrations(url);
const db = await openDatabase(url);
const runtime = createRuntime({
  prisma: db.prisma,
  logger,
  areasFile: AREAS_FILE,
  defaultLanguage: 'vi',
  conversationTimeoutMs: 24 * HOUR,
  files: { dir: path.join(dir, 'f') },
});
let sent = 0;
runtime.bot.connect('telegram', {
  deliver: async () => {
    sent++;
    return { kind: 'sent' };
  },
} as never);
const N = Number(process.env.N ?? 8);
const chats = Array.from({ length: N }, (_, i) => new Chat(runtime.bot, `p${i}`, 'telegram'));
for (const chat of chats) {
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send('Nguyễn Thị Lan');
}
// now at the commune question: wrong answers
const r = await chats[0]!.send('zzqx');
console.log('replies', r.length, JSON.stringify(r).slice(0, 200));
on = true;
log.length = 0;
await chats[0]!.send('qqzz');
on = false;
console.log('statements in one wrong-answer turn:', log.length);
for (const s of log) console.log('  ', s);
const ROUNDS = Number(process.env.ROUNDS ?? 50);
const { Session } = await import('node:inspector/promises');
const session = new Session();
session.connect();
if (process.env.PROF) {
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  chats.map(async (c) => {
    for (let i = 0; i < ROUNDS; i++) await c.send(`xq${i}z`);
  }),
);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(`cpu per turn ${((cpu.user + cpu.system) / 1000 / (N * ROUNDS)).toFixed(2)} ms`);
if (process.env.PROF) {
  const { profile } = await session.post('Profiler.stop');
  (await import('node:fs')).writeFileSync(process.env.PROF, JSON.stringify(profile));
}
console.log(
  `turns ${N * ROUNDS} in ${ms.toFixed(0)} ms: ${((N * ROUNDS) / (ms / 1000)).toFixed(0)} turns/s; sent ${sent}`,
);
await db.close();
