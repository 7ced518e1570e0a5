// The broadcasts service as admins use it (SQLite, the real runtime, an injected clock): the text each member gets in
// her language (fallback), the photo and the button; the checks on what an admin composes; the approval rule (the
// threshold, the second admin gets the preview and Approve / Reject, her own approval refused, the first decision
// wins, a single admin is told the rule is off); a scheduled start with the tick; cancelling mid-way; preparing in
// batches that resume after an interruption without duplicates; the progress and final report an admin reads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/conversation/messages.ts';
import type { BroadcastInput } from '../../../src/domain/broadcasts.ts';
import type { Member } from '../../../src/domain/member.ts';
import { DEFAULT_BROADCAST_SETTINGS, type BroadcastSettings } from '../../../src/features/broadcasts/service.ts';
import { createRuntime, type Runtime } from '../../../src/wiring.ts';
import { AREAS_FILE, HOUR, silentLogger, TestClock, UNLIMITED_RATES } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { tempFilesDir } from '../../helpers/photos.ts';

const DAN_TIEN = '05755';
const MINUTE = 60_000;

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let seq = 0;

function start(settings: Partial<BroadcastSettings> = {}) {
  rt = createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    clock,
    files: { dir: tempFilesDir() },
    outbox: { rates: UNLIMITED_RATES },
    broadcasts: { ...DEFAULT_BROADCAST_SETTINGS, approvalThreshold: 2, batchSize: 500, ...settings },
  });
}

beforeEach(async () => {
  db = await freshDatabase('sqlite');
  clock = new TestClock(new Date('2026-03-02T03:00:00Z')); // 10:00 in Thái Nguyên
  start();
});
afterEach(async () => {
  await rt.outbox.idle();
  await db.close();
});

const service = () => rt.features.broadcasts.service;

async function person(name: string, role: Member['role'] = 'member', language: Member['language'] = 'vi') {
  seq += 1;
  const m = await rt.members.create({ channel: 'telegram', channelUserId: `${name}${seq}`, language, role });
  if (role !== 'member') await rt.officers.assign(m.id, role, ['*']);
  await db.prisma.memberConsent.create({ data: { memberId: m.id, purpose: 'announcements', givenAt: clock.now() } });
  return rt.members.update(m.id, { displayName: name, communeCode: DAN_TIEN, consentAt: clock.now() });
}

/** `n` plain members with announcements on, written in bulk (ids sort in creation order). */
async function members(n: number, language: Member['language'] = 'vi') {
  const base = seq;
  seq += n;
  const ids = Array.from({ length: n }, (_, i) => `mem${String(base + i).padStart(6, '0')}`);
  await db.prisma.member.createMany({
    data: ids.map((id) => ({
      id,
      channel: 'telegram',
      channelUserId: id,
      language,
      communeCode: DAN_TIEN,
      consentAt: clock.now(),
    })),
  });
  await db.prisma.memberConsent.createMany({
    data: ids.map((memberId) => ({ memberId, purpose: 'announcements', givenAt: clock.now() })),
  });
  return ids;
}

/** What an admin was told about broadcasts, oldest first: each message's text, with its buttons' labels. */
async function told(member: Member): Promise<string[]> {
  await rt.outbox.idle();
  const rows = await db.prisma.notification.findMany({
    where: { recipientId: member.id, kind: 'broadcast' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.flatMap((row) => (row.messages as unknown as OutboundMessage[]).map(shown));
}

function shown(m: OutboundMessage): string {
  if (m.kind === 'choices') return `${m.text} [${m.choices.map((c) => `${c.label}=${c.data}`).join(' | ')}]`;
  if (m.kind === 'text') return m.text;
  return `(photo ${m.ref})${m.caption ? ` ${m.caption}` : ''}`;
}

const input = (over: Partial<BroadcastInput> = {}): BroadcastInput => ({
  texts: { vi: 'Họp xét duyệt vay vốn lúc 8 giờ sáng thứ Hai tại nhà văn hoá.', en: 'Loan review meeting Monday 8am.' },
  audience: {},
  ...over,
});

const run = <T>(work: () => Promise<T>) => rt.transactor.run(work);

async function deliveries(broadcastId: number) {
  return db.prisma.broadcastDelivery.findMany({ where: { broadcastId }, orderBy: { memberId: 'asc' } });
}

describe('render', () => {
  it('her language, else Vietnamese, else the language there is; photo caption or photo then text; one button', () => {
    const s = service();
    const both = { id: 7, texts: { vi: 'Chào', en: 'Hello' }, photoFileId: null, button: null };
    expect(s.render(both, 'en').map(shown)).toEqual(['Hello']);
    expect(s.render(both, 'vi').map(shown)).toEqual(['Chào']);
    expect(s.render({ ...both, texts: { vi: 'Chào' } }, 'en').map(shown)).toEqual(['Chào']);
    expect(s.render({ ...both, texts: { en: 'Hello' } }, 'vi').map(shown)).toEqual(['Hello']);
    expect(s.render({ ...both, photoFileId: 'f1' }, 'vi').map(shown)).toEqual(['(photo stored:f1) Chào']);
    const long = 'a'.repeat(1100);
    expect(s.render({ ...both, texts: { vi: long }, photoFileId: 'f1' }, 'vi').map(shown)).toEqual([
      '(photo stored:f1)',
      long,
    ]);
    expect(s.render({ ...both, button: { target: 'courseRegister', courseId: 3 } }, 'vi').map(shown)).toEqual([
      'Chào [Đăng ký lớp này=!bcTap:7]',
    ]);
    expect(s.render({ ...both, button: { target: 'credit' } }, 'en').map(shown)).toEqual([
      'Hello [Check if I can borrow=!bcTap:7]',
    ]);
    const withPhoto = s.render({ ...both, photoFileId: 'f1', button: { target: 'courses' } }, 'vi').map(shown);
    expect(withPhoto).toEqual([
      '(photo stored:f1) Chào',
      'Bấm nút dưới đây nếu chị quan tâm: [Xem các lớp học=!bcTap:7]',
    ]);
  });
});

describe('composing', () => {
  it('refuses non-admins and what breaks the rules', async () => {
    const hoa = await person('Hoa', 'admin');
    const lan = await person('Lan');
    expect(await service().validate(lan, input())).toEqual({ ok: false, refusal: { reason: 'notAdmin' } });
    expect(await service().create(lan, input())).toEqual({ ok: false, refusal: { reason: 'notAdmin' } });
    const issue = async (over: Partial<BroadcastInput>) => {
      const r = await service().validate(hoa, input(over));
      return r.ok ? 'ok' : r.refusal.reason === 'invalid' ? `${r.refusal.field}:${r.refusal.issue}` : r.refusal.reason;
    };
    expect(await issue({})).toBe('ok');
    expect(await issue({ texts: {} })).toBe('texts:empty');
    expect(await issue({ texts: { vi: '  ' } })).toBe('texts:empty');
    expect(await issue({ texts: { vi: 'x'.repeat(2001) } })).toBe('texts:tooLong');
    expect(await issue({ texts: { vi: 'x'.repeat(2000) } })).toBe('ok');
    expect(await issue({ scheduledAt: new Date(clock.now().getTime() - HOUR) })).toBe('scheduledAt:past');
    expect(await issue({ expiresAt: new Date(clock.now().getTime() - HOUR) })).toBe('expiresAt:beforeStart');
    expect(await issue({ audience: { communes: ['99999'] } })).toBe('audience:unknownCommune');
    expect(await issue({ button: { target: 'courseRegister', courseId: 404 } })).toBe('button:unknownCourse');
    expect(await issue({ zaloOutsideWindow: 'promotion' })).toBe('promotionOff');
    expect(await issue({ audience: { communes: ['99999'] }, texts: {} })).toBe('texts:empty');
  });

  it('a photo must be her own stored file, and is kept by the broadcast (the purge of unkept photos leaves it)', async () => {
    const hoa = await person('Hoa', 'admin');
    const lan = await person('Lan');
    const file = (memberId: string, id: string) =>
      rt.files.records.create({
        id,
        memberId,
        key: `${memberId}/${id}.jpg`,
        sha256: '0'.repeat(64),
        mime: 'image/jpeg',
        bytes: 10,
        width: 1,
        height: 1,
      });
    await file(hoa.id, 'photoOfHoa');
    await file(lan.id, 'photoOfLan');
    expect(await service().validate(hoa, input({ photoFileId: 'photoOfLan' }))).toEqual({
      ok: false,
      refusal: { reason: 'invalid', field: 'photo', issue: 'unknown' },
    });
    expect(await service().validate(hoa, input({ photoFileId: 'nothing' }))).toMatchObject({ ok: false });
    const created = await service().create(hoa, input({ photoFileId: 'photoOfHoa' }));
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect((await rt.files.records.findById('photoOfHoa'))?.keptBy).toBe(`broadcast:${created.broadcast.id}`);
    expect((await rt.files.records.findById('photoOfLan'))?.keptBy).toBeNull();
  });

  it('an audience nobody is in is refused; the size per channel is shown before confirming', async () => {
    const hoa = await person('Hoa', 'admin');
    expect(await service().create(hoa, input({ audience: { languages: ['en'] } }))).toMatchObject({
      ok: false,
      refusal: { reason: 'invalid', field: 'audience', issue: 'noAudience' },
    });
    await person('Lan');
    await person('Mary', 'member', 'en');
    const size = await service().audienceSize(hoa, {});
    expect(size).toMatchObject({ ok: true, size: { total: 2, perChannel: { telegram: 2 }, optedOut: 0 } });
  });
});

describe('approval', () => {
  it('over the threshold: every other admin gets the preview and Approve / Reject; first decision wins', async () => {
    const hoa = await person('Hoa', 'admin');
    const mai = await person('Mai', 'admin', 'en');
    const tuan = await person('Tuấn', 'admin');
    await members(3);
    const created = await run(() => service().create(hoa, input({ button: { target: 'credit' } })));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const id = created.broadcast.id;
    expect(created.confirmation).toEqual({ kind: 'awaitingApproval', approvers: 2 });
    expect(created.broadcast.status).toBe('awaitingApproval');
    // Mai reads English: the preview exactly as an English-speaking member gets it, then the request.
    expect(await told(mai)).toEqual([
      `Loan review meeting Monday 8am. [Check if I can borrow=!bcTap:${id}]`,
      `Hoa wants to send announcement #${id} above to 3 members. An announcement to more than 2 members needs ` +
        `another admin's approval. Tap «Approve» to send it, or «Reject». [Approve=!bcApprove:${id} | Reject=!bcReject:${id}]`,
    ]);
    expect((await told(tuan))[1]).toContain(`Hoa muốn gửi thông báo #${id} ở trên tới 3 hội viên.`);
    expect(await told(hoa)).toEqual([]);
    // Her own approval is refused; a member's too.
    expect(await service().approve(hoa, id)).toEqual({ ok: false, refusal: { reason: 'ownApproval' } });
    expect(await service().approve(await person('Lan'), id)).toEqual({ ok: false, refusal: { reason: 'notAdmin' } });
    // Two admins at once: one wins.
    const [a, b] = await Promise.all([
      run(() => service().approve(mai, id)),
      run(() => service().reject(tuan, id, 'x')),
    ]);
    const winners = [a, b].filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loser = [a, b].find((r) => !r.ok);
    expect(loser).toMatchObject({ ok: false, refusal: { reason: 'wrongStatus' } });
    const composerSaw = await told(hoa);
    expect(composerSaw).toHaveLength(1);
    expect(composerSaw[0]).toMatch(
      a.ok
        ? `Mai đã duyệt thông báo #${id}. Thông báo bắt đầu được gửi.`
        : `Tuấn đã từ chối thông báo #${id}. Lý do: x`,
    );
    const audit = (await rt.audit.list({ subject: String(id) })).map((e) => e.action);
    expect(audit).toEqual(['broadcast.created', a.ok ? 'broadcast.approved' : 'broadcast.rejected']);
  });

  it('approved: the prepare job writes the deliveries and the broadcast is sending', async () => {
    const hoa = await person('Hoa', 'admin');
    const mai = await person('Mai', 'admin');
    await members(3);
    const created = await run(() => service().create(hoa, input()));
    if (!created.ok) throw new Error('not created');
    const approved = await run(() => service().approve(mai, created.broadcast.id));
    expect(approved).toMatchObject({ ok: true, confirmation: { kind: 'started' }, broadcast: { status: 'preparing' } });
    await rt.jobs.runDue();
    expect((await deliveries(created.broadcast.id)).map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: created.broadcast.id } })).status).toBe(
      'sending',
    );
  });

  it('a single admin: the rule is off and she is told so; under the threshold it starts at once', async () => {
    const hoa = await person('Hoa', 'admin');
    await members(3);
    const over = await run(() => service().create(hoa, input()));
    expect(over).toMatchObject({ ok: true, confirmation: { kind: 'startedSingleAdmin' } });
    const at = new Date(clock.now().getTime() + 2 * HOUR);
    const later = await run(() => service().create(hoa, input({ scheduledAt: at })));
    expect(later).toMatchObject({ ok: true, confirmation: { kind: 'scheduledSingleAdmin', at } });
    await person('Mai', 'admin');
    const under = await run(() => service().create(hoa, input({ audience: { communes: ['05758'] } })));
    expect(under).toMatchObject({ ok: false }); // nobody there
    const few = await run(() =>
      service().create(hoa, input({ audience: { course: undefined, languages: ['vi'], channels: ['telegram'] } })),
    );
    expect(few).toMatchObject({ ok: true, confirmation: { kind: 'awaitingApproval', approvers: 1 } });
    start({ approvalThreshold: 10 });
    const small = await run(() => service().create(hoa, input()));
    expect(small).toMatchObject({ ok: true, confirmation: { kind: 'started' }, broadcast: { status: 'preparing' } });
  });
});

describe('schedule, tick, cancel, reports', () => {
  it('a scheduled broadcast does not start before its time, and starts after it', async () => {
    const hoa = await person('Hoa', 'admin');
    await members(2);
    const at = new Date(clock.now().getTime() + HOUR);
    const created = await run(() => service().create(hoa, input({ scheduledAt: at })));
    if (!created.ok) throw new Error('not created');
    expect(created.broadcast).toMatchObject({ status: 'scheduled', scheduledAt: at });
    expect(created.broadcast.expiresAt).toEqual(new Date(at.getTime() + 7 * 24 * HOUR));
    clock.advance(HOUR - MINUTE * 2);
    await service().tick();
    expect((await rt.features.broadcasts.service.list(hoa, { limit: 5 })).ok).toBe(true);
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: created.broadcast.id } })).status).toBe(
      'scheduled',
    );
    clock.advance(2 * MINUTE);
    await service().tick();
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: created.broadcast.id } })).status).toBe(
      'preparing',
    );
    await rt.jobs.runDue();
    expect(await deliveries(created.broadcast.id)).toHaveLength(2);
  });

  it('prepares in batches, resumes after an interruption without duplicates; cancel mid-way; the reports', async () => {
    start({ approvalThreshold: 5000, batchSize: 500 });
    const hoa = await person('Hoa', 'admin');
    await members(1234);
    const created = await run(() => service().create(hoa, input()));
    if (!created.ok) throw new Error('not created');
    const id = created.broadcast.id;
    // One batch, then the run "dies"; the job runs again from the stored cursor.
    expect(await service().prepareNext(id)).toBe(true);
    expect(await deliveries(id)).toHaveLength(500);
    await rt.jobs.runDue();
    const rows = await deliveries(id);
    expect(rows).toHaveLength(1234);
    expect(new Set(rows.map((r) => r.memberId)).size).toBe(1234);
    // The dispatcher sent 1000 over 5 minutes; 10 failed, 3 in flight when a dispatcher died.
    const sentAt = new Date(clock.now().getTime() + 5 * MINUTE);
    const ids = rows.map((r) => r.id);
    await db.prisma.broadcastDelivery.updateMany({
      where: { id: { in: ids.slice(0, 1000) } },
      data: { status: 'sent', sentAt },
    });
    await db.prisma.broadcastDelivery.updateMany({
      where: { id: { in: ids.slice(1000, 1010) } },
      data: { status: 'failed', reason: '500' },
    });
    await db.prisma.broadcastDelivery.updateMany({
      where: { id: { in: ids.slice(1010, 1013) } },
      data: { status: 'sent', sentAt, uncertain: true },
    });
    clock.advance(10 * MINUTE);
    await service().tick();
    const progress = await told(hoa);
    expect(progress).toEqual([
      `Thông báo #${id}: đã gửi 1.003 / 1.234 · còn chờ 221 · lỗi 10 · không liên lạc được 0 · chưa tới được lúc này ` +
        `(Zalo) 0 · đã tắt thông báo 0 · tốc độ 201/phút · còn khoảng 2 phút [Dừng gửi=!bcCancel:${id}]`,
    ]);
    // Not again before BROADCAST_PROGRESS_MINUTES.
    clock.advance(MINUTE);
    await service().tick();
    expect(await told(hoa)).toHaveLength(1);
    // Cancelled mid-way: the pending ones become cancelled, counted; no final "sent" report.
    const cancelled = await run(() => service().cancel(hoa, id));
    expect(cancelled).toMatchObject({ ok: true, broadcast: { status: 'cancelled' } });
    await service().tick();
    const p = await service().progress(hoa, id);
    if (!p.ok) throw new Error('no progress');
    expect(p.progress.counts.byStatus).toMatchObject({ sent: 1003, failed: 10, cancelled: 221, pending: 0 });
    expect(p.progress.counts.uncertain).toBe(3);
    expect(await service().cancel(hoa, id)).toEqual({
      ok: false,
      refusal: { reason: 'wrongStatus', status: 'cancelled' },
    });
    const failures = await service().failures(hoa, id, null, 5);
    if (!failures.ok) throw new Error('no failures');
    expect(failures.items).toHaveLength(5);
    expect(failures.items[0]).toMatchObject({ channel: 'telegram', status: 'failed', reason: '500', uncertain: false });
    expect((await rt.audit.list({ subject: String(id) })).map((e) => e.action)).toEqual([
      'broadcast.created',
      'broadcast.cancelled',
    ]);
  });

  it('a sending broadcast with nothing left is done and the composer gets the final report', async () => {
    const hoa = await person('Hoa', 'admin');
    await members(5);
    const created = await run(() => service().create(hoa, input({ button: { target: 'courses' } })));
    if (!created.ok) throw new Error('not created');
    const id = created.broadcast.id;
    await rt.jobs.runDue();
    const rows = await deliveries(id);
    await db.prisma.broadcastDelivery.updateMany({
      where: { id: rows[0]!.id },
      data: { status: 'sent', sentAt: clock.now() },
    });
    await db.prisma.broadcastDelivery.updateMany({
      where: { id: { in: [rows[1]!.id, rows[2]!.id] } },
      data: { status: 'unreachable', reason: '403' },
    });
    await db.prisma.broadcastDelivery.updateMany({
      where: { id: rows[3]!.id },
      data: { status: 'notNow', reason: 'window' },
    });
    await service().tick();
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id } })).status).toBe('sending');
    await db.prisma.broadcastDelivery.updateMany({ where: { id: rows[4]!.id }, data: { status: 'shown' } });
    await db.prisma.broadcast.update({ where: { id }, data: { taps: 2 } });
    await service().tick();
    expect(await db.prisma.broadcast.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'done' });
    expect(await told(hoa)).toEqual([
      `Thông báo #${id} đã gửi xong.\nNgười nhận: 5\nĐã gửi: 1 (tin truyền thông Zalo: 0)\nĐã xem khi nhắn tin tới: 1\n` +
        `Lỗi: 0\nKhông liên lạc được: 2\nChưa tới được lúc này (Zalo): 1\nĐã tắt thông báo: 0\nĐã dừng gửi: 0\n` +
        `Không chắc đã tới (đang gửi khi máy dừng, đã gửi lại một lần): 0\nLượt bấm nút: 2`,
      'Lý do lỗi hay gặp nhất: 403 (2), window (1)',
      `Danh sách lỗi (CSV): npm run admin -- broadcasts failures ${id}`,
    ]);
    // Only once.
    await service().tick();
    expect(await told(hoa)).toHaveLength(3);
  });
});
