// `npm run admin -- broadcasts ...` (issue 14): an admin sends an announcement from text files through the bot's own
// BroadcastService on the same database (SQLite here): the audience size and out-of-reach figures printed before
// anything is stored, --yes, the acting admin (--as, or the only admin), list, show (progress; --watch bounded),
// approve / reject by another admin, cancel, and the failures CSV for Excel (BOM, formula-safe, no names or phones).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAdminArgs, runAdmin } from '../../src/cli/admin.ts';
import { parseCsv } from '../../src/domain/csv.ts';
import { createConsentRepository } from '../../src/data/consentRepository.ts';
import { DEFAULT_BROADCAST_SETTINGS } from '../../src/features/broadcasts/service.ts';
import { createRuntime, type Runtime } from '../../src/wiring.ts';
import { AREAS_FILE, HOUR, silentLogger, TestClock, UNLIMITED_RATES } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { tempFilesDir } from '../helpers/photos.ts';

let db: FreshDatabase;
let rt: Runtime;
// 13:00 on Monday 7 December 2026 in Vietnam.
const clock = new TestClock(new Date('2026-12-07T06:00:00Z'));
const dir = mkdtempSync(path.join(tmpdir(), 'bc-cli-'));
const ids = { boss: '', hai: '', lan: '' };
const THRESHOLD = 2;

async function admin(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdmin(argv, {
    prisma: db.prisma,
    areasFile: AREAS_FILE,
    clock,
    filesDir: dir,
    broadcasts: { ...DEFAULT_BROADCAST_SETTINGS, approvalThreshold: THRESHOLD },
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

async function person(
  userId: string,
  name: string,
  data: { channel?: string; communeCode?: string; language?: string; role?: string; lastInboundAt?: Date } = {},
): Promise<string> {
  const m = await db.prisma.member.create({
    data: {
      channel: data.channel ?? 'telegram',
      channelUserId: userId,
      displayName: name,
      phone: '+84912345678',
      language: data.language ?? 'vi',
      communeCode: data.communeCode ?? '05443',
      consentAt: clock.now(),
      role: data.role ?? 'member',
      lastInboundAt: data.lastInboundAt ?? clock.now(),
    },
  });
  await createConsentRepository(db.prisma).give(m.id, 'announcements', clock.now());
  return m.id;
}

const file = (name: string, body: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, body, 'utf8');
  return at;
};

beforeAll(async () => {
  db = await freshDatabase();
  rt = createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    clock,
    files: { dir: tempFilesDir() },
    outbox: { rates: UNLIMITED_RATES },
    broadcasts: { ...DEFAULT_BROADCAST_SETTINGS, approvalThreshold: THRESHOLD },
  });
  ids.boss = await person('boss', 'Hoàng Thị Quản', { role: 'admin' });
  ids.lan = await person('lan', 'Lê Thị Lan');
  await person('anna', 'Anna Smith', { language: 'en' });
  // A Zalo OA member who last wrote 10 days ago: out of reach now (outside the 7-day window).
  await person('zmai', 'Trần Thị Mai', {
    channel: 'zalo',
    lastInboundAt: new Date(clock.now().getTime() - 240 * HOUR),
  });
  await person('gia', 'Vũ Văn Gia', { communeCode: '05467' });
}, 30_000);
afterAll(() => db.close());

describe('admin CLI: broadcasts', () => {
  it('parses the commands, and refuses bad ones with the usage', () => {
    expect(parseAdminArgs(['broadcasts', 'create', '--text-file', 'a.txt', '--button', 'course:12']).ok).toBe(true);
    const bad = parseAdminArgs(['broadcasts', 'create']);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toContain('--text-file');
    const button = parseAdminArgs(['broadcasts', 'create', '--text-file', 'a', '--button', 'lottery']);
    expect(!button.ok && button.problem).toContain('--button must be course:<id>, courses, credit or product');
    const course = parseAdminArgs(['broadcasts', 'create', '--text-file', 'a', '--course', '3']);
    expect(!course.ok && course.problem).toContain('--course needs --registrants and/or --waiting-list');
    expect(parseAdminArgs(['broadcasts', 'send']).ok).toBe(false);
  });

  it('create prints the audience first and asks for --yes; with --yes it starts, and list / show follow it', async () => {
    const vi = file('vi.txt', '\uFEFFHọp chi hội phường Phan Đình Phùng lúc 8h thứ bảy.\r\n');
    const en = file('en.txt', 'Branch meeting on Saturday at 8:00.');
    const asked = await admin(
      'broadcasts',
      'create',
      '--text-file',
      vi,
      '--text-file-en',
      en,
      '--commune',
      'Phan Dinh Phung',
    );
    expect(asked.code).toBe(2);
    expect(asked.out).toContain('Recipients: 3');
    expect(asked.out).toContain('By channel: Telegram: 2, Zalo OA: 1');
    expect(asked.out).toContain('Out of reach now: 1 (blocked the bot/unfollowed: 0; Zalo over 7 days: 1)');
    expect(asked.err).toContain('Not sent. To send it, run again with --yes');
    expect(await db.prisma.broadcast.count()).toBe(0);

    // Over the threshold (2) with one admin: the rule is off, and she is told so.
    const sent = await admin(
      'broadcasts',
      'create',
      '--text-file',
      vi,
      '--text-file-en',
      en,
      '--commune',
      '05443',
      '--yes',
    );
    expect(sent.err).toBe('');
    expect(sent.code).toBe(0);
    const b = await db.prisma.broadcast.findFirstOrThrow();
    expect(sent.out).toContain(`Sending of announcement #${b.id} has started.`);
    expect(sent.out).toContain('You are the only admin, so the approval rule (over 2 recipients) is off.');
    expect(b.texts).toEqual({
      vi: 'Họp chi hội phường Phan Đình Phùng lúc 8h thứ bảy.',
      en: 'Branch meeting on Saturday at 8:00.',
    });
    expect(b.audience).toEqual({ communes: ['05443'] });
    expect(b.createdById).toBe(ids.boss);
    for (let i = 0; i < 5 && (await rt.jobs.runDue()) > 0; i++);
    expect(await db.prisma.broadcastDelivery.count({ where: { broadcastId: b.id } })).toBe(3);

    const listed = await admin('broadcasts', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(new RegExp(`^${b.id}\\s+sending`, 'm'));
    const shown = await admin('broadcasts', 'show', String(b.id));
    expect(shown.out).toContain(`Announcement #${b.id} — Sending`);
    expect(shown.out).toContain('Recipients: 3');
    expect(shown.out).toContain('Waiting to be sent: 3');
    expect(shown.out).toContain('Rate: 0 messages a minute');

    // Failures for Excel: a formula-looking reason is kept as text; member ids only, never names or phones.
    const [first] = await db.prisma.broadcastDelivery.findMany({
      where: { broadcastId: b.id },
      orderBy: { memberId: 'asc' },
    });
    await db.prisma.broadcastDelivery.update({
      where: { id: first!.id },
      data: { status: 'failed', reason: '=HYPERLINK("x")', attempts: 5 },
    });
    const out = path.join(dir, 'failures.csv');
    const failures = await admin('broadcasts', 'failures', String(b.id), '--out', out);
    expect(failures.out).toContain(`1 failure(s) written to ${out}`);
    const csv = await readFile(out, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).not.toContain('Lê Thị Lan');
    expect(csv).not.toContain('0912');
    const parsed = parseCsv(csv);
    if (!parsed.ok) throw new Error('bad csv');
    expect(parsed.records.map((r) => r.cells)).toEqual([
      ['member id', 'channel', 'status', 'reason', 'attempts', 'uncertain', 'time'],
      [
        first!.memberId,
        first!.channel,
        'failed',
        `'=HYPERLINK("x")`,
        '5',
        'no',
        expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+07:00$/),
      ],
    ]);

    // Cancel: pending deliveries are not sent; a second cancel is refused clearly.
    const cancelled = await admin('broadcasts', 'cancel', String(b.id));
    expect(cancelled.code).toBe(0);
    expect(cancelled.out).toContain(`Announcement #${b.id} stopped.`);
    const again = await admin('broadcasts', 'cancel', String(b.id));
    expect(again.code).toBe(1);
    expect(again.err).toContain('Not possible: the announcement is "Stopped".');
    const watched = await admin('broadcasts', 'show', String(b.id), '--watch', '--every', '0.01');
    expect(watched.code).toBe(0);
    expect(watched.out).toContain('Stopped');
  });

  it('with two admins: --as is required, a scheduled one over the threshold awaits the other admin, who approves or rejects', async () => {
    ids.hai = await person('hai', 'Nguyễn Văn Hai', { role: 'admin' });
    const vi = file('storm.txt', 'Cảnh báo bão số 5: không ra đồng chiều nay.');
    const noActor = await admin('broadcasts', 'create', '--text-file', vi, '--yes');
    expect(noActor.code).toBe(2);
    expect(noActor.err).toContain('There are 2 admins: say which one acts with --as');
    const notAdmin = await admin('broadcasts', 'create', '--text-file', vi, '--yes', '--as', ids.lan);
    expect(notAdmin.err).toContain('is not an admin');
    const past = await admin(
      'broadcasts',
      'create',
      '--text-file',
      vi,
      '--yes',
      '--as',
      'telegram:boss',
      '--at',
      '2026-12-07 08:00',
    );
    expect(past.code).toBe(2);
    expect(past.err).toContain('that time has passed');

    const created = await admin(
      'broadcasts',
      'create',
      '--text-file',
      vi,
      '--urgent',
      '--at',
      '2026-12-08 07:00',
      '--as',
      'telegram:boss',
      '--yes',
    );
    expect(created.code).toBe(0);
    const b = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(created.out).toContain(
      `Announcement #${b.id} has more than 2 recipients, so it needs approval: I sent it to 1 other admins.`,
    );
    expect(b).toMatchObject({ status: 'awaitingApproval', urgent: true });
    expect(b.scheduledAt?.toISOString()).toBe('2026-12-08T00:00:00.000Z');

    const own = await admin('broadcasts', 'approve', String(b.id), '--as', ids.boss);
    expect(own.code).toBe(1);
    expect(own.err).toContain('must be approved by another admin');
    const approved = await admin('broadcasts', 'approve', String(b.id), '--as', ids.hai);
    expect(approved.code).toBe(0);
    expect(approved.out).toContain(`Announcement #${b.id} approved.`);
    expect(approved.out).toContain(`Announcement #${b.id} is scheduled for 07:00 tomorrow morning, 8 Dec.`);

    const second = await admin('broadcasts', 'create', '--text-file', vi, '--as', ids.boss, '--yes');
    const other = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(second.code).toBe(0);
    const rejected = await admin('broadcasts', 'reject', String(other.id), '--note', 'Trùng lịch', '--as', ids.hai);
    expect(rejected.out).toContain(`Announcement #${other.id} rejected`);
    expect(await db.prisma.broadcast.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({
      status: 'rejected',
      note: 'Trùng lịch',
    });
    const missing = await admin('broadcasts', 'show', '9999');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('I cannot find that announcement.');
  });

  it('create --photo stores the photo cleaned, under the acting admin; a file that is no image is refused', async () => {
    const vi = file('photo.txt', 'Hội chợ nông sản chủ nhật này.');
    const jpeg = path.join(dir, 'fair.jpg');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
      .jpeg()
      .toFile(jpeg);
    const notImage = file('fake.jpg', 'this is not a picture');
    const refused = await admin(
      'broadcasts',
      'create',
      '--text-file',
      vi,
      '--photo',
      notImage,
      '--as',
      ids.boss,
      '--yes',
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`--photo ${notImage}: not an image`);
    const sent = await admin('broadcasts', 'create', '--text-file', vi, '--photo', jpeg, '--as', ids.boss, '--yes');
    expect(sent.code).toBe(0);
    const b = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(b.photoFileId).not.toBeNull();
    const stored = await db.prisma.storedFile.findUniqueOrThrow({ where: { id: b.photoFileId! } });
    expect(stored).toMatchObject({ memberId: ids.boss, width: 40, height: 30 });
  });
  it("the operator's words are English; --commune takes what --area takes; quiet hours and the size before sending are said; --help is the broadcasts part", async () => {
    const vi = file('quiet.txt', 'Họp chi hội tổ 5 tối thứ bảy.');
    // A former commune name: the same answer as `invite --area` (the current unit and its code), not "not one commune".
    const former = await admin(
      'broadcasts',
      'create',
      '--text-file',
      vi,
      '--commune',
      'tuc duyen',
      '--as',
      ids.boss,
      '--yes',
    );
    expect(former.code).toBe(2);
    expect(former.err).toMatch(
      /--commune 'tuc duyen': Túc Duyên is a former unit, (partly )?now in .*\(\d{5}\); give the current name or the code/,
    );
    // 22:00 is outside BROADCAST_HOURS (07:00–21:00): it starts at their next opening, said in words and in TIME_ZONE.
    const quiet = await admin(
      'broadcasts',
      'create',
      '--text-file',
      vi,
      '--commune',
      'Phường Gia Sàng',
      '--at',
      '22h',
      '--as',
      ids.boss,
      '--yes',
    );
    expect(quiet.code).toBe(0);
    const b = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(quiet.out).toContain('Recipients: 1');
    expect(quiet.out).toContain(
      `Announcement #${b.id} is scheduled for 22:00 this evening, 7 Dec. That is outside 07:00–21:00, so sending starts at 07:00 tomorrow morning, 8 Dec.`,
    );
    expect(quiet.out).not.toMatch(/[ạđ]|người nhận|thông báo #/i);
    // Before its deliveries are written: the size counted at confirmation.
    const listed = await admin('broadcasts', 'list');
    expect(listed.out).toMatch(new RegExp(`^${b.id}\\s+scheduled\\s.*≈ 1`, 'm'));
    const shown = await admin('broadcasts', 'show', String(b.id));
    expect(shown.out).toContain('Recipients: ≈ 1 (counted at confirmation)');
    expect(shown.out).toContain(`Announcement #${b.id} — Scheduled`);
    // --help after the command: its part of the usage only.
    const help = await admin('broadcasts', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('broadcasts create --text-file');
    expect(help.out).toContain('Dates and times are in TIME_ZONE');
    expect(help.out).not.toContain('invite --area');
    expect(help.out).not.toContain('courses list');
  });
});
