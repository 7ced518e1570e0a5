// The console's Cases section (issue 16), called as the plumbing would (test/web/context.ts): the inbox filtered by
// the officer's areas and the filters, claiming (first claim wins), replying (stored on the case and queued to the
// member through the outbox), closing with a note (the member is told), approving and rejecting, another commune's
// case refused, and every view of the member's phone audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseType } from '../../src/domain/cases.ts';
import type { Member } from '../../src/domain/member.ts';
import { HOUR } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { text, webHarness, type WebHarness } from './context.ts';

const DAN_TIEN = '05755';
const PHAN_DINH_PHUNG = '05443';

let db: FreshDatabase;
let web: WebHarness;
beforeEach(async () => {
  db = await freshDatabase();
  web = webHarness(db.prisma);
});
afterEach(() => db.close());

let people = 0;
async function memberIn(commune: string, name: string, phone: string | null = '+84912345678'): Promise<Member> {
  const created = await web.runtime.members.create({
    channel: 'telegram',
    channelUserId: `member-${++people}`,
    language: 'vi',
  });
  return web.runtime.members.update(created.id, {
    displayName: name,
    communeCode: commune,
    consentAt: web.clock.now(),
    ...(phone ? { phone } : {}),
  });
}

async function openCase(member: Member, type: CaseType = 'talk', details: Record<string, string> = {}) {
  const { case: c } = await web.runtime.features.caseService.open(member, type, details);
  return c.id;
}

/** The texts queued for a member through the outbox (rendered messages of her notification rows). */
async function queuedFor(member: Member): Promise<string> {
  const rows = await db.prisma.notification.findMany({
    where: { recipientId: member.id },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => JSON.stringify(r.messages)).join('\n');
}

async function audited(action: string): Promise<{ actor: string | null; subject: string | null }[]> {
  const rows = await db.prisma.auditLog.findMany({ where: { action }, orderBy: { at: 'asc' } });
  return rows.map((r) => ({ actor: r.actor, subject: r.subject }));
}

describe('the cases inbox', () => {
  it("shows an officer only her communes' cases, with filters, counts and no phone", async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const admin = await web.staff('admin', ['*'], 'Quản trị');
    const lan = await memberIn(DAN_TIEN, 'Lan', '+84911222333');
    const far = await memberIn(PHAN_DINH_PHUNG, 'Xa');
    const old = await openCase(lan, 'talk', { topic: 'vay vốn' });
    web.clock.advance(26 * HOUR);
    const recent = await openCase(lan, 'credit_lead', { purpose: 'nuôi gà' });
    const elsewhere = await openCase(far, 'talk', { topic: 'chỗ khác' });
    web.clock.advance(3 * HOUR);

    const page = text(await web.call(hoa, 'GET', '/console/cases'));
    expect(page).toContain(`href="/console/cases/${old}"`);
    expect(page).toContain(`href="/console/cases/${recent}"`);
    expect(page).not.toContain(`href="/console/cases/${elsewhere}"`);
    expect(page).toContain('Muốn trao đổi với cán bộ');
    expect(page).toContain('Hỏi vay vốn');
    expect(page).toContain('3 giờ trước');
    expect(page).toContain('1 ngày trước');
    expect(page).toContain('Chưa xong (2)');
    expect(page).toContain('2 yêu cầu');
    expect(page).not.toContain('0911');
    expect(page).not.toContain('Lan');
    // Newest first by default, oldest first on request.
    expect(page.indexOf(`/console/cases/${recent}"`)).toBeLessThan(page.indexOf(`/console/cases/${old}"`));
    const oldest = text(await web.call(hoa, 'GET', '/console/cases?order=oldest'));
    expect(oldest.indexOf(`/console/cases/${old}"`)).toBeLessThan(oldest.indexOf(`/console/cases/${recent}"`));

    // Age: older than 1 day leaves the recent one out; type: only credit leads.
    const aged = text(await web.call(hoa, 'GET', '/console/cases?age=1d'));
    expect(aged).toContain(`/console/cases/${old}"`);
    expect(aged).not.toContain(`/console/cases/${recent}"`);
    const typed = text(await web.call(hoa, 'GET', '/console/cases?type=credit_lead'));
    expect(typed).toContain(`/console/cases/${recent}"`);
    expect(typed).not.toContain(`/console/cases/${old}"`);
    // Another commune asked by URL: nothing of it (her own list is not widened either).
    const forged = text(await web.call(hoa, 'GET', `/console/cases?commune=${PHAN_DINH_PHUNG}`));
    expect(forged).not.toContain(`/console/cases/${elsewhere}"`);

    // Status: mine after she claims one; closed after it is closed.
    await web.call(hoa, 'POST', `/console/cases/${old}/claim`);
    const mine = text(await web.call(hoa, 'GET', '/console/cases?status=mine'));
    expect(mine).toContain(`/console/cases/${old}"`);
    expect(mine).not.toContain(`/console/cases/${recent}"`);
    expect(mine).toContain('Hoa');
    expect(mine).toContain('Chị đang xử lý (1)');
    await web.call(hoa, 'POST', `/console/cases/${old}/close`, { form: { status: 'done', note: '' } });
    const closed = text(await web.call(hoa, 'GET', '/console/cases?status=closed'));
    expect(closed).toContain(`/console/cases/${old}"`);
    expect(closed).toContain('đã xong');

    // An admin sees every commune, and may pick one; bad query values fall back to the defaults.
    const all = text(await web.call(admin, 'GET', '/console/cases?status=all'));
    expect(all).toContain(`/console/cases/${elsewhere}"`);
    expect(all).toContain('Phường Phan Đình Phùng (1)');
    const picked = text(await web.call(admin, 'GET', `/console/cases?status=all&commune=${PHAN_DINH_PHUNG}`));
    expect(picked).toContain(`/console/cases/${elsewhere}"`);
    expect(picked).not.toContain(`/console/cases/${recent}"`);
    const junk = await web.call(admin, 'GET', '/console/cases?status=<x>&type=zzz&age=9y&page=-4&order=%00');
    expect(junk.kind).toBe('page');
    expect(text(junk)).toContain(`/console/cases/${elsewhere}"`);
  });

  it('offers an officer of several communes only hers in the commune filter, with counts', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN, PHAN_DINH_PHUNG], 'Hoa');
    const here = await openCase(await memberIn(DAN_TIEN, 'Lan'));
    const there = await openCase(await memberIn(PHAN_DINH_PHUNG, 'Mai'));
    await openCase(await memberIn('05710', 'Ngoài địa bàn'));
    const page = text(await web.call(hoa, 'GET', '/console/cases'));
    expect(page).toContain('name="commune"');
    expect(page).toContain('Phường Phan Đình Phùng (1)');
    expect(page).toMatch(/Dân Tiến \(1\)/);
    expect(page.match(/<option value="0/g)).toHaveLength(2);
    const one = text(await web.call(hoa, 'GET', `/console/cases?commune=${DAN_TIEN}`));
    expect(one).toContain(`/console/cases/${here}"`);
    expect(one).not.toContain(`/console/cases/${there}"`);
  });

  it('pages through many cases', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const lan = await memberIn(DAN_TIEN, 'Lan');
    const ids: number[] = [];
    for (let i = 0; i < 27; i++) ids.push(await openCase(lan, 'talk', { topic: `việc ${i}` }));
    const first = text(await web.call(hoa, 'GET', '/console/cases?order=oldest'));
    expect(first).toContain(`/console/cases/${ids[24]!}"`);
    expect(first).not.toContain(`/console/cases/${ids[25]!}"`);
    expect(first).toContain('1 / 2');
    expect(first).toContain('order=oldest');
    const second = text(await web.call(hoa, 'GET', '/console/cases?order=oldest&page=2'));
    expect(second).toContain(`/console/cases/${ids[26]!}"`);
    expect(second).not.toContain(`/console/cases/${ids[0]!}"`);
  });

  it('tells an officer without areas why her inbox is empty; a plain member is refused', async () => {
    const none = await web.staff('officer', [], 'Không địa bàn');
    expect(text(await web.call(none, 'GET', '/console/cases'))).toContain('chưa được giao địa bàn');
    const lan = await memberIn(DAN_TIEN, 'Lan');
    expect((await web.call(lan, 'GET', '/console/cases')).kind).toBe('forbidden');
  });
});

describe('a case', () => {
  it('claim race: the first officer wins, the second is told who has it', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const mai = await web.staff('officer', [DAN_TIEN], 'Mai');
    const id = await openCase(await memberIn(DAN_TIEN, 'Lan'));

    const [a, b] = await Promise.all([
      web.call(hoa, 'POST', `/console/cases/${id}/claim`),
      web.call(mai, 'POST', `/console/cases/${id}/claim`),
    ]);
    const results = [a, b];
    const won = results.filter((r) => r.kind === 'redirect' && r.flash?.tone === 'ok');
    const lost = results.filter((r) => r.kind === 'redirect' && r.flash?.tone === 'error');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({
      to: `/console/cases/${id}`,
      flash: { text: expect.stringMatching(/đã có (Hoa|Mai) nhận xử lý/) },
    });
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('claimed');
    expect(await audited('web.case.claim')).toEqual([{ actor: row.claimedById, subject: String(id) }]);
  });

  it('shows the member, her phone only to whoever holds it, the conversation, and audits each view', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const mai = await web.staff('officer', [DAN_TIEN], 'Mai');
    const lan = await memberIn(DAN_TIEN, 'Lan', '+84911222333');
    const id = await openCase(lan, 'talk', { topic: 'muốn học may' });
    await web.runtime.features.caseRelay.fromMember(lan, id, 'Em ở xóm <b>Đồng</b>');

    const before = text(await web.call(hoa, 'GET', `/console/cases/${id}`));
    expect(before).toContain('Yêu cầu #' + id);
    expect(before).toContain('muốn học may');
    expect(before).toContain('Lan');
    expect(before).toContain('Em ở xóm &lt;b&gt;Đồng&lt;/b&gt;');
    expect(before).not.toContain('0911');
    expect(before).toContain('Nhận xử lý');
    expect(before).not.toContain('name="message"');
    expect(await audited('web.case.contact')).toEqual([]);
    expect(await audited('web.case.view')).toHaveLength(1);

    await web.call(hoa, 'POST', `/console/cases/${id}/claim`);
    const mineNow = text(await web.call(hoa, 'GET', `/console/cases/${id}`));
    expect(mineNow).toContain('0911 222 333');
    expect(mineNow).toContain('name="message"');
    expect(mineNow).toContain('name="_csrf" value="test-csrf-token"');
    expect(await audited('web.case.contact')).toEqual([{ actor: hoa.id, subject: String(id) }]);

    const other = text(await web.call(mai, 'GET', `/console/cases/${id}`));
    expect(other).not.toContain('0911');
    expect(other).toContain('Yêu cầu đang do Hoa xử lý.');
    expect(other).not.toContain('name="message"');
    expect(other).not.toContain('/claim');
  });

  it('relays a reply to the member through the outbox, and shows it in the conversation', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const lan = await memberIn(DAN_TIEN, 'Lan');
    const id = await openCase(lan);

    // Before claiming: refused with the chat's words, nothing stored or sent.
    const early = await web.call(hoa, 'POST', `/console/cases/${id}/reply`, { form: { message: 'Chào chị' } });
    expect(early).toMatchObject({
      kind: 'redirect',
      flash: { tone: 'error', text: expect.stringContaining('cần nhận xử lý') },
    });
    expect(await db.prisma.caseMessage.count()).toBe(0);

    await web.call(hoa, 'POST', `/console/cases/${id}/claim`);
    const empty = await web.call(hoa, 'POST', `/console/cases/${id}/reply`, { form: { message: '   ' } });
    expect(empty).toMatchObject({ flash: { tone: 'error', text: 'Chị chưa nhập tin nhắn.' } });
    const long = await web.call(hoa, 'POST', `/console/cases/${id}/reply`, { form: { message: 'a'.repeat(1001) } });
    expect(long).toMatchObject({ flash: { tone: 'error' } });

    const sent = await web.call(hoa, 'POST', `/console/cases/${id}/reply`, {
      form: { message: 'Chiều mai chị qua nhà văn hoá nhé.' },
    });
    expect(sent).toMatchObject({ kind: 'redirect', to: `/console/cases/${id}`, flash: { tone: 'ok' } });
    expect(await db.prisma.caseMessage.findMany({ where: { caseId: id } })).toMatchObject([
      { author: 'officer', authorId: hoa.id, text: 'Chiều mai chị qua nhà văn hoá nhé.' },
    ]);
    const queued = await db.prisma.notification.findMany({ where: { recipientId: lan.id, kind: 'relay' } });
    expect(queued).toHaveLength(1);
    expect(JSON.stringify(queued[0]!.messages)).toContain('Chiều mai chị qua nhà văn hoá nhé.');
    expect(JSON.stringify(queued[0]!.messages)).toContain('Hoa');
    expect(await audited('web.case.reply')).toEqual([{ actor: hoa.id, subject: String(id) }]);

    const page = text(await web.call(hoa, 'GET', `/console/cases/${id}`));
    expect(page).toContain('Chiều mai chị qua nhà văn hoá nhé.');
    expect(page).toMatch(/class="officer"/);
  });

  it('closes with a note the member reads; a closed case refuses more', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const lan = await memberIn(DAN_TIEN, 'Lan');
    const id = await openCase(lan);
    await web.call(hoa, 'POST', `/console/cases/${id}/claim`);
    const closed = await web.call(hoa, 'POST', `/console/cases/${id}/close`, {
      form: { status: 'done', note: 'Đã hẹn gặp thứ Hai.' },
    });
    expect(closed).toMatchObject({ flash: { tone: 'ok', text: `Đã đóng yêu cầu #${id}. Hội viên đã được báo.` } });
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'done',
      note: 'Đã hẹn gặp thứ Hai.',
    });
    expect(await queuedFor(lan)).toContain('Ghi chú của cán bộ: Đã hẹn gặp thứ Hai.');
    expect(await audited('web.case.close')).toEqual([{ actor: hoa.id, subject: String(id) }]);

    const again = await web.call(hoa, 'POST', `/console/cases/${id}/close`, { form: { status: 'done' } });
    expect(again).toMatchObject({ flash: { tone: 'error', text: `Yêu cầu #${id} đã được xử lý xong.` } });
    const reply = await web.call(hoa, 'POST', `/console/cases/${id}/reply`, { form: { message: 'thêm' } });
    expect(reply).toMatchObject({ flash: { tone: 'error' } });
    const page = text(await web.call(hoa, 'GET', `/console/cases/${id}`));
    expect(page).toContain('Yêu cầu đã đóng.');
    expect(page).toContain('Đã hẹn gặp thứ Hai.');
    expect(page).not.toContain('/close"');
  });

  it('approves and rejects the types decided here (a reason required), and refuses the wrong decision', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const lan = await memberIn(DAN_TIEN, 'Lan');
    const talk = await openCase(lan);
    const yes = await openCase(lan, 'course_registration');
    const no = await openCase(lan, 'course_registration');

    const talkPage = text(await web.call(hoa, 'GET', `/console/cases/${talk}`));
    expect(talkPage).toContain('value="done"');
    expect(talkPage).not.toContain('value="approved"');
    const wrong = await web.call(hoa, 'POST', `/console/cases/${talk}/close`, { form: { status: 'approved' } });
    expect(wrong).toMatchObject({ flash: { tone: 'error' } });
    const nonsense = await web.call(hoa, 'POST', `/console/cases/${talk}/close`, { form: { status: 'deleted' } });
    expect(nonsense).toMatchObject({ flash: { tone: 'error' } });

    const decidable = text(await web.call(hoa, 'GET', `/console/cases/${yes}`));
    expect(decidable).toContain('value="approved"');
    expect(decidable).toContain('value="rejected"');
    expect(decidable).not.toContain('value="done"');

    expect(await web.call(hoa, 'POST', `/console/cases/${yes}/close`, { form: { status: 'approved' } })).toMatchObject({
      flash: { tone: 'ok', text: `Đã duyệt yêu cầu #${yes}. Hội viên đã được báo.` },
    });
    expect(await queuedFor(lan)).toContain(`Yêu cầu #${yes} của chị đã được duyệt.`);

    const noReason = await web.call(hoa, 'POST', `/console/cases/${no}/close`, {
      form: { status: 'rejected', note: ' ' },
    });
    expect(noReason).toMatchObject({ flash: { tone: 'error', text: 'Chị cần ghi lý do từ chối.' } });
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: no } })).status).toBe('open');
    await web.call(hoa, 'POST', `/console/cases/${no}/close`, {
      form: { status: 'rejected', note: 'Lớp đã đủ người.' },
    });
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: no } })).toMatchObject({
      status: 'rejected',
      note: 'Lớp đã đủ người.',
    });
    expect(await queuedFor(lan)).toContain('Lý do: Lớp đã đủ người.');
  });

  it("refuses another commune's case by URL: not found, nothing shown, nothing changed", async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const far = await memberIn(PHAN_DINH_PHUNG, 'Người xa', '+84988777666');
    const id = await openCase(far, 'talk', { topic: 'bí mật' });

    expect(await web.call(hoa, 'GET', `/console/cases/${id}`)).toEqual({ kind: 'notFound' });
    expect(await web.call(hoa, 'POST', `/console/cases/${id}/claim`)).toEqual({ kind: 'notFound' });
    expect(await web.call(hoa, 'POST', `/console/cases/${id}/reply`, { form: { message: 'x' } })).toEqual({
      kind: 'notFound',
    });
    expect(await web.call(hoa, 'POST', `/console/cases/${id}/close`, { form: { status: 'done' } })).toEqual({
      kind: 'notFound',
    });
    expect(await web.call(hoa, 'GET', '/console/cases/999999')).toEqual({ kind: 'notFound' });
    expect(await web.call(hoa, 'GET', '/console/cases/12abc')).toEqual({ kind: 'notFound' });
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id } })).status).toBe('open');
    expect(await audited('web.case.view')).toEqual([]);

    // An admin may: she sees the phone, and that view is audited.
    const admin = await web.staff('admin', ['*'], 'Quản trị');
    const page = text(await web.call(admin, 'GET', `/console/cases/${id}`));
    expect(page).toContain('0988 777 666');
    expect(await audited('web.case.contact')).toEqual([{ actor: admin.id, subject: String(id) }]);
  });

  it('speaks English when asked', async () => {
    const hoa = await web.staff('officer', [DAN_TIEN], 'Hoa');
    const id = await openCase(await memberIn(DAN_TIEN, 'Lan'));
    expect(text(await web.call(hoa, 'GET', '/console/cases', { language: 'en' }))).toContain('Not done (1)');
    expect(text(await web.call(hoa, 'GET', `/console/cases/${id}`, { language: 'en' }))).toContain('Take it');
  });
});
