// The console's Members section through its pages (test/web/context.ts): search in the ways people type, the
// profile with consent and requests, erasure on request, officers and invitations. Admins only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import { hashInvitationCode } from '../../src/features/cases/invitations.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { text, webHarness, type WebHarness } from './context.ts';

let db: FreshDatabase;
let web: WebHarness;
let admin: Member;

beforeEach(async () => {
  db = await freshDatabase();
  web = webHarness(db.prisma);
  admin = await web.staff('admin', ['*'], 'Trần Quản Trị');
});
afterEach(async () => {
  await db.close();
});

let seq = 0;
async function member(displayName: string, phone: string | null, communeCode: string | null): Promise<Member> {
  const m = await web.runtime.members.create({ channel: 'telegram', channelUserId: `m-${++seq}`, language: 'vi' });
  return web.runtime.members.update(m.id, { displayName, phone, communeCode, consentAt: web.clock.now() });
}

async function page(path: string, viewer: Member = admin): Promise<string> {
  const result = await web.call(viewer, 'GET', path);
  expect(result.kind).toBe('page');
  return text(result);
}

/** The results part of the search page (the search box's hint shows an example number). */
const results = (html: string): string => html.slice(html.indexOf('aria-live'));

async function auditActions(): Promise<{ actor: string; action: string; subject: string | null }[]> {
  return web.runtime.db.auditLog.findMany({ select: { actor: true, action: true, subject: true } });
}

describe('member search', () => {
  it('finds her by name without accents, by a phone number typed any way, and by commune', async () => {
    const lan = await member('Nguyễn Thị Lan', '+84912345678', '05443');
    await member('Lê Thị Hoa', '+84987654321', '05710');

    const byName = await page('/console/members?q=nguyen%20thi%20LAN');
    expect(byName).toContain('Nguyễn Thị Lan');
    expect(byName).not.toContain('Lê Thị Hoa');
    expect(byName).toContain(`/console/members/${lan.id}`);
    // No phone in the list unless she was searched by it.
    expect(results(byName)).not.toContain('0912 345 678');

    for (const typed of ['0912 345 678', '+84 912 345 678', '84912345678', '091.234.5678', '(+84) 0912-345-678']) {
      const byPhone = await page(`/console/members?q=${encodeURIComponent(typed)}`);
      expect(byPhone, typed).toContain('Nguyễn Thị Lan');
      expect(results(byPhone), typed).toContain('0912 345 678');
      expect(byPhone, typed).not.toContain('Lê Thị Hoa');
    }

    const byCommune = await page(`/console/members?commune=${encodeURIComponent('Phan Dinh Phung')}`);
    expect(byCommune).toContain('Nguyễn Thị Lan');
    expect(byCommune).not.toContain('Lê Thị Hoa');
    const byCode = await page('/console/members?commune=05710');
    expect(byCode).toContain('Lê Thị Hoa');
    expect(byCode).not.toContain('Nguyễn Thị Lan');

    // What was searched by is audited, never the words.
    const searches = (await auditActions()).filter((a) => a.action === 'web.member.search');
    expect(searches.length).toBeGreaterThan(0);
    const details = await web.runtime.db.auditLog.findMany({ where: { action: 'web.member.search' } });
    expect(details.map((d) => d.details)).toContainEqual({ by: ['phone'], results: 1 });
    expect(JSON.stringify(details.map((d) => d.details))).not.toMatch(/912|nguyen|Phan/i);
  });

  it('says when a number is no mobile number or a commune is unknown, and pages long lists', async () => {
    const bad = await page('/console/members?q=0212345678');
    expect(bad).toContain('không phải số di động Việt Nam');
    const unknown = await page('/console/members?commune=Xyzabc');
    expect(unknown).toContain('không tìm thấy xã, phường này');
    for (let i = 0; i < 30; i++) await member(`Hội viên ${i}`, null, '05443');
    const first = await page('/console/members');
    expect(first).toContain('Tìm thấy: 31 hội viên');
    expect(first).toContain('rel="next"');
    const second = await page('/console/members?page=2');
    expect(second).toContain('2 / 2');
  });

  it('is for admins: an officer is refused every page and action', async () => {
    const officer = await web.staff('officer', ['05443']);
    const lan = await member('Nguyễn Thị Lan', '+84912345678', '05443');
    expect((await web.call(officer, 'GET', '/console/members')).kind).toBe('forbidden');
    expect((await web.call(officer, 'GET', `/console/members/${lan.id}`)).kind).toBe('forbidden');
    expect((await web.call(officer, 'GET', '/console/members/officers')).kind).toBe('forbidden');
    const erase = await web.call(officer, 'POST', `/console/members/${lan.id}/erase`, { form: { requested: 'yes' } });
    expect(erase.kind).toBe('forbidden');
    expect(await web.runtime.members.findById(lan.id)).not.toBeNull();
    const invite = await web.call(officer, 'POST', '/console/members/invitations', {
      form: { role: 'admin', areas: '*' },
    });
    expect(invite.kind).toBe('forbidden');
    expect(await web.runtime.db.invitation.count()).toBe(0);
  });
});

describe('a member', () => {
  it('shows her details, consent per purpose and her requests; the view is audited', async () => {
    const lan = await member('Nguyễn Thị Lan', '+84912345678', '05443');
    await web.runtime.features.consent.decide(lan, 'photos', true, web.clock.now());
    await web.runtime.features.consent.decide(lan, 'announcements', false, web.clock.now());
    const kase = await web.runtime.db.case.create({
      data: { type: 'talk', memberId: lan.id, communeCode: '05443', details: {} },
    });

    const html = await page(`/console/members/${lan.id}`);
    expect(html).toContain('Nguyễn Thị Lan');
    expect(html).toContain('0912 345 678');
    expect(html).toContain('Phan Đình Phùng');
    const row = (name: string) => html.slice(html.indexOf(name), html.indexOf('</tr>', html.indexOf(name)));
    expect(row('Lưu ảnh chị gửi')).toContain('Đồng ý');
    expect(row('Nhận thông báo của Hội')).toContain('Không đồng ý');
    expect(html).toContain('Chưa trả lời');
    expect(html).toContain('Yêu cầu hỗ trợ: 1');
    expect(html).toContain(`/console/cases/${kase.id}`);
    expect(html).toContain('Sản phẩm: 0');

    expect(await auditActions()).toContainEqual({ actor: admin.id, action: 'web.member.view', subject: lan.id });

    const english = await web.call(admin, 'GET', `/console/members/${lan.id}`, { language: 'en' });
    expect(text(english)).toContain('Support requests: 1');
  });

  it('erases her on request after a confirmation naming what goes; the page then says she is gone', async () => {
    const lan = await member('Nguyễn Thị Lan', '+84912345678', '05443');
    await web.runtime.db.case.create({ data: { type: 'talk', memberId: lan.id, communeCode: '05443', details: {} } });

    const confirm = await page(`/console/members/${lan.id}/erase`);
    expect(confirm).toContain('Xóa Nguyễn Thị Lan và mọi dữ liệu về chị');
    expect(confirm).toContain('Yêu cầu hỗ trợ và tin nhắn trao đổi: 1');
    expect(confirm).toContain('name="_csrf"');

    // Without ticking "she asked for it", nothing happens.
    const unticked = await web.call(admin, 'POST', `/console/members/${lan.id}/erase`);
    expect(unticked).toMatchObject({ kind: 'page', status: 422 });
    expect(text(unticked)).toContain('Hãy đánh dấu ô xác nhận');
    expect(await web.runtime.members.findById(lan.id)).not.toBeNull();

    const done = await web.call(admin, 'POST', `/console/members/${lan.id}/erase`, { form: { requested: 'yes' } });
    expect(done).toMatchObject({ kind: 'redirect', to: '/console/members', flash: { tone: 'ok' } });
    expect(await web.runtime.members.findById(lan.id)).toBeNull();
    expect(await web.runtime.db.case.count()).toBe(0);

    const audit = await auditActions();
    expect(audit).toContainEqual(expect.objectContaining({ actor: admin.id, action: 'member.erased' }));
    expect(audit).toContainEqual(expect.objectContaining({ actor: admin.id, action: 'web.member.erased' }));
    // Her id is nowhere in the log any more.
    expect(JSON.stringify(await web.runtime.db.auditLog.findMany())).not.toContain(lan.id);

    const gone = await web.call(admin, 'GET', `/console/members/${lan.id}`);
    expect(gone).toMatchObject({ kind: 'page', status: 404 });
    expect(text(gone)).toContain('không còn trong hệ thống');
  });

  it('does not let an admin erase herself', async () => {
    const result = await web.call(admin, 'POST', `/console/members/${admin.id}/erase`, { form: { requested: 'yes' } });
    expect(result.kind).toBe('forbidden');
    expect(await web.runtime.members.findById(admin.id)).not.toBeNull();
  });
});

describe('officers and invitations', () => {
  it('lists officers with their areas, and changes areas, role and revokes through the officer service', async () => {
    const officer = await web.staff('officer', ['05443'], 'Phạm Cán Bộ');
    const list = await page('/console/members/officers');
    expect(list).toContain('Phạm Cán Bộ');
    expect(list).toContain('Phường Phan Đình Phùng');
    expect(list).toContain('Toàn tỉnh');

    const rescoped = await web.call(admin, 'POST', `/console/members/officers/${officer.id}/areas`, {
      form: { areas: 'Linh Son, 05500' },
    });
    expect(rescoped).toMatchObject({ kind: 'redirect', flash: { tone: 'ok' } });
    expect((await web.runtime.officers.areasOf(officer.id)).sort()).toEqual(['05500', '05710']);

    const wrong = await web.call(admin, 'POST', `/console/members/officers/${officer.id}/areas`, {
      form: { areas: 'Nowhere at all' },
    });
    expect(wrong).toMatchObject({ kind: 'redirect', flash: { tone: 'error' } });
    expect((await web.runtime.officers.areasOf(officer.id)).sort()).toEqual(['05500', '05710']);

    await web.call(admin, 'POST', `/console/members/officers/${officer.id}/role`, { form: { role: 'admin' } });
    expect((await web.runtime.members.findById(officer.id))?.role).toBe('admin');

    const self = await web.call(admin, 'POST', `/console/members/officers/${admin.id}/revoke`);
    expect(self).toMatchObject({ kind: 'redirect', flash: { tone: 'error' } });
    expect((await web.runtime.members.findById(admin.id))?.role).toBe('admin');

    await web.call(admin, 'POST', `/console/members/officers/${officer.id}/revoke`);
    expect((await web.runtime.members.findById(officer.id))?.role).toBe('member');

    const actions = (await auditActions()).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['officer.rescoped', 'officer.roleChanged', 'officer.revoked', 'web.officer.revoked']),
    );
  });

  it('creates an invitation code shown once with how to use it; the code links the officer', async () => {
    const result = await web.call(admin, 'POST', '/console/members/invitations', {
      form: { role: 'officer', areas: 'Phan Dinh Phung, Linh Sơn', hours: '48' },
    });
    expect(result).toMatchObject({ kind: 'redirect', to: '/console/members/officers', flash: { tone: 'ok' } });
    const flash = result.kind === 'redirect' ? (result.flash?.text ?? '') : '';
    const code = /HV-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(flash)?.[0];
    expect(code).toBeDefined();
    expect(flash).toContain('Telegram hoặc Zalo');
    const rows = await web.runtime.db.invitation.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: 'officer', createdBy: admin.id, codeHash: hashInvitationCode(code!) });
    expect(rows[0]!.areas).toEqual(['05443', '05710']);
    expect(JSON.stringify(rows)).not.toContain(code);

    const newcomer = await member('Đỗ Thị Mới', null, null);
    const redeemed = await web.deps.admin.invitations.redeem(newcomer, code!);
    expect(redeemed).toMatchObject({ ok: true, member: { role: 'officer' } });
    expect(await page('/console/members/officers')).toContain('Đỗ Thị Mới');
  });

  it('refuses an invitation with unclear areas or hours, saying why, and creates nothing', async () => {
    const result = await web.call(admin, 'POST', '/console/members/invitations', {
      form: { role: 'officer', areas: 'Xyzabc', hours: '0' },
    });
    expect(result).toMatchObject({ kind: 'page', status: 422 });
    expect(text(result)).toContain('“Xyzabc”: không tìm thấy xã, phường này');
    expect(text(result)).toContain('Hiệu lực phải là số giờ');
    expect(await web.runtime.db.invitation.count()).toBe(0);
  });
});
