// The console's Broadcasts section (issue 16) through the pages as the plumbing calls them (test/web/context.ts), on
// the real runtime and a fresh database: admins only; the live audience size (JSON) as the service counts it; a
// preview stores nothing; sending stores the broadcast with its audience and starts it; scheduling in Vietnam time;
// a past time is refused; over the approval threshold the author cannot approve her own and a second admin can; the
// progress JSON, the report and the failures CSV (the CLI's columns, member ids only) once it has been sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentRepository } from '../../src/data/consentRepository.ts';
import type { Member } from '../../src/domain/member.ts';
import { TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { seedMembers } from '../helpers/dispatchSeed.ts';
import { text, webHarness, type WebHarness } from './context.ts';

// 10:00 on Monday 7 December 2026 in Vietnam (inside the sending hours 07:00–21:00).
const clock = new TestClock(new Date('2026-12-07T03:00:00Z'));
let db: FreshDatabase;
let web: WebHarness;
let lan: Member;
let hoa: Member;
let officer: Member;
const ids: string[] = [];

async function person(userId: string, communeCode: string, language: 'vi' | 'en' = 'vi'): Promise<string> {
  const m = await db.prisma.member.create({
    data: {
      channel: 'telegram',
      channelUserId: userId,
      displayName: `Hội viên ${userId}`,
      phone: '+84912345678',
      language,
      communeCode,
      consentAt: clock.now(),
      lastInboundAt: clock.now(),
    },
  });
  await createConsentRepository(db.prisma).give(m.id, 'announcements', clock.now());
  return m.id;
}

const redirectOf = (r: Awaited<ReturnType<WebHarness['call']>>) => {
  if (r.kind !== 'redirect') throw new Error(`expected a redirect, got ${r.kind}: ${text(r).slice(0, 300)}`);
  return r;
};

beforeAll(async () => {
  db = await freshDatabase();
  web = webHarness(db.prisma, clock);
  lan = await web.staff('admin', ['*'], 'Chị Lan');
  hoa = await web.staff('admin', ['*'], 'Chị Hoa');
  officer = await web.staff('officer', ['05443'], 'Chị Mai');
  ids.push(await person('u1', '05443'), await person('u2', '05443', 'en'), await person('u3', '05710'));
});

afterAll(async () => {
  await db.close();
});

describe('Broadcasts pages', () => {
  it('are for admins only, and the empty list says so', async () => {
    expect((await web.call(officer, 'GET', '/console/broadcasts')).kind).toBe('forbidden');
    expect((await web.call(officer, 'GET', '/console/broadcasts/new')).kind).toBe('forbidden');
    const page = await web.call(lan, 'GET', '/console/broadcasts');
    expect(page.kind).toBe('page');
    expect(text(page)).toContain('Chưa có đợt thông báo nào.');
    expect(text(page)).toContain('href="/console/broadcasts/new"');
  });

  it('offers the communes, channels and a live audience size counted by the service', async () => {
    const form = await web.call(lan, 'GET', '/console/broadcasts/new');
    const body = text(form);
    expect(body).toContain('Phường Phan Đình Phùng');
    expect(body).toContain('name="commune" value="05443"');
    expect(body).toContain('Zalo OA');
    expect(body).toContain('src="/console/assets/broadcasts.js"');
    expect(body).toContain('name="_csrf"');

    const json = await web.call(lan, 'GET', '/console/broadcasts/audience?commune=05443');
    expect(json).toEqual({ kind: 'json', body: expect.objectContaining({ ok: true, total: 2 }) });
    expect(text(json)).toContain('Số người nhận: 2');
    const all = await web.call(lan, 'GET', '/console/broadcasts/audience');
    expect(all).toEqual({ kind: 'json', body: expect.objectContaining({ total: 3 }) });
    const english = await web.call(lan, 'GET', '/console/broadcasts/audience?commune=05443&language=en');
    expect(english).toEqual({ kind: 'json', body: expect.objectContaining({ total: 1 }) });
    const unknown = await web.call(lan, 'GET', '/console/broadcasts/audience?commune=99999');
    expect(text(unknown)).toContain('Em không tìm thấy xã/phường này ạ.');

    const inEnglish = text(await web.call(lan, 'GET', '/console/broadcasts/new', { language: 'en' }));
    expect(inEnglish).toContain('Count recipients');
    expect(inEnglish).toContain('Date and time (Vietnam time)');

    // Without the script: the count button posts the form and the page shows the size.
    const counted = await web.call(lan, 'POST', '/console/broadcasts/new', {
      form: { intent: 'count', commune: '05443', textVi: 'Xin chào' },
    });
    expect(text(counted)).toContain('Số người nhận: 2');
    expect(text(counted)).toContain('Xin chào');
  });

  it('previews what members get in each language, storing nothing', async () => {
    const preview = await web.call(lan, 'POST', '/console/broadcasts/new', {
      form: {
        intent: 'preview',
        textVi: 'Họp hội viên <b>thứ Bảy</b>',
        textEn: 'Members meet on Saturday',
        button: 'courses',
      },
    });
    const body = text(preview);
    expect(body).toContain('Hội viên dùng Tiếng Việt nhận:');
    expect(body).toContain('Họp hội viên &lt;b&gt;thứ Bảy&lt;/b&gt;');
    expect(body).toContain('Members meet on Saturday');
    expect(await db.prisma.broadcast.count()).toBe(0);
  });

  it('refuses an empty text and a past time in words', async () => {
    const empty = await web.call(lan, 'POST', '/console/broadcasts/new', { form: { intent: 'send', textVi: '  ' } });
    expect(empty.kind === 'page' && empty.status).toBe(400);
    expect(text(empty)).toContain('Thông báo cần có nội dung ạ.');
    const past = await web.call(lan, 'POST', '/console/broadcasts/new', {
      form: { intent: 'send', textVi: 'Chào', when: 'later', at: '2026-12-06T08:00' },
    });
    expect(text(past)).toContain('Thời gian này đã qua');
    expect(await db.prisma.broadcast.count()).toBe(0);
  });

  let sentId = 0;
  it('sends to a commune: stored with its audience, started, and its page says so', async () => {
    const result = redirectOf(
      await web.call(lan, 'POST', '/console/broadcasts/new', {
        form: { intent: 'send', textVi: 'Tập huấn phòng chống bão', commune: '05443', when: 'now' },
      }),
    );
    const stored = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    sentId = stored.id;
    expect(result.to).toBe(`/console/broadcasts/${stored.id}`);
    expect(result.flash?.text).toContain(`Đã bắt đầu gửi đợt thông báo #${stored.id}`);
    expect(stored.status).toBe('preparing');
    expect(stored.audience).toEqual({ communes: ['05443'] });
    expect(stored.createdById).toBe(lan.id);
    expect(await db.prisma.auditLog.count({ where: { action: 'web.broadcast.create' } })).toBe(1);

    const list = text(await web.call(lan, 'GET', '/console/broadcasts'));
    expect(list).toContain('Tập huấn phòng chống bão');
    expect(list).toContain('Đang chuẩn bị');
  });

  it('schedules in Vietnam time', async () => {
    redirectOf(
      await web.call(lan, 'POST', '/console/broadcasts/new', {
        form: { intent: 'send', textVi: 'Hẹn giờ', commune: '05710', when: 'later', at: '2026-12-08T08:00' },
      }),
    );
    const stored = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(stored.status).toBe('scheduled');
    expect(stored.scheduledAt?.toISOString()).toBe('2026-12-08T01:00:00.000Z');
    const page = text(await web.call(lan, 'GET', `/console/broadcasts/${stored.id}`));
    expect(page).toContain('Đã hẹn giờ');
    expect(page).toContain('8/12/2026');
  });

  it('over the threshold: the author cannot approve her own, a second admin approves', async () => {
    await seedMembers(
      db.prisma,
      Array.from({ length: 500 }, (_, i) => ({ channelUserId: `bulk-${i}` })),
      clock.now(),
    );
    redirectOf(
      await web.call(lan, 'POST', '/console/broadcasts/new', { form: { intent: 'send', textVi: 'Cho mọi người' } }),
    );
    const stored = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(stored.status).toBe('awaitingApproval');

    const own = text(await web.call(lan, 'GET', `/console/broadcasts/${stored.id}`));
    expect(own).toContain('Người soạn không tự duyệt được.');
    expect(own).not.toContain(`/console/broadcasts/${stored.id}/approve`);
    const refused = redirectOf(await web.call(lan, 'POST', `/console/broadcasts/${stored.id}/approve`));
    expect(refused.flash).toEqual({
      tone: 'error',
      text: 'Thông báo do chị/anh soạn cần một quản trị viên khác duyệt ạ.',
    });
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('awaitingApproval');

    const other = text(await web.call(hoa, 'GET', `/console/broadcasts/${stored.id}`));
    expect(other).toContain('Chị Lan soạn đợt thông báo này');
    expect(other).toContain(`action="/console/broadcasts/${stored.id}/approve"`);
    const approved = redirectOf(await web.call(hoa, 'POST', `/console/broadcasts/${stored.id}/approve`));
    expect(approved.flash?.text).toContain(`Đã duyệt đợt thông báo #${stored.id}`);
    const after = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: stored.id } });
    expect(after.status).toBe('preparing');
    expect(after.approvedById).toBe(hoa.id);
    // Stopped again so it does not get in the way of the next test.
    redirectOf(await web.call(hoa, 'POST', `/console/broadcasts/${stored.id}/cancel`));
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('cancelled');
  });

  it('a second admin can reject with a note', async () => {
    redirectOf(await web.call(hoa, 'POST', '/console/broadcasts/new', { form: { intent: 'send', textVi: 'Lần hai' } }));
    const stored = await db.prisma.broadcast.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(stored.status).toBe('awaitingApproval');
    const rejected = redirectOf(
      await web.call(lan, 'POST', `/console/broadcasts/${stored.id}/reject`, { form: { note: 'Trùng nội dung' } }),
    );
    expect(rejected.flash?.tone).toBe('ok');
    const page = text(await web.call(hoa, 'GET', `/console/broadcasts/${stored.id}`));
    expect(page).toContain('Bị từ chối');
    expect(page).toContain('Trùng nội dung');
  });

  it('shows progress, the report and the failures CSV once sent', async () => {
    const service = web.runtime.features.broadcasts.service;
    while (await service.prepareNext(sentId)) {
      // next batch
    }
    const deliveries = await db.prisma.broadcastDelivery.findMany({ where: { broadcastId: sentId } });
    expect(deliveries.map((d) => d.memberId).sort()).toEqual([ids[0], ids[1]].sort());

    const running = await web.call(lan, 'GET', `/console/broadcasts/${sentId}/progress`);
    expect(running).toEqual({
      kind: 'json',
      body: expect.objectContaining({ status: 'sending', total: 2, ended: 0, final: false }),
    });
    const live = text(await web.call(lan, 'GET', `/console/broadcasts/${sentId}`));
    expect(live).toContain('<progress');
    expect(live).toContain(`data-progress-url="/console/broadcasts/${sentId}/progress"`);

    await db.prisma.broadcastDelivery.update({
      where: { id: deliveries.find((d) => d.memberId === ids[0])!.id },
      data: { status: 'sent', sentAt: clock.now(), attempts: 1 },
    });
    await db.prisma.broadcastDelivery.update({
      where: { id: deliveries.find((d) => d.memberId === ids[1])!.id },
      data: { status: 'unreachable', reason: '403', attempts: 1 },
    });
    await service.tick();
    const done = await web.call(lan, 'GET', `/console/broadcasts/${sentId}/progress`);
    expect(done).toEqual({
      kind: 'json',
      body: expect.objectContaining({ status: 'done', total: 2, ended: 2, final: true }),
    });
    expect(text(done)).toContain('Đã gửi 1 · Không tới 1 · Đang chờ 0');

    const report = text(await web.call(lan, 'GET', `/console/broadcasts/${sentId}`));
    expect(report).toContain('Đã gửi xong');
    expect(report).toContain('Đã chặn bot/bỏ quan tâm');
    expect(report).toContain('403');
    expect(report).toContain(`/console/broadcasts/${sentId}/failures.csv`);

    const csv = await web.call(lan, 'GET', `/console/broadcasts/${sentId}/failures.csv`);
    expect(csv.kind === 'file' && csv.filename).toBe(`broadcast-${sentId}-failures.csv`);
    const lines = text(csv)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('member id,channel,status,reason,attempts,uncertain,time');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${ids[1]!},telegram,unreachable,403,1,no,`));
    expect(text(csv)).not.toContain('+84912345678');
    expect(text(csv)).not.toContain('Hội viên');
  });

  it('answers an unknown broadcast as not found', async () => {
    expect((await web.call(lan, 'GET', '/console/broadcasts/999999')).kind).toBe('notFound');
    expect((await web.call(lan, 'GET', '/console/broadcasts/abc')).kind).toBe('notFound');
    expect((await web.call(lan, 'POST', '/console/broadcasts/999999/approve')).kind).toBe('notFound');
  });
});
