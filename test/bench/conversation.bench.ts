// Load figures for the real bot (`npm run bench`): it measures and prints, it asserts nothing about timing.
// 1. Many members at once going through first contact and the whole profile flow (the real gateway, real SQLite).
// 2. The cost of a redelivered message (an id already handled).
// 3. AreaDirectory.match speed over typed commune names (current, former, without diacritics, typos, unknown).
// 4. Understanding free text: the cost of reading one message's intent (classifier + decision), over our dev set.
// Its last line is `BENCH_JSON {...}` with the main figures (read by test/bench/run.ts, `npm run bench`).
// It exits 1 only when the work was not really done (members missing their commune, errors): a correctness failure.
//
// Settings: BENCH_MEMBERS (default 500), BENCH_CONCURRENCY (default 20).
// Runs on a new SQLite file in a temp folder, deleted at the end. Deliberately not a vitest file: test/helpers/
// database.ts registers a vitest hook, so the database is created here with applyMigrations + openDatabase.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BotGateway, InboundMessage } from '../../src/conversation/messages.ts';
import type { Logger } from '../../src/conversation/ports.ts';
import { openDatabase, type PrismaClient } from '../../src/data/database.ts';
import { applyMigrations } from '../../src/data/migrations.ts';
import { areasFileSchema, type AreaDirectory, type AreaMatch } from '../../src/domain/areas.ts';
import type { Member } from '../../src/domain/member.ts';
import { fold } from '../../src/domain/text.ts';
import { createRuntime } from '../../src/wiring.ts';
import { AREAS_FILE, Chat, HOUR } from '../helpers/chat.ts';

const MEMBERS = positiveInt('BENCH_MEMBERS', 500);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 20);
const WARMUP_MEMBERS = 10;
const DUPLICATES = 1_000;
const AREA_ROUNDS = 5;
const INTENT_ROUNDS = 20;
const PROFILE_STEPS = [
  'first contact',
  'language tap',
  'consent tap',
  'name',
  'former commune',
  'confirm commune',
  'phone',
  'confirm summary',
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers: settings, statistics, output.

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? total / sorted.length : NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

const fixed = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Left-aligned first column, right-aligned others. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), '  ' + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function heading(title: string): void {
  console.log(`\n${title}\n${'='.repeat(title.length)}`);
}

/** Logs nothing, but counts errors: a handled failure becomes an apology, which must not pass for real work. */
const errors: object[] = [];
const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (obj) => void errors.push(obj),
};

/** The gateway with each handle() call timed (ms) into `samples`, in call order. */
function timed(bot: BotGateway, samples: number[]): BotGateway {
  return {
    connect: (channel, delivery) => bot.connect(channel, delivery),
    async handle(message: InboundMessage) {
      const started = performance.now();
      const replies = await bot.handle(message);
      samples.push(performance.now() - started);
      return replies;
    },
    markUnreachable: (user) => bot.markUnreachable(user),
    erase: (user) => bot.erase(user),
  };
}

async function runPool(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

// ---------------------------------------------------------------------------------------------------------------
// Script data: Vietnamese names, phones, and former commune names that lead to exactly one current unit.

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Thị', 'Thị Thu', 'Thị Minh', 'Thị Hồng', 'Ngọc', 'Thị Thanh', 'Thị Kim'];
const GIVEN = ['Lan', 'Hương', 'Hoa', 'Mai', 'Hạnh', 'Thảo', 'Trang', 'Nhung', 'Hằng', 'Yến', 'Liên', 'Dung'];
const PREFIXES = ['091', '098', '097', '086', '088', '094', '035', '039', '070', '081'];

function memberName(i: number): string {
  return `${FAMILY[i % FAMILY.length]!} ${MIDDLE[(i * 7) % MIDDLE.length]!} ${GIVEN[(i * 5) % GIVEN.length]!}`;
}

/** Unique, valid mobile number, typed the way members do ("0912 345 678"), and its E.164 form. */
function memberPhone(i: number): { typed: string; e164: string } {
  const prefix = PREFIXES[i % PREFIXES.length]!;
  const rest = String(1_000_000 + i).padStart(7, '0');
  const local = prefix + rest;
  return { typed: `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}`, e164: '+84' + local.slice(1) };
}

interface FormerName {
  typed: string;
  expectedCode: string;
}

/** Former names that, typed without diacritics ("tuc duyen"), point at exactly one current unit (a yes/no question). */
function unambiguousFormerNames(areas: AreaDirectory, formerNames: string[]): FormerName[] {
  const out = new Map<string, FormerName>();
  for (const name of formerNames) {
    const typed = fold(name);
    const match = areas.match(typed);
    if (match.kind === 'former') out.set(typed, { typed, expectedCode: match.candidate.unit.code });
  }
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// One member's whole first conversation, as test/helpers/chat.ts drives it (taps send the buttons' `data`).

interface Expected {
  userId: string;
  displayName: string;
  communeCode: string;
  phone: string;
}

async function profileScript(chat: Chat, name: string, commune: FormerName, phone: string): Promise<void> {
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await chat.send(name);
  await chat.send(commune.typed);
  await chat.tap('Có');
  await chat.send(phone);
  await chat.tap('Xác nhận');
  if (!chat.text().includes('Đã lưu hồ sơ'))
    throw new Error(`profile not saved; last reply: ${chat.text().replace(/\s+/g, ' ')}`);
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const problems: string[] = [];
  const memoryAtStart = process.memoryUsage();
  const dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-bench-'));
  const url = `file:${path.join(dir, 'bench.db')}`;
  let database: { prisma: PrismaClient; close(): Promise<void> } | undefined;

  /** The figures for the BENCH_JSON line (ms unless named µs). */
  const figures: Record<string, number> = {};
  try {
    const setupStarted = performance.now();
    await applyMigrations(url);
    database = await openDatabase(url);
    const { prisma } = database;
    const runtime = createRuntime({
      prisma,
      logger: noopLogger,
      areasFile: AREAS_FILE,
      defaultLanguage: 'vi',
      conversationTimeoutMs: 24 * HOUR,
      files: { dir: path.join(dir, 'files') },
    });
    const setupMs = performance.now() - setupStarted;

    const areasFile = areasFileSchema.parse(JSON.parse(readFileSync(AREAS_FILE, 'utf8')));
    const formerNames = areasFile.units.flatMap((u) => u.formedFrom.map((f) => f.name));
    const communes = unambiguousFormerNames(runtime.areas, formerNames);
    if (communes.length === 0) throw new Error('no former commune name in the areas file matches a single unit');

    console.log('Hội viên bot: conversation benchmark');
    console.log(
      `  node ${process.version}, ${process.platform}/${process.arch}; members ${MEMBERS}, concurrency ${CONCURRENCY}`,
    );
    console.log(`  database: new SQLite file in ${dir} (migrated + opened in ${fixed(setupMs, 0)} ms)`);
    console.log(
      `  areas: ${runtime.areas.province}, ${runtime.areas.size} units; ${communes.length} distinct former names ` +
        'typed without diacritics (each → one unit, confirmed with "Có")',
    );

    // ---- 1. Many members through first contact + profile ----------------------------------------------------
    const runMembers = async (prefix: string, count: number, perStep: number[][] | undefined) => {
      const expected: Expected[] = [];
      const failures: string[] = [];
      await runPool(count, CONCURRENCY, async (i) => {
        const samples: number[] = [];
        const userId = `${prefix}-${i}`;
        const chat = new Chat(timed(runtime.bot, samples), userId, 'telegram');
        const name = memberName(i);
        const commune = communes[i % communes.length]!;
        const phone = memberPhone(i);
        try {
          await profileScript(chat, name, commune, phone.typed);
          expected.push({ userId, displayName: name, communeCode: commune.expectedCode, phone: phone.e164 });
        } catch (error) {
          failures.push(`${userId}: ${(error as Error).message.slice(0, 200)}`);
        }
        samples.forEach((ms, step) => perStep?.[step]?.push(ms));
      });
      return { expected, failures };
    };

    await runMembers('warmup', WARMUP_MEMBERS, undefined);
    const memoryBefore = process.memoryUsage();
    const perStep: number[][] = PROFILE_STEPS.map(() => []);
    const loadStarted = performance.now();
    const { expected, failures } = await runMembers('bench', MEMBERS, perStep);
    const wallMs = performance.now() - loadStarted;
    const memoryAfter = process.memoryUsage();

    const all = perStep.flat();
    const overall = summarise(all);
    heading(`1. Real gateway: ${MEMBERS} members × first contact + profile, ${CONCURRENCY} at a time`);
    console.log(
      table(
        ['figure', 'value'],
        [
          ['messages handled', String(all.length)],
          ['wall time', `${fixed(wallMs / 1000, 2)} s`],
          ['throughput', `${fixed(all.length / (wallMs / 1000), 1)} messages/s`],
          ['member profiles completed', `${expected.length} / ${MEMBERS}`],
          ['latency mean', `${fixed(overall.mean)} ms`],
          ['latency p50', `${fixed(overall.p50)} ms`],
          ['latency p95', `${fixed(overall.p95)} ms`],
          ['latency p99', `${fixed(overall.p99)} ms`],
          ['latency max', `${fixed(overall.max)} ms`],
        ],
      ),
    );
    Object.assign(figures, {
      gateway_members: MEMBERS,
      gateway_concurrency: CONCURRENCY,
      gateway_messages_per_s: Number((all.length / (wallMs / 1000)).toFixed(1)),
      gateway_p50_ms: Number(overall.p50.toFixed(2)),
      gateway_p99_ms: Number(overall.p99.toFixed(2)),
      gateway_rss_mb_after: Number(mb(memoryAfter.rss)),
    });
    console.log('\n  Latency per step (ms; includes waiting for the other members in flight):');
    console.log(
      table(
        ['step', 'count', 'mean', 'p50', 'p95', 'p99', 'max'],
        PROFILE_STEPS.map((step, i) => {
          const s = summarise(perStep[i]!);
          return [step, String(s.count), fixed(s.mean), fixed(s.p50), fixed(s.p95), fixed(s.p99), fixed(s.max)];
        }),
      ),
    );
    console.log('\n  Process memory (MB):');
    console.log(
      table(
        ['when', 'RSS', 'heap used', 'heap total'],
        [
          ['script start', mb(memoryAtStart.rss), mb(memoryAtStart.heapUsed), mb(memoryAtStart.heapTotal)],
          ['before the load', mb(memoryBefore.rss), mb(memoryBefore.heapUsed), mb(memoryBefore.heapTotal)],
          ['after the load', mb(memoryAfter.rss), mb(memoryAfter.heapUsed), mb(memoryAfter.heapTotal)],
        ],
      ),
    );

    // ---- 2. Redelivered message ----------------------------------------------------------------------------
    const dupSamples: number[] = [];
    const dupChat = new Chat(timed(runtime.bot, dupSamples), 'bench-0', 'telegram');
    const first = await dupChat.deliver({ kind: 'text', text: 'xin chào' }, 'duplicate-probe');
    dupSamples.length = 0;
    let nonEmptyDuplicates = 0;
    for (let i = 0; i < 50 + DUPLICATES; i++) {
      const replies = await dupChat.deliver({ kind: 'text', text: 'xin chào' }, 'duplicate-probe');
      if (replies.length > 0) nonEmptyDuplicates++;
    }
    const dup = summarise(dupSamples.slice(50));
    heading(
      `2. Duplicate delivery: the same message id ${DUPLICATES} times (one member, sequential, after 50 warm-up)`,
    );
    console.log(
      table(
        ['figure', 'value'],
        [
          ['first delivery replies', String(first.length)],
          ['duplicates answered (must be 0)', String(nonEmptyDuplicates)],
          ['p50', `${fixed(dup.p50, 3)} ms`],
          ['p95', `${fixed(dup.p95, 3)} ms`],
          ['p99', `${fixed(dup.p99, 3)} ms`],
          ['max', `${fixed(dup.max, 3)} ms`],
        ],
      ),
    );
    figures.duplicate_p50_ms = Number(dup.p50.toFixed(3));
    figures.duplicate_p99_ms = Number(dup.p99.toFixed(3));
    if (first.length === 0) problems.push('the first delivery of the duplicate probe got no reply');
    if (nonEmptyDuplicates > 0) problems.push(`${nonEmptyDuplicates} duplicate deliveries were answered again`);

    // ---- 3. Area matching ----------------------------------------------------------------------------------
    const inputs = areaInputs(
      areasFile.units.map((u) => ({ name: u.name, type: u.type })),
      formerNames,
    );
    for (const { text } of inputs) runtime.areas.match(text); // warm-up
    const byCategory = new Map<string, { samples: number[]; kinds: Map<AreaMatch['kind'], number> }>();
    const areaStarted = performance.now();
    for (let round = 0; round < AREA_ROUNDS; round++) {
      for (const { category, text } of inputs) {
        const started = performance.now();
        const match = runtime.areas.match(text);
        const us = (performance.now() - started) * 1000;
        let entry = byCategory.get(category);
        if (!entry) byCategory.set(category, (entry = { samples: [], kinds: new Map() }));
        entry.samples.push(us);
        if (round === 0) entry.kinds.set(match.kind, (entry.kinds.get(match.kind) ?? 0) + 1);
      }
    }
    const areaMs = performance.now() - areaStarted;
    const allArea = summarise([...byCategory.values()].flatMap((e) => e.samples));
    heading(
      `3. AreaDirectory.match: ${inputs.length} typed names × ${AREA_ROUNDS} rounds (${runtime.areas.size} units)`,
    );
    console.log(
      table(
        ['input kind', 'names', 'mean µs', 'p50 µs', 'p95 µs', 'max µs', 'results (first round)'],
        [
          ...[...byCategory].map(([category, e]) => {
            const s = summarise(e.samples);
            const kinds = [...e.kinds].map(([k, n]) => `${k} ${n}`).join(', ');
            return [
              category,
              String(s.count / AREA_ROUNDS),
              fixed(s.mean, 1),
              fixed(s.p50, 1),
              fixed(s.p95, 1),
              fixed(s.max, 1),
              kinds,
            ];
          }),
          [
            'all',
            String(inputs.length),
            fixed(allArea.mean, 1),
            fixed(allArea.p50, 1),
            fixed(allArea.p95, 1),
            fixed(allArea.max, 1),
            `${fixed(allArea.count / (areaMs / 1000), 0)} calls/s`,
          ],
        ],
      ),
    );

    figures.area_match_p50_us = Number(allArea.p50.toFixed(1));
    figures.area_match_p99_us = Number(
      percentile(
        [...byCategory.values()].flatMap((e) => e.samples).sort((a, b) => a - b),
        99,
      ).toFixed(1),
    );

    // ---- 4. Understanding free text ---------------------------------------------------------------------------
    const devSet = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../fixtures/intents/dev.json'), 'utf8'),
    ) as { utterances: { text: string }[] };
    // Only who she is matters to the decision (which flows she may run): a consented member.
    const reader = { id: 'bench', role: 'member', consentAt: new Date(), optedOutAt: null } as unknown as Member;
    const understanding = runtime.features.understanding;
    for (const { text } of devSet.utterances) understanding.decision(text, reader); // warm-up
    const intentSamples: number[] = [];
    for (let round = 0; round < INTENT_ROUNDS; round++) {
      for (const { text } of devSet.utterances) {
        const started = performance.now();
        understanding.decision(text, reader);
        intentSamples.push((performance.now() - started) * 1000);
      }
    }
    const intents = summarise(intentSamples);
    heading(
      `4. Understanding: ${devSet.utterances.length} messages × ${INTENT_ROUNDS} rounds (${understanding.classifier.intents.length} intents)`,
    );
    console.log(
      table(
        ['mean µs', 'p50 µs', 'p95 µs', 'p99 µs', 'max µs'],
        [
          [
            fixed(intents.mean, 1),
            fixed(intents.p50, 1),
            fixed(intents.p95, 1),
            fixed(intents.p99, 1),
            fixed(intents.max, 1),
          ],
        ],
      ),
    );

    figures.understanding_mean_us = Number(intents.mean.toFixed(1));
    figures.understanding_p50_us = Number(intents.p50.toFixed(1));
    figures.understanding_p99_us = Number(intents.p99.toFixed(1));

    // ---- Did the run really do the work? --------------------------------------------------------------------
    const withCommune = await prisma.member.count({
      where: { channelUserId: { startsWith: 'bench-' }, communeCode: { not: null } },
    });
    const rows = await prisma.member.findMany({
      where: { channelUserId: { startsWith: 'bench-' } },
      select: { channelUserId: true, displayName: true, communeCode: true, phone: true, consentAt: true },
    });
    const byUser = new Map(rows.map((r) => [r.channelUserId, r]));
    const exact = expected.filter((e) => {
      const row = byUser.get(e.userId);
      return (
        row?.displayName === e.displayName &&
        row.communeCode === e.communeCode &&
        row.phone === e.phone &&
        row.consentAt !== null
      );
    }).length;
    const processed = await prisma.processedInbound.count();
    const expectedProcessed = (WARMUP_MEMBERS + MEMBERS) * PROFILE_STEPS.length + 1;

    heading('Verification (database at the end)');
    console.log(
      table(
        ['check', 'found', 'expected'],
        [
          ['bench members with a communeCode', String(withCommune), String(MEMBERS)],
          ['… with the expected name, commune, phone, consent', String(exact), String(MEMBERS)],
          ['processed inbound ids (incl. warm-up + probe)', String(processed), String(expectedProcessed)],
          ['errors logged by the bot', String(errors.length), '0'],
          ['scripts that failed', String(failures.length), '0'],
        ],
      ),
    );
    if (withCommune !== MEMBERS) problems.push(`${withCommune} bench members have a communeCode, expected ${MEMBERS}`);
    if (exact !== MEMBERS) problems.push(`${exact} bench members have exactly the profile sent, expected ${MEMBERS}`);
    if (processed !== expectedProcessed)
      problems.push(`${processed} processed inbound ids, expected ${expectedProcessed}`);
    if (errors.length > 0) problems.push(`the bot logged ${errors.length} errors, first: ${JSON.stringify(errors[0])}`);
    for (const f of failures.slice(0, 5)) problems.push(`script failed: ${f}`);
    if (failures.length > 5) problems.push(`… and ${failures.length - 5} more failed scripts`);
  } catch (error) {
    problems.push(`benchmark crashed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  }

  if (problems.length > 0) {
    console.error('\nWARNING: the benchmark did not do the work it measured; the figures above are not valid:');
    for (const p of problems) console.error(`  - ${p}`);
    return 1;
  }
  console.log('\nOK: every simulated member completed the profile; temp database deleted.');
  console.log(`BENCH_JSON ${JSON.stringify({ part: 'conversation', ...figures })}`);
  return 0;
}

/** A few hundred names as members type them: current and former names, with and without diacritics, typos. */
function areaInputs(
  units: { name: string; type: string }[],
  formerNames: string[],
): { category: string; text: string }[] {
  const distinct = (xs: string[]) => [...new Set(xs)];
  const every = <T>(xs: T[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.ceil(xs.length / n)) === 0);
  const formers = every(distinct(formerNames), 100);
  const typo = (name: string, i: number) => {
    const folded = fold(name);
    const at = 1 + (i % Math.max(1, folded.length - 2));
    const letter = folded[at] === 'a' ? 'e' : 'a';
    return folded.slice(0, at) + letter + folded.slice(at + 1);
  };
  const currentNames = units.map((u) => u.name);
  const typoSources = distinct([...currentNames, ...formers]).filter((n) => fold(n).length >= 5);
  return [
    ...currentNames.map((text) => ({ category: 'current name', text })),
    ...units.map((u) => ({ category: 'current, "xa/phuong" + no marks', text: fold(`${u.type} ${u.name}`) })),
    ...formers.map((text) => ({ category: 'former name', text })),
    ...formers.map((text) => ({ category: 'former, no diacritics', text: fold(text) })),
    ...every(typoSources, 100).map((n, i) => ({ category: 'one typo, no diacritics', text: typo(n, i) })),
    ...['xyzabc', 'khong biet', 'ha noi', 'thon 5', 'to dan pho 12', 'qwerty', 'abcde', 'nha em o gan cho'].map(
      (text) => ({ category: 'unknown', text }),
    ),
  ];
}

process.exitCode = await main();
