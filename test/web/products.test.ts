// The console's Products section (src/web/pages/products.ts) through the page contract, on the real runtime: the
// queue within the officer's areas (oldest first, filters, counts), the listing page (fields, photos, seller with the
// audited view of her phone, history), approve / ask for changes / reject through ProductService.review (status stored,
// the member's message queued in the outbox, the audit log), the checks a form gets (reason required, at least one
// field) and the photo routes (only to a reviewer of that listing).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import type { PageResult } from '../../src/web/page.ts';
import { HOUR } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { consentToPublishing, DAN_TIEN, PHAN_DINH_PHUNG, submitted } from '../helpers/products.ts';
import { text, webHarness, type WebHarness } from './context.ts';

let db: FreshDatabase;
let web: WebHarness;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  web = webHarness(db.prisma);
});
afterEach(async () => {
  await web.runtime.jobs.stop();
  await db.close();
});

/** A member of `commune` who consented to publishing. */
async function seller(name: string, commune = DAN_TIEN): Promise<Member> {
  const rt = web.runtime;
  const created = await rt.members.create({ channel: 'telegram', channelUserId: `seller-${++seq}`, language: 'vi' });
  const m = await rt.members.update(created.id, {
    displayName: name,
    communeCode: commune,
    consentAt: web.clock.now(),
    lastInboundAt: web.clock.now(),
  });
  await rt.features.consent.decide(m, 'announcements', true, web.clock.now());
  await consentToPublishing(rt, m);
  return m;
}

const statusOf = async (id: number) => (await db.prisma.listing.findUniqueOrThrow({ where: { id } })).status;
/** Everything queued for her (the outbox rows' rendered texts). */
async function messagesTo(member: Member): Promise<string> {
  const rows = await db.prisma.notification.findMany({
    where: { recipientId: member.id },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => JSON.stringify(r.messages)).join('\n');
}
const flashOf = (r: PageResult) => (r.kind === 'redirect' || r.kind === 'page' ? r.flash?.text : undefined);

describe('the queue', () => {
  it('shows the listings waiting in her areas, the longest waiting first, with a thumbnail and counts', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const hoa = await seller('Trần Thị Hoa', PHAN_DINH_PHUNG);
    const first = await submitted(web.runtime, lan, { name: 'Mật ong rừng' });
    web.clock.advance(HOUR);
    const second = await submitted(web.runtime, lan, { name: 'Chè Tân Cương', productGroup: 'beverages' });
    const elsewhere = await submitted(web.runtime, hoa, { name: 'Miến dong', communeCode: PHAN_DINH_PHUNG });
    const officer = await web.staff('officer', [DAN_TIEN]);

    const page = text(await web.call(officer, 'GET', '/console/products'));
    expect(page).toContain('Mật ong rừng');
    expect(page).toContain('Chè Tân Cương');
    expect(page).not.toContain('Miến dong');
    expect(page.indexOf('Mật ong rừng')).toBeLessThan(page.indexOf('Chè Tân Cương'));
    expect(page).toContain(`/console/products/${first.id}/photos/`);
    expect(page).toContain('Nguyễn Thị Lan');
    expect(page).toMatch(/Chờ duyệt <span class="count">2<\/span>/);
    const audit = await db.prisma.auditLog.findMany({ where: { actor: officer.id, action: 'web.product.listViewed' } });
    expect(audit.map((a) => a.details)).toEqual([{ status: 'pending', listings: [first.id, second.id] }]);

    // Filters: the product group; a commune outside her areas is ignored, never shown.
    const drinks = text(await web.call(officer, 'GET', '/console/products?group=beverages'));
    expect(drinks).toContain('Chè Tân Cương');
    expect(drinks).not.toContain('Mật ong rừng');
    const forged = text(await web.call(officer, 'GET', `/console/products?commune=${PHAN_DINH_PHUNG}`));
    expect(forged).not.toContain('Miến dong');

    // The whole province sees every commune, and may filter by one.
    const admin = await web.staff('admin', ['*']);
    const all = text(await web.call(admin, 'GET', `/console/products?commune=${PHAN_DINH_PHUNG}`));
    expect(all).toContain('Miến dong');
    expect(all).not.toContain('Mật ong rừng');
    expect(second.id).toBeGreaterThan(first.id);
    expect(elsewhere.id).toBeGreaterThan(0);
  });

  it('lists the published listings under their own status', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan, { name: 'Mật ong rừng' });
    const officer = await web.staff('officer', [DAN_TIEN]);
    await web.call(officer, 'POST', `/console/products/${listing.id}/approve`);
    const pending = text(await web.call(officer, 'GET', '/console/products'));
    expect(pending).toContain('Không có sản phẩm nào chờ duyệt.');
    const published = text(await web.call(officer, 'GET', '/console/products?status=approved'));
    expect(published).toContain('Mật ong rừng');
    expect(published).toContain('Đã đăng');
  });

  it('is in English for a viewer who chose English', async () => {
    const officer = await web.staff('officer', [DAN_TIEN]);
    const page = text(await web.call(officer, 'GET', '/console/products', { language: 'en' }));
    expect(page).toContain('No products are waiting for review.');
  });
});

describe('one listing', () => {
  it('shows its fields, photos that open full size, the seller with her phone (audited) and the history', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan, { name: 'Mật ong rừng', phone: '+84912345678' }, 2);
    const officer = await web.staff('officer', [DAN_TIEN]);
    const result = await web.call(officer, 'GET', `/console/products/${listing.id}`);
    expect(result.kind).toBe('page');
    const page = text(result);
    expect(page).toContain('Mật ong nuôi dưới tán rừng keo.');
    expect(page).toContain('150.000');
    expect(page).toContain('Xóm Đồng');
    expect(page).toContain('Nguyễn Thị Lan');
    expect(page).toContain('0912 345 678');
    expect(page).toContain('Nguyễn Thị Lan gửi sản phẩm để duyệt');
    const photos = await db.prisma.listingPhoto.findMany({ where: { listingId: listing.id } });
    expect(photos).toHaveLength(2);
    for (const p of photos) {
      expect(page).toContain(`href="#photo-${p.id}"`);
      expect(page).toContain(`id="photo-${p.id}"`);
      expect(page).toContain(`src="/console/products/${listing.id}/photos/${p.id}"`);
    }
    const audit = await db.prisma.auditLog.findMany({
      where: { actor: officer.id, action: 'web.product.contactViewed' },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject).toBe(String(listing.id));
  });

  it('is refused to an officer of another commune, and unknown ids are not found', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan);
    const other = await web.staff('officer', [PHAN_DINH_PHUNG]);
    const seen = await web.call(other, 'GET', `/console/products/${listing.id}`);
    expect(seen.kind).toBe('forbidden');
    expect(text(seen)).not.toContain('Mật ong');
    expect((await web.call(other, 'GET', '/console/products/999999')).kind).toBe('notFound');
    expect((await web.call(other, 'GET', '/console/products/abc')).kind).toBe('notFound');
    const member = await seller('Hoa');
    expect((await web.call(member, 'GET', `/console/products/${listing.id}`)).kind).toBe('forbidden');
  });
});

describe('decisions', () => {
  it('approve publishes it and tells the member', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan, { name: 'Mật ong rừng' });
    const officer = await web.staff('officer', [DAN_TIEN], 'Cán bộ Mai');
    const result = await web.call(officer, 'POST', `/console/products/${listing.id}/approve`);
    expect(result).toMatchObject({ kind: 'redirect', to: '/console/products', flash: { tone: 'ok' } });
    expect(flashOf(result)).toContain('Mật ong rừng');
    expect(await statusOf(listing.id)).toBe('approved');
    expect(await messagesTo(lan)).toContain('đã được Hội duyệt');
    const audit = await db.prisma.auditLog.findMany({ where: { actor: officer.id, subject: String(listing.id) } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['listing.approved', 'web.product.approve']));
    // Its page now shows the decision in the history and no decision forms.
    const page = text(await web.call(officer, 'GET', `/console/products/${listing.id}`));
    expect(page).toContain('Cán bộ Mai duyệt và đăng');
    expect(page).not.toContain('/approve');
    // A second decision is refused, saying who decided first.
    const again = await web.call(officer, 'POST', `/console/products/${listing.id}/reject`, {
      form: { reason: 'Trùng' },
    });
    expect(again.kind).toBe('redirect');
    expect(flashOf(again)).toContain('Cán bộ Mai đã xử lý sản phẩm này trước');
    expect(await statusOf(listing.id)).toBe('approved');
  });

  it('ask for changes sends her the message and the fields', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan, { name: 'Mật ong rừng' });
    const officer = await web.staff('officer', [DAN_TIEN]);
    const result = await web.call(officer, 'POST', `/console/products/${listing.id}/changes`, {
      form: { fields: ['price', 'photos'], message: 'Chị chụp thêm ảnh nhãn chai nhé.' },
    });
    expect(result.kind).toBe('redirect');
    expect(await statusOf(listing.id)).toBe('changes');
    const sent = await messagesTo(lan);
    expect(sent).toContain('Chị chụp thêm ảnh nhãn chai nhé.');
    expect(sent).toContain('ảnh');
    const row = await db.prisma.listing.findUniqueOrThrow({ where: { id: listing.id } });
    expect(row.changeFields).toEqual(['price', 'photos']);
  });

  it('ask for changes needs a field and a message; what she typed is kept', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan);
    const officer = await web.staff('officer', [DAN_TIEN]);
    const noField = await web.call(officer, 'POST', `/console/products/${listing.id}/changes`, {
      form: { message: 'Sửa giúp em <b>giá</b>' },
    });
    expect(noField).toMatchObject({ kind: 'page', status: 422 });
    expect(flashOf(noField)).toBe('Vui lòng chọn ít nhất một mục cần sửa.');
    expect(text(noField)).toContain('Sửa giúp em &lt;b&gt;giá&lt;/b&gt;');
    const noMessage = await web.call(officer, 'POST', `/console/products/${listing.id}/changes`, {
      form: { fields: 'price', message: '  ' },
    });
    expect(flashOf(noMessage)).toBe('Vui lòng viết lời nhắn cho hội viên.');
    expect(await statusOf(listing.id)).toBe('pending');
  });

  it('reject needs a reason, then tells her the reason', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan, { name: 'Mật ong rừng' });
    const officer = await web.staff('officer', [DAN_TIEN]);
    const empty = await web.call(officer, 'POST', `/console/products/${listing.id}/reject`, { form: { reason: '' } });
    expect(empty).toMatchObject({ kind: 'page', status: 422 });
    expect(flashOf(empty)).toBe('Vui lòng ghi lý do từ chối.');
    expect(await statusOf(listing.id)).toBe('pending');
    expect(await messagesTo(lan)).not.toContain('chưa được duyệt');

    const tooLong = await web.call(officer, 'POST', `/console/products/${listing.id}/reject`, {
      form: { reason: 'x'.repeat(1001) },
    });
    expect(flashOf(tooLong)).toBe('Nội dung dài quá 1000 ký tự.');

    const done = await web.call(officer, 'POST', `/console/products/${listing.id}/reject`, {
      form: { reason: 'Sản phẩm chưa có giấy an toàn thực phẩm.' },
    });
    expect(done).toMatchObject({ kind: 'redirect', to: '/console/products', flash: { tone: 'ok' } });
    expect(await statusOf(listing.id)).toBe('rejected');
    expect(await messagesTo(lan)).toContain('Sản phẩm chưa có giấy an toàn thực phẩm.');
  });

  it('an officer of another commune cannot decide', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan);
    const other = await web.staff('officer', [PHAN_DINH_PHUNG]);
    const result = await web.call(other, 'POST', `/console/products/${listing.id}/approve`);
    expect(result).toMatchObject({ kind: 'redirect', to: '/console/products', flash: { tone: 'error' } });
    expect(flashOf(result)).toContain('ngoài địa bàn');
    expect(await statusOf(listing.id)).toBe('pending');
    expect(await messagesTo(lan)).not.toContain('đã được Hội duyệt');
  });
});

describe('photos', () => {
  it('serves a photo and its thumbnail to a reviewer of the listing only, privately cached', async () => {
    const lan = await seller('Nguyễn Thị Lan');
    const listing = await submitted(web.runtime, lan, {}, 2);
    const [photo] = await db.prisma.listingPhoto.findMany({
      where: { listingId: listing.id },
      orderBy: { position: 'asc' },
    });
    const officer = await web.staff('officer', [DAN_TIEN]);
    const full = await web.call(officer, 'GET', `/console/products/${listing.id}/photos/${photo!.id}`);
    expect(full).toMatchObject({ kind: 'file', contentType: 'image/jpeg', cache: 'private' });
    const thumb = await web.call(officer, 'GET', `/console/products/${listing.id}/photos/${photo!.id}/thumb`);
    expect(thumb).toMatchObject({ kind: 'file', contentType: 'image/jpeg', cache: 'private' });
    const bytes = (r: PageResult) => (r.kind === 'file' ? Buffer.from(r.body) : Buffer.alloc(0));
    expect(bytes(full).subarray(0, 2).toString('hex')).toBe('ffd8');
    // The cleaned photo and the thumbnail made of it, as stored.
    const stored = await web.runtime.storedPhotos.read(photo!.fileId);
    expect(bytes(full).equals(Buffer.from(stored!.bytes))).toBe(true);
    const storedThumb = await web.runtime.files.store.get(photo!.thumbKey);
    expect(bytes(thumb).equals(Buffer.from(storedThumb!))).toBe(true);

    const other = await web.staff('officer', [PHAN_DINH_PHUNG]);
    expect((await web.call(other, 'GET', `/console/products/${listing.id}/photos/${photo!.id}`)).kind).toBe('notFound');
    expect((await web.call(other, 'GET', `/console/products/${listing.id}/photos/${photo!.id}/thumb`)).kind).toBe(
      'notFound',
    );
    // A photo of another listing, through a listing she may review: not served.
    const hoa = await seller('Trần Thị Hoa', PHAN_DINH_PHUNG);
    const theirs = await submitted(web.runtime, hoa, { communeCode: PHAN_DINH_PHUNG }, 1);
    const [theirPhoto] = await db.prisma.listingPhoto.findMany({ where: { listingId: theirs.id } });
    expect((await web.call(officer, 'GET', `/console/products/${listing.id}/photos/${theirPhoto!.id}`)).kind).toBe(
      'notFound',
    );
    const member = await seller('Hoa');
    expect((await web.call(member, 'GET', `/console/products/${listing.id}/photos/${photo!.id}`)).kind).toBe(
      'forbidden',
    );
  });
});
