// The products service as the chat, the officers' review, the CLI and the HTTP catalogue call it, on the real
// runtime (SQLite): validation, authorization (a member cannot review; an officer of another commune gets
// notYourArea; a second decision wrongStatus), the officers' review notice (summary, photos, buttons), each decision's
// message to the member in vi and en, back-to-review rules, withdrawal, drafts and their purge with files gone,
// problem reports (only the listing, kind and text; rate limit), the OCOP notice once, erasure with files and
// thumbnails, and thumbnails without EXIF.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelName, OutboundMessage } from '../../../src/conversation/messages.ts';
import { createImageSanitizer } from '../../../src/data/images.ts';
import type { ListingInput } from '../../../src/domain/listings.ts';
import type { Language, Member } from '../../../src/domain/member.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { HOUR, realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { deliveryFrom } from '../../helpers/fakes.ts';
import { jpeg } from '../../helpers/photos.ts';

const DAN_TIEN = '05755';
const OTHER_COMMUNE = '05443';
const DAY = 24 * HOUR;

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let officer: Member;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  // 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
  clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  rt = realRuntime(db.prisma, clock);
  for (const channel of ['telegram', 'zalobot'] as ChannelName[]) {
    rt.bot.connect(
      channel,
      deliveryFrom(async () => 'sent'),
    );
  }
  officer = await person('Cán bộ Hoa', { role: 'officer' });
  await rt.officers.assign(officer.id, 'officer', [DAN_TIEN]);
});
afterEach(async () => {
  await rt.jobs.stop();
  await db.close();
});

async function person(name: string, patch: Partial<Member> = {}, language: Language = 'vi'): Promise<Member> {
  const created = await rt.members.create({ channel: 'telegram', channelUserId: `p${++seq}`, language });
  return rt.members.update(created.id, { displayName: name, communeCode: DAN_TIEN, consentAt: clock.now(), ...patch });
}

/** A member who consented to publishing her products. */
async function seller(name = 'Lan', language: Language = 'vi'): Promise<Member> {
  const m = await person(name, {}, language);
  await db.prisma.memberConsent.create({
    data: { memberId: m.id, purpose: 'productPublishing', givenAt: clock.now() },
  });
  return m;
}

/** A photo she sent, stored as the intake stores it (cleaned); `raw` stores the bytes as given (EXIF and all). */
async function photo(member: Member, opts: { gps?: boolean; raw?: boolean } = {}): Promise<string> {
  const original = await jpeg({ width: 800, height: 600, gps: opts.gps ?? false });
  const cleaned = await createImageSanitizer().sanitize(original);
  if (!cleaned.ok) throw new Error('not an image');
  const bytes = opts.raw ? original : cleaned.image.bytes;
  const id = randomBytes(16).toString('base64url');
  const key = `${member.id}/${id}.jpg`;
  await rt.files.store.put(key, bytes, 'image/jpeg');
  await rt.files.records.create({
    id,
    memberId: member.id,
    key,
    sha256: 'x',
    mime: 'image/jpeg',
    bytes: bytes.length,
    width: 800,
    height: 600,
  });
  return id;
}

function input(photoFileIds: string[], over: Partial<ListingInput> = {}): ListingInput {
  return {
    name: 'Mật ong rừng',
    productGroup: 'food',
    producerKind: 'household',
    producerRegNo: null,
    communeCode: DAN_TIEN,
    hamlet: 'Xóm Đồng',
    description: 'Mật ong nuôi dưới tán rừng keo.',
    unit: 'chai 500 ml',
    packaging: 'chai thủy tinh',
    priceVnd: 150_000,
    quantity: '200 chai',
    season: 'quanh năm',
    ocopStars: 3,
    ocopExpiresOn: '2027-06-30',
    vietgap: true,
    organic: false,
    foodSafety: true,
    phone: '+84912345678',
    publishName: true,
    publishCommune: true,
    publishPhone: false,
    photoFileIds,
    ...over,
  };
}

const service = () => rt.products;

/** What the recipient was told about products, oldest first: text (with buttons' labels and actions), photo refs. */
async function told(member: Member): Promise<string[]> {
  const rows = await db.prisma.notification.findMany({
    where: { recipientId: member.id, kind: 'listing' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.flatMap((row) =>
    (row.messages as unknown as OutboundMessage[]).map((m) =>
      m.kind === 'choices'
        ? `${m.text} [${m.choices.map((c) => `${c.label}=${c.data}`).join(' | ')}]`
        : m.kind === 'text'
          ? m.text
          : `photo ${m.ref} ${m.caption ?? ''}`,
    ),
  );
}

async function submitted(member: Member, over: Partial<ListingInput> = {}, photos = 2) {
  const ids: string[] = [];
  for (let i = 0; i < photos; i++) ids.push(await photo(member));
  const result = await service().submit(member, input(ids, over));
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { listing: result.listing, ids };
}

describe('submitting', () => {
  it('stores the listing, thumbnails and tokens, keeps the files, opens a case and sends the officers the review notice', async () => {
    const lan = await seller();
    const { listing, ids } = await submitted(lan);
    expect(listing).toMatchObject({ status: 'pending', priceVnd: 150_000, memberId: lan.id });
    const photos = await db.prisma.listingPhoto.findMany({
      where: { listingId: listing.id },
      orderBy: { position: 'asc' },
    });
    expect(photos.map((p) => p.fileId)).toEqual(ids);
    for (const p of photos) {
      expect(p.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(p.thumbKey).toBe(`${lan.id}/${p.fileId}.thumb.jpg`);
      const thumb = await rt.files.store.get(p.thumbKey);
      const meta = await sharp(thumb!).metadata();
      expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(320);
    }
    const files = await db.prisma.storedFile.findMany({ where: { id: { in: ids } } });
    expect(files.map((f) => f.keptBy)).toEqual([`listing:${listing.id}`, `listing:${listing.id}`]);
    const c = await db.prisma.case.findUniqueOrThrow({ where: { id: listing.caseId! } });
    expect(c).toMatchObject({ type: 'product_report', communeCode: DAN_TIEN, status: 'open', memberId: lan.id });

    const notice = await told(officer);
    expect(notice[0]).toContain('Chị Lan gửi một sản phẩm để Hội duyệt (số');
    expect(notice[0]).toContain('Sản phẩm: Mật ong rừng');
    expect(notice[0]).toContain('Giá: 150.000 đ / chai 500 ml (đóng gói: chai thủy tinh)');
    expect(notice[0]).toContain('OCOP 3 sao (hết hạn 30/06/2027), VietGAP, Giấy chứng nhận an toàn thực phẩm');
    expect(notice[0]).toContain('Nơi sản xuất: Xóm Đồng, Xã Dân Tiến');
    expect(notice[0]).toContain('Điện thoại liên hệ: 0912 345 678');
    expect(notice[0]).toContain('Công khai: tên — có; xã — có; số điện thoại — không');
    expect(notice.slice(1, 3)).toEqual([
      `photo stored:${ids[0] ?? ''} Ảnh 1/2`,
      `photo stored:${ids[1] ?? ''} Ảnh 2/2`,
    ]);
    expect(notice[3]).toMatch(/\[Duyệt=!lok:\d+ \| Đề nghị sửa=!lchg:\d+ \| Từ chối=!lrej:\d+\]$/);
    expect(notice[3]).toContain(`!lok:${listing.id}`);
  });

  it('refuses without the publishing consent, and each bad input by its field', async () => {
    const noConsent = await person('Mai');
    const id = await photo(noConsent);
    expect(await service().submit(noConsent, input([id]))).toEqual({ ok: false, refusal: { reason: 'noConsent' } });

    const lan = await seller();
    const p = await photo(lan);
    const refusal = async (over: Partial<ListingInput>) => {
      const r = await service().submit(lan, input([p], over));
      return r.ok ? null : r.refusal;
    };
    expect(await refusal({ name: '  ' })).toEqual({ reason: 'invalid', field: 'name', issue: 'required' });
    expect(await refusal({ name: 'x'.repeat(121) })).toEqual({ reason: 'invalid', field: 'name', issue: 'tooLong' });
    expect(await refusal({ priceVnd: 0 })).toEqual({ reason: 'invalid', field: 'price', issue: 'range' });
    expect(await refusal({ priceVnd: 12.5 })).toEqual({ reason: 'invalid', field: 'price', issue: 'range' });
    expect(await refusal({ ocopStars: 6 })).toEqual({ reason: 'invalid', field: 'certifications', issue: 'range' });
    expect(await refusal({ ocopExpiresOn: null })).toMatchObject({ field: 'certifications', issue: 'format' });
    expect(await refusal({ ocopExpiresOn: '2026-03-01' })).toMatchObject({ issue: 'expired' });
    expect(await refusal({ ocopExpiresOn: '2029-03-03' })).toMatchObject({ issue: 'tooFar' });
    expect(await refusal({ communeCode: '99999' })).toMatchObject({ field: 'commune', issue: 'unknownCommune' });
    expect(await refusal({ phone: '0912345678' })).toMatchObject({ field: 'phone', issue: 'format' });
    expect(await refusal({ phone: null, publishPhone: true })).toMatchObject({ field: 'publish' });
    expect(await refusal({ photoFileIds: [] })).toMatchObject({ field: 'photos', issue: 'photos' });
    const six = [p, ...(await Promise.all([1, 2, 3, 4, 5].map(() => photo(lan))))];
    expect(await refusal({ photoFileIds: six })).toMatchObject({ field: 'photos', issue: 'photos' });
    const mai = await seller('Mai');
    expect(await refusal({ photoFileIds: [await photo(mai)] })).toMatchObject({ field: 'photos', issue: 'notHers' });
    expect(await db.prisma.listing.count()).toBe(0);
    expect(await db.prisma.case.count()).toBe(0);
  });

  it('makes thumbnails without EXIF: no GPS position, no camera, even from an uncleaned photo', async () => {
    const lan = await seller();
    const ids = [await photo(lan, { gps: true }), await photo(lan, { gps: true, raw: true })];
    expect((await sharp((await rt.files.store.get(`${lan.id}/${ids[1] ?? ''}.jpg`))!).metadata()).exif).toBeDefined();
    const result = await service().submit(lan, input(ids));
    expect(result.ok).toBe(true);
    for (const id of ids) {
      const meta = await sharp((await rt.files.store.get(`${lan.id}/${id}.thumb.jpg`))!).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
    }
  });
});

describe('review', () => {
  it('a member cannot review; an officer of another commune gets notYourArea; a second decision wrongStatus', async () => {
    const lan = await seller();
    const { listing } = await submitted(lan);
    expect(await service().review(lan, listing.id, { kind: 'approve' })).toEqual({
      ok: false,
      refusal: { reason: 'notOfficer' },
    });
    const far = await person('Cán bộ Xa', { role: 'officer' });
    await rt.officers.assign(far.id, 'officer', [OTHER_COMMUNE]);
    expect(await service().review(far, listing.id, { kind: 'approve' })).toEqual({
      ok: false,
      refusal: { reason: 'notYourArea' },
    });
    expect(await service().forReview(far, listing.id)).toMatchObject({ ok: false, refusal: { reason: 'notYourArea' } });
    expect(await service().review(officer, 999_999, { kind: 'approve' })).toMatchObject({
      refusal: { reason: 'notFound' },
    });
    expect(await service().canReview(officer, listing.id)).toMatchObject({ ok: true });

    const [first, second] = await Promise.all([
      service().review(officer, listing.id, { kind: 'approve' }),
      service().review(officer, listing.id, { kind: 'reject', reason: 'Ảnh mờ' }),
    ]);
    expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
    const loser = first.ok ? second : first;
    expect(loser).toMatchObject({ ok: false, refusal: { reason: 'wrongStatus' } });
    expect(await service().canReview(officer, listing.id)).toMatchObject({ refusal: { reason: 'wrongStatus' } });
    const province = await person('Cán bộ tỉnh', { role: 'officer' });
    await rt.officers.assign(province.id, 'officer', ['*']);
    expect(await service().forReview(province, listing.id)).toMatchObject({ ok: true, owner: { id: lan.id } });
  });

  it('approve: published, the case closed approved, she is told in her language, the audit log records it', async () => {
    const lan = await seller('Lan', 'en');
    const { listing } = await submitted(lan);
    const done = await service().review(officer, listing.id, { kind: 'approve' });
    expect(done).toMatchObject({ ok: true, listing: { status: 'approved', reviewedById: officer.id } });
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: listing.caseId! } })).status).toBe('approved');
    expect(await told(lan)).toEqual([
      "Congratulations! Your product «Mật ong rừng» has been approved. It will be shown in the Union's product catalogue (the online catalogue and the showcase stores), with only the details you agreed to make public. You can see and update it under «My products».",
    ]);
    const audit = await rt.audit.list({ subject: String(listing.id) });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['listing.submitted', 'listing.approved']));
    const page = await service().published({ page: 1, perPage: 10 });
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ id: listing.id, sellerName: 'Lan', communeCode: DAN_TIEN, phone: null });
  });

  it('ask for changes: her message names the fields and carries the Edit button; resubmitting tells the officers what changed', async () => {
    const lan = await seller();
    const { listing, ids } = await submitted(lan);
    const asked = await service().review(officer, listing.id, {
      kind: 'changes',
      fields: ['photos', 'price'],
      message: 'Chị chụp thêm ảnh nhãn chai nhé',
    });
    expect(asked).toMatchObject({ ok: true, listing: { status: 'changes', changeFields: ['price', 'photos'] } });
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: listing.caseId! } })).status).toBe('done');
    expect(await told(lan)).toEqual([
      'Cán bộ Hội đã xem sản phẩm «Mật ong rừng» và đề nghị chị sửa lại một chút:\n«Chị chụp thêm ảnh nhãn chai nhé»\nPhần cần sửa: giá và đơn vị bán, ảnh.',
      `Chị bấm «Sửa sản phẩm» (hoặc vào mục «Sản phẩm của tôi») để sửa rồi gửi lại nhé. [Sửa sản phẩm=!lmedit:${listing.id}]`,
    ]);

    const extra = await photo(lan);
    const oldThumb = `${lan.id}/${ids[1] ?? ''}.thumb.jpg`;
    const again = await service().resubmit(lan, listing.id, { priceVnd: 140_000, photoFileIds: [ids[0]!, extra] });
    expect(again).toMatchObject({ ok: true, listing: { status: 'pending', priceVnd: 140_000, changeFields: [] } });
    if (!again.ok) return;
    expect(again.listing.caseId).not.toBe(listing.caseId);
    const notice = (await told(officer)).filter((m) => m.includes('đã sửa sản phẩm'));
    expect(notice[0]).toContain(`Chị Lan đã sửa sản phẩm số ${listing.id} và gửi lại để duyệt`);
    expect(notice[0]).toContain('Phần đã sửa: giá và đơn vị bán, ảnh.');
    // The dropped photo is gone (record, bytes, thumbnail), the kept one keeps its token, the new one is kept.
    expect(await db.prisma.storedFile.findUnique({ where: { id: ids[1]! } })).toBeNull();
    // Bytes go after the commit.
    await vi.waitFor(async () => expect(await rt.files.store.get(oldThumb)).toBeNull());
    await vi.waitFor(async () => expect(await rt.files.store.get(`${lan.id}/${ids[1] ?? ''}.jpg`)).toBeNull());
    expect((await db.prisma.storedFile.findUniqueOrThrow({ where: { id: extra } })).keptBy).toBe(
      `listing:${listing.id}`,
    );
    expect(await service().resubmit(lan, listing.id, {})).toMatchObject({ refusal: { reason: 'wrongStatus' } });
  });

  it('reject: the reason reaches her (vi), the case is closed rejected; decisions without a text are refused', async () => {
    const lan = await seller();
    const { listing } = await submitted(lan);
    expect(await service().review(officer, listing.id, { kind: 'reject', reason: '  ' })).toMatchObject({
      refusal: { reason: 'invalid' },
    });
    expect(await service().review(officer, listing.id, { kind: 'changes', fields: [], message: 'x' })).toMatchObject({
      refusal: { reason: 'invalid' },
    });
    await service().review(officer, listing.id, { kind: 'reject', reason: 'Sản phẩm chưa có nguồn gốc rõ ràng' });
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: listing.caseId! } })).status).toBe('rejected');
    expect(await told(lan)).toEqual([
      'Hội rất tiếc: sản phẩm «Mật ong rừng» chưa được duyệt để đăng.\nLý do: Sản phẩm chưa có nguồn gốc rõ ràng\nNếu cần hỏi thêm, chị nhắn cán bộ Hội trong menu ạ.',
    ]);
  });
});

describe('decisions in each language', () => {
  it('tells an English-speaking member of changes and a rejection in English, a Vietnamese one of approval in Vietnamese', async () => {
    const jane = await seller('Jane', 'en');
    const first = (await submitted(jane, {}, 1)).listing;
    const second = (await submitted(jane, {}, 1)).listing;
    await service().review(officer, first.id, { kind: 'changes', fields: ['description'], message: 'Thêm câu chuyện' });
    await service().review(officer, second.id, { kind: 'reject', reason: 'Trùng sản phẩm' });
    expect(await told(jane)).toEqual([
      'A Union officer has looked at your product «Mật ong rừng» and asks you for a few changes:\n«Thêm câu chuyện»\nTo change: description.',
      `Tap «Edit the product» (or open «My products») to make the changes and send it again. [Edit the product=!lmedit:${first.id}]`,
      'We are sorry: your product «Mật ong rừng» was not approved for publishing.\nReason: Trùng sản phẩm\nIf you have questions, you can message a Union officer from the menu.',
    ]);
    const lan = await seller();
    const third = (await submitted(lan, {}, 1)).listing;
    await service().review(officer, third.id, { kind: 'approve' });
    expect(await told(lan)).toEqual([
      'Chúc mừng chị! Sản phẩm «Mật ong rừng» đã được Hội duyệt. Sản phẩm sẽ được giới thiệu trong danh mục sản phẩm của Hội (trang giới thiệu trực tuyến và các cửa hàng trưng bày), chỉ với những thông tin chị đồng ý công khai. Chị xem và cập nhật trong mục «Sản phẩm của tôi» ạ.',
    ]);
  });
});

describe('my products', () => {
  it('price and quantity change without review; a reviewed field sends an approved listing back, with a new case', async () => {
    const lan = await seller();
    const { listing } = await submitted(lan);
    await service().review(officer, listing.id, { kind: 'approve' });
    const cheap = await service().update(lan, listing.id, { priceVnd: 120_000, quantity: '50 chai' });
    expect(cheap).toMatchObject({ ok: true, backToReview: false, listing: { status: 'approved', priceVnd: 120_000 } });
    expect(await service().setSoldOut(lan, listing.id, true)).toMatchObject({ ok: true, listing: { soldOut: true } });
    expect((await service().published({ page: 1, perPage: 5 })).items[0]).toMatchObject({ available: false });

    const renamed = await service().update(lan, listing.id, { name: 'Mật ong hoa nhãn' });
    expect(renamed).toMatchObject({ ok: true, backToReview: true, listing: { status: 'pending', soldOut: false } });
    if (!renamed.ok) return;
    expect(renamed.listing.caseId).not.toBe(listing.caseId);
    expect((await service().published({ page: 1, perPage: 5 })).total).toBe(0);
    const notices = (await told(officer)).filter((m) => m.includes('cần được duyệt lại'));
    expect(notices[0]).toContain('Phần đã sửa: tên sản phẩm.');
    expect(notices[0]).toContain('Sản phẩm: Mật ong hoa nhãn');

    const mai = await seller('Mai');
    expect(await service().update(mai, listing.id, { priceVnd: 1 })).toEqual({
      ok: false,
      refusal: { reason: 'notFound' },
    });
    expect(await service().setSoldOut(lan, listing.id, true)).toMatchObject({ refusal: { reason: 'wrongStatus' } });
  });

  it('withdrawal unpublishes at once, closes an open case, tells the officers when it was pending; final', async () => {
    const lan = await seller();
    const pending = (await submitted(lan)).listing;
    expect(await service().withdraw(lan, pending.id)).toMatchObject({ ok: true, listing: { status: 'withdrawn' } });
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: pending.caseId! } })).status).toBe('done');
    expect((await told(officer)).at(-1)).toBe(
      `Chị Lan đã rút sản phẩm số ${pending.id} («Mật ong rừng»), nên không cần duyệt nữa ạ.`,
    );
    expect(await service().review(officer, pending.id, { kind: 'approve' })).toMatchObject({
      refusal: { reason: 'wrongStatus', status: 'withdrawn' },
    });

    const published = (await submitted(lan)).listing;
    await service().review(officer, published.id, { kind: 'approve' });
    const [token] = (await db.prisma.listingPhoto.findMany({ where: { listingId: published.id } })).map((p) => p.token);
    expect(await service().publicPhoto(token!, 'thumb')).toMatchObject({ mime: 'image/jpeg' });
    await service().withdraw(lan, published.id);
    expect(await service().publicPhoto(token!, 'full')).toBeNull();
    expect(await service().publicOne(published.id)).toBeNull();
    expect((await service().published({ page: 1, perPage: 5 })).total).toBe(0);
    expect(await service().withdraw(lan, published.id)).toMatchObject({ refusal: { reason: 'wrongStatus' } });
  });
});

describe('publishing', () => {
  it('shows only what she consented to; a pending photo is never served; a withdrawn consent unpublishes', async () => {
    const lan = await seller();
    const { listing } = await submitted(lan, { publishName: false, publishCommune: false, publishPhone: false });
    const photos = await db.prisma.listingPhoto.findMany({
      where: { listingId: listing.id },
      orderBy: { position: 'asc' },
    });
    const p = photos[0];
    expect(await service().publicPhoto(p!.token, 'full')).toBeNull();
    expect(await service().publicPhoto('not-a-token', 'full')).toBeNull();
    await service().review(officer, listing.id, { kind: 'approve' });
    const full = await service().publicPhoto(p!.token, 'full');
    expect(full?.bytes.length).toBeGreaterThan(0);
    const shown = await service().publicOne(listing.id);
    expect(shown).toMatchObject({
      sellerName: null,
      communeCode: null,
      phone: null,
      photos: photos.map((x) => x.token),
    });
    expect(JSON.stringify(shown)).not.toContain('Xóm Đồng');
    // Without the commune consent it is left out of commune filters.
    expect((await service().published({ communeCode: DAN_TIEN, page: 1, perPage: 5 })).total).toBe(0);
    expect((await service().published({ productGroup: 'food', page: 1, perPage: 5 })).total).toBe(1);
    expect((await service().published({ productGroup: 'herbal', page: 1, perPage: 5 })).total).toBe(0);

    await db.prisma.memberConsent.update({
      where: { memberId_purpose: { memberId: lan.id, purpose: 'productPublishing' } },
      data: { withdrawnAt: clock.now() },
    });
    expect((await service().published({ page: 1, perPage: 5 })).total).toBe(0);
    expect(await service().publicPhoto(p!.token, 'thumb')).toBeNull();
    expect(await service().publicOne(listing.id)).toBeNull();
  });
});

describe('drafts', () => {
  it('kept LISTING_DRAFT_DAYS with her photos, then purged with the files; an expired one is not offered', async () => {
    const lan = await seller();
    const [a, b] = [await photo(lan), await photo(lan)];
    await service().saveDraft(lan, {
      answers: { name: 'Chè', photos: [a, b] },
      step: 'price',
      listingId: null,
      photoFileIds: [a, b],
    });
    expect(await service().draftOf(lan)).toMatchObject({ step: 'price', answers: { name: 'Chè' } });
    expect((await db.prisma.storedFile.findMany({ where: { memberId: lan.id } })).map((f) => f.keptBy)).toEqual([
      `draft:${lan.id}`,
      `draft:${lan.id}`,
    ]);
    // Removing a photo from the draft deletes it.
    await service().saveDraft(lan, {
      answers: { name: 'Chè', photos: [a] },
      step: 'price',
      listingId: null,
      photoFileIds: [a],
    });
    expect(await db.prisma.storedFile.findUnique({ where: { id: b } })).toBeNull();

    clock.advance(DAY); // a day later it is still offered
    expect(await service().draftOf(lan)).not.toBeNull();
    expect(await rt.features.products.jobs.purgeDrafts()).toBe(0);
    clock.advance(7 * DAY);
    expect(await service().draftOf(lan)).toBeNull();
    expect(await rt.features.products.jobs.purgeDrafts()).toBe(1);
    expect(await db.prisma.listingDraft.count()).toBe(0);
    expect(await db.prisma.storedFile.findUnique({ where: { id: a } })).toBeNull();
    await vi.waitFor(async () => expect(await rt.files.store.list(`${lan.id}/`)).toEqual([]));
  });

  it("submitting deletes her draft; the photos it used become the listing's", async () => {
    const lan = await seller();
    const a = await photo(lan);
    await service().saveDraft(lan, { answers: {}, step: null, listingId: null, photoFileIds: [a] });
    const result = await service().submit(lan, input([a]));
    expect(result.ok).toBe(true);
    expect(await db.prisma.listingDraft.count()).toBe(0);
    expect((await db.prisma.storedFile.findUniqueOrThrow({ where: { id: a } })).keptBy).toMatch(/^listing:/);
  });
});

describe('problem reports', () => {
  it('stores only the listing, the kind and the text, opens a case for the commune; rate-limited per person', async () => {
    const lan = await seller();
    const { listing } = await submitted(lan);
    const buyer = await person('Người mua');
    expect(await service().reportProblem(buyer, listing.id, 'wrongInfo', 'Giá sai')).toEqual({
      ok: false,
      refusal: { reason: 'notPublished' },
    });
    await service().review(officer, listing.id, { kind: 'approve' });
    const done = await service().reportProblem(buyer, listing.id, 'unsafe', '  Chai bị rò rỉ  ');
    expect(done).toMatchObject({ ok: true, report: { kind: 'unsafe', text: 'Chai bị rò rỉ' } });
    const row = await db.prisma.listingReport.findFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(buyer.id);
    const c = await db.prisma.case.findUniqueOrThrow({ where: { id: row.caseId! } });
    expect(c).toMatchObject({ type: 'listing_problem', communeCode: DAN_TIEN });
    expect(JSON.stringify(c)).not.toContain(buyer.id);
    expect((await told(officer)).at(-1)).toBe(
      `Có người báo vấn đề với sản phẩm đang đăng số ${listing.id} («Mật ong rừng», Xã Dân Tiến):\nVấn đề: Nghi ngờ không an toàn\nNội dung: Chai bị rò rỉ`,
    );
    // One per listing a day, LISTING_REPORTS_PER_DAY (5) a day.
    expect(await service().reportProblem(buyer, listing.id, 'soldOut', null)).toMatchObject({
      refusal: { reason: 'rateLimited' },
    });
    const others = [];
    for (let i = 0; i < 5; i++) {
      const l = (await submitted(lan, {}, 1)).listing;
      await service().review(officer, l.id, { kind: 'approve' });
      others.push(l.id);
    }
    for (const id of others.slice(0, 4))
      expect((await service().reportProblem(buyer, id, 'soldOut', null)).ok).toBe(true);
    expect(await service().reportProblem(buyer, others[4]!, 'soldOut', null)).toMatchObject({
      refusal: { reason: 'rateLimited' },
    });
    expect((await service().reportProblem(lan, others[4]!, 'soldOut', null)).ok).toBe(true);
    clock.advance(DAY + HOUR);
    expect(await rt.features.products.jobs.forgetReporters()).toBe(6);
    expect(await db.prisma.listingReport.count({ where: { reporterKey: { not: null } } })).toBe(0);
    expect((await service().reportProblem(buyer, others[4]!, 'soldOut', null)).ok).toBe(true);
  });
});

describe('OCOP expiry', () => {
  it('tells the member and the officers once, a month before', async () => {
    const lan = await seller();
    const { listing } = await submitted(lan, { ocopExpiresOn: '2026-04-15' });
    await service().review(officer, listing.id, { kind: 'approve' });
    expect(await rt.features.products.jobs.flagOcop('2026-03-10')).toBe(0);
    expect(await rt.features.products.jobs.flagOcop('2026-03-16')).toBe(1);
    expect(await rt.features.products.jobs.flagOcop('2026-03-17')).toBe(0);
    expect((await told(lan)).at(-1)).toBe(
      'Chị ơi, giấy chứng nhận OCOP của sản phẩm «Mật ong rừng» sẽ hết hạn ngày 15/04/2026. Chị nhớ làm thủ tục đánh giá lại, rồi cập nhật hạn mới trong mục «Sản phẩm của tôi» để sản phẩm tiếp tục được giới thiệu đúng ạ.',
    );
    expect((await told(officer)).filter((m) => m.includes('sẽ hết hạn ngày 15/04/2026'))).toHaveLength(1);
    // A renewed certificate is flagged again before its own expiry.
    await service().update(lan, listing.id, { ocopExpiresOn: '2026-05-01' });
    await service().review(officer, listing.id, { kind: 'approve' });
    expect(await rt.features.products.jobs.flagOcop('2026-04-02')).toBe(1);
  });
});

describe('erasure', () => {
  it('"delete my data" removes her listings, draft, photos and thumbnails; "my data" listed them first', async () => {
    const lan = await seller();
    const { listing } = await submitted(lan);
    await service().saveDraft(lan, { answers: {}, step: null, listingId: null, photoFileIds: [await photo(lan)] });
    const kind = rt.personalData.find((k) => k.id === 'listings')!;
    const t = rt.localisation.translator('vi');
    const lines = await kind.summarise!({ member: lan, t, timeZone: 'Asia/Ho_Chi_Minh' } as never);
    expect(lines[0]).toBe('«Mật ong rừng» — Đang chờ duyệt (gửi ngày 02/03/2026, 2 ảnh)');
    expect(lines[1]).toContain('Một bản nháp chưa gửi (lưu ngày 02/03/2026, tự xóa ngày 09/03/2026');
    expect((await rt.files.store.list(`${lan.id}/`)).filter((k) => k.endsWith('.thumb.jpg'))).toHaveLength(2);
    await rt.transactor.run(() => rt.members.delete(lan.id));
    expect(await db.prisma.listing.count()).toBe(0);
    expect(await db.prisma.listingPhoto.count()).toBe(0);
    expect(await db.prisma.listingDraft.count()).toBe(0);
    expect(await db.prisma.case.count({ where: { id: listing.caseId! } })).toBe(0);
    await vi.waitFor(async () => expect(await rt.files.store.list(`${lan.id}/`)).toEqual([]));
  });
});
