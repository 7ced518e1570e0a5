// The member's side of products in chat, on the real runtime (SQLite, every feature, the real service): what she sees
// (texts and buttons) and what is stored. The whole report (prefilled commune and phone, price as typed, OCOP date,
// photos one by one and as an album, the three consents to publish), each bad input (not an image, too large, a sixth
// photo, a price that is not a number, an expired OCOP certificate, no consent to publish), the productPublishing
// purpose declined, drafts (offered back a day later and continued; cancelled at the summary; past their keep time
// gone with their files), "Sản phẩm của tôi" and its actions, editing after "ask for changes", problem reports and
// their rate limit, and the typed requests of the issue.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../../src/domain/member.ts';
import { CONSENT_PURPOSES } from '../../../src/domain/privacy.ts';
import { createLocalisation } from '../../../src/i18n/i18n.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, HOUR, realRuntime, TestClock } from '../../helpers/chat.ts';
import { courseMember, DAN_TIEN } from '../../helpers/courses.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { deliveryFrom } from '../../helpers/fakes.ts';
import { fakeMedia } from '../../helpers/photos.ts';

const DAY = 24 * HOUR;
const MAX_BYTES = 300_000;

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let officer: Member;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  // 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
  clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  rt = realRuntime(db.prisma, clock, { files: { maxBytes: MAX_BYTES } });
  rt.bot.connect(
    'telegram',
    deliveryFrom(async () => 'sent'),
  );
  // The console's photos: any ref is a small JPEG, but for a text file and an oversized one.
  rt.media.register(
    'console',
    fakeMedia(
      new Map([
        ['notes.txt', new TextEncoder().encode('not a photo at all')],
        ['huge.jpg', new Uint8Array(MAX_BYTES + 1)],
      ]),
    ),
  );
  officer = await person(`o${++seq}`, { displayName: 'Chị Hoa', role: 'officer' });
  await rt.officers.assign(officer.id, 'officer', [DAN_TIEN]);
});
afterEach(async () => {
  await rt.jobs.stop();
  await db.close();
});

const person = (userId: string, patch: Partial<Member> = {}) => courseMember(rt, 'console', userId, clock.now(), patch);

async function memberChat(patch: Partial<Member> = {}): Promise<{ chat: Chat; member: Member }> {
  const userId = `c${++seq}`;
  const member = await person(userId, patch);
  return { chat: new Chat(rt.bot, userId, 'console'), member };
}

const photo = (chat: Chat, ...refs: string[]) => chat.deliver({ kind: 'photo', refs });

/** From "Gửi sản phẩm" (both consents given) to the name question. */
async function start(chat: Chat, words = 'gửi sản phẩm') {
  await chat.send(words);
  expect(chat.text()).toContain('Để giới thiệu sản phẩm của chị đến người mua');
  await chat.tap('Đồng ý');
  expect(chat.text()).toContain('Chị giới thiệu sản phẩm để Hội đưa lên cửa hàng');
  await chat.tap('Đồng ý'); // photos
  expect(chat.text()).toContain('Sản phẩm của chị tên là gì ạ?');
}

/** The answers after the name, up to the OCOP question. */
async function upToOcop(chat: Chat, groupPrefilled = false) {
  await chat.send('Mật ong rừng Định Hóa');
  if (groupPrefilled) {
    expect(chat.text()).toContain('Nhóm sản phẩm: Thực phẩm — đúng không ạ?');
    await chat.tap('Có');
  } else {
    expect(chat.buttons()).toContain('Lưu niệm, nội thất, trang trí');
    await chat.send('mật ong'); // a typed synonym of the group
  }
  await chat.tap('Hộ gia đình tôi');
  expect(chat.text()).toContain('Xã/phường: Xã Dân Tiến — đúng không ạ?');
  await chat.tap('Có');
  expect(chat.text()).toContain('không bao giờ được công khai');
  await chat.send('Xóm Bãi');
  await chat.send('Mật ong hoa rừng, khai thác tự nhiên');
  expect(chat.text()).toContain('Giá bán bao nhiêu ạ?');
}

async function afterPrice(chat: Chat) {
  await chat.tap('Bỏ qua'); // packaging
  await chat.send('khoảng 50 lọ');
  await chat.tap('Bỏ qua'); // season
  expect(chat.buttons()).toContain('OCOP 4 sao');
}

/** The whole report to the summary, with the publish answers given. */
async function reportToSummary(chat: Chat, publish = { name: 'Có', commune: 'Không', phone: 'Có' }) {
  await start(chat);
  await upToOcop(chat);
  await chat.send('120k/lọ');
  await afterPrice(chat);
  await chat.tap('Không có OCOP');
  await chat.send('VietGAP, hữu cơ');
  await photo(chat, 'a.jpg');
  await chat.tap('Xong');
  expect(chat.text()).toContain('Số điện thoại liên hệ: 0912 345 678 — đúng không ạ?');
  await chat.tap('Có');
  await chat.tap(publish.name);
  await chat.tap(publish.commune);
  await chat.tap(publish.phone);
  expect(chat.text()).toContain('Chị kiểm tra lại sản phẩm trước khi gửi:');
}

describe('putting a product forward', () => {
  it('asks every field, reads what she types, collects photos and stores the listing she confirms', async () => {
    const { chat, member } = await memberChat();
    await start(chat);
    await upToOcop(chat);
    // A price that is not a number: told how to type it, and asked again.
    await chat.send('không biết');
    expect(chat.text()).toContain('Em chưa đọc được giá này ạ. Chị gõ giá bằng số, ví dụ: 50k');
    expect(chat.text()).toContain('Giá bán bao nhiêu ạ?');
    await chat.send('120k/lọ'); // the unit came with the price: not asked
    expect(chat.text()).toContain('đóng gói');
    await afterPrice(chat);
    await chat.tap('OCOP 4 sao');
    // An expired certificate is refused clearly; the issue date gives the expiry (36 months).
    await chat.send('15/03/2021');
    expect(chat.text()).toContain('Giấy chứng nhận OCOP này đã hết hạn ngày 15/03/2024');
    await chat.send('15/03/2025');
    expect(chat.text()).toContain('VietGAP, hữu cơ');
    await chat.send('VietGAP, hữu cơ');
    expect(chat.text()).toContain('Chị gửi ảnh sản phẩm (từ 1 đến 5 ảnh)');

    // Photos: a text file and an oversized photo are refused by the gateway; one, then an album of three.
    await photo(chat, 'notes.txt');
    expect(chat.text()).toContain('Tệp chị gửi không phải là ảnh');
    await photo(chat, 'huge.jpg');
    expect(chat.text()).toContain('Ảnh chị gửi lớn quá');
    // One short message per photo message, with its buttons (not the whole question again).
    expect(await photo(chat, 'a.jpg')).toHaveLength(1);
    expect(chat.text()).toContain('Đã nhận 1/5 ảnh. Chị gửi thêm ảnh, hoặc bấm «Xong» để đi tiếp.');
    expect(chat.text()).not.toContain('Chị gửi ảnh sản phẩm');
    expect(chat.buttons()).toEqual(['Xong', 'Gửi lại ảnh từ đầu']);
    await photo(chat, 'b.jpg', 'c.jpg', 'd.jpg');
    expect(chat.text()).toContain('Đã nhận 4/5 ảnh.');
    // Two more than the step takes: refused, nothing stored, the step goes on.
    await photo(chat, 'e.jpg', 'f.jpg');
    expect(chat.text()).toContain('Chị đã gửi 4 ảnh, ở bước này tối đa 5 ảnh nên em chỉ nhận thêm được 1 ảnh');
    await photo(chat, 'e.jpg');
    expect(chat.text()).toContain('Đã nhận đủ 5/5 ảnh. Chị bấm «Xong» để đi tiếp.');
    expect(chat.text()).not.toContain('gửi thêm ảnh');
    // A sixth: refused with a clear answer (she has them all: "Xong").
    await photo(chat, 'f.jpg');
    expect(chat.text()).toContain('Chị đã gửi đủ 5/5 ảnh, em không nhận thêm được nữa');
    expect(chat.text()).not.toContain('0 ảnh');
    expect(await db.prisma.storedFile.count({ where: { memberId: member.id } })).toBe(5);
    await chat.tap('Xong');

    await chat.tap('Có'); // phone from her profile
    expect(chat.text()).toContain('công khai TÊN');
    await chat.tap('Có');
    expect(chat.text()).toContain('người xem chỉ thấy tên tỉnh');
    await chat.tap('Không');
    expect(chat.text()).toContain('công khai SỐ ĐIỆN THOẠI');
    await chat.tap('Có');
    const summary = chat.text();
    for (const line of [
      '• Tên sản phẩm: Mật ong rừng Định Hóa',
      '• Nhóm sản phẩm: Thực phẩm',
      '• Người sản xuất: Hộ gia đình tôi',
      '• Xã/phường: Xã Dân Tiến',
      '• Thôn/xóm (không công khai): Xóm Bãi',
      '• Giá bán: 120.000 đ/lọ',
      '• OCOP: OCOP 4 sao',
      '• Hạn chứng nhận OCOP: hết hạn 15/03/2028',
      '• Chứng nhận khác: VietGAP, Hữu cơ',
      '• Ảnh: 5 ảnh',
      '• Công khai xã/phường: Không',
    ]) {
      expect(summary).toContain(line);
    }
    expect(chat.buttons()).toEqual(['Xác nhận', 'Sửa thông tin', 'Hủy']);
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Em đã gửi sản phẩm «Mật ong rừng Định Hóa»');
    expect(chat.text()).toContain('Cán bộ Hội phụ trách Xã Dân Tiến sẽ xem và duyệt');
    expect(chat.text()).toContain('sản phẩm chỉ ghi tên tỉnh');

    const listing = await db.prisma.listing.findFirstOrThrow({ where: { memberId: member.id } });
    expect(listing).toMatchObject({
      status: 'pending',
      name: 'Mật ong rừng Định Hóa',
      productGroup: 'food',
      producerKind: 'household',
      communeCode: DAN_TIEN,
      hamlet: 'Xóm Bãi',
      priceVnd: 120_000,
      unit: 'lọ',
      quantity: 'khoảng 50 lọ',
      ocopStars: 4,
      ocopExpiresOn: '2028-03-15',
      vietgap: true,
      organic: true,
      foodSafety: false,
      phone: '+84912345678',
      publishName: true,
      publishCommune: false,
      publishPhone: true,
    });
    expect(await db.prisma.listingPhoto.count({ where: { listingId: listing.id } })).toBe(5);
    expect(await db.prisma.listingDraft.count()).toBe(0);
  });

  it('"em muon ban mat ong" starts the report with the group to confirm; "gửi sản phẩm" starts it too', async () => {
    const { chat } = await memberChat();
    await start(chat, 'em muon ban mat ong');
    await upToOcop(chat, true);
  });

  it('"em muon ban san pham my pham" asks the group (no guess from "my"); "co ai ban mat ong ko" is not a report', async () => {
    const { chat, member } = await memberChat();
    await start(chat, 'em muon ban san pham my pham');
    await chat.send('Son dưỡng môi');
    expect(chat.text()).not.toContain('— đúng không ạ?');
    expect(chat.buttons()).toContain('Lưu niệm, nội thất, trang trí');

    // A buyer at the menu is answered at once: no consent asked, no report started, no draft.
    const buyer = await memberChat();
    await buyer.chat.send('menu');
    for (const question of ['co ai ban mat ong ko', 'ai bán mật ong không', 'em cần mua gạo nếp']) {
      await buyer.chat.send(question);
      expect(buyer.chat.text(), question).toContain('Chị muốn MUA sản phẩm ạ?');
      expect(buyer.chat.buttons(), question).not.toContain('Đồng ý');
      expect(buyer.chat.text(), question).not.toContain('tên là gì');
    }
    expect(await db.prisma.listingDraft.count({ where: { memberId: buyer.member.id } })).toBe(0);
    expect(member.id).not.toBe(buyer.member.id);
  });

  it('back after a pause, a value a step cannot read gets the step\'s own message ("abc" at the price, "12345")', async () => {
    const { chat } = await memberChat();
    await start(chat);
    await upToOcop(chat);
    clock.advance(3 * HOUR);
    await chat.send('abc');
    expect(chat.text()).toContain('Em chưa đọc được giá này ạ. Chị gõ giá bằng số, ví dụ: 50k');
    expect(chat.text()).not.toContain('Mình đang dở câu hỏi này');
    await chat.send('120k/lọ');
    await afterPrice(chat);
    await chat.tap('Không có OCOP');
    await chat.send('VietGAP');
    await photo(chat, 'a.jpg');
    await chat.tap('Xong');
    await chat.tap('Không'); // not the phone of her profile
    clock.advance(3 * HOUR);
    await chat.send('12345');
    expect(chat.text()).toContain('Số điện thoại chưa đúng. Chị nhập 10 số');
    expect(chat.text()).not.toContain('Mình đang dở câu hỏi này');
  });

  it('a declined productPublishing purpose: told what it means, nothing asked', async () => {
    const { chat } = await memberChat();
    await chat.send('gửi sản phẩm');
    await chat.tap('Không đồng ý');
    expect(chat.text()).toContain('Hội tôn trọng lựa chọn của chị');
    expect(chat.text()).toContain('nhờ cán bộ Hội giới thiệu trực tiếp');
    await chat.send('gửi sản phẩm');
    expect(chat.text()).toContain('Chị đã chọn không đồng ý "Đăng sản phẩm của chị"');
    expect(chat.text()).not.toContain('tên là gì');
  });

  it('no consent to publish anything: the listing stores false and the summary says so', async () => {
    const { chat, member } = await memberChat();
    await reportToSummary(chat, { name: 'Không', commune: 'Không', phone: 'Không' });
    expect(chat.text()).toContain('• Công khai tên chị: Không');
    expect(chat.text()).toContain('• Công khai số điện thoại: Không');
    await chat.tap('Xác nhận');
    const listing = await db.prisma.listing.findFirstOrThrow({ where: { memberId: member.id } });
    expect(listing).toMatchObject({ publishName: false, publishCommune: false, publishPhone: false });
  });
});

describe('drafts', () => {
  it('a report left for a day is offered back and continued where she was, with her photos', async () => {
    const { chat, member } = await memberChat();
    await start(chat);
    await upToOcop(chat);
    await chat.send('120k/lọ');
    await afterPrice(chat);
    await chat.tap('Không có OCOP');
    await chat.send('không');
    await photo(chat, 'a.jpg', 'b.jpg');
    expect(chat.text()).toContain('Đã nhận 2/5 ảnh.');
    const draft = await db.prisma.listingDraft.findUniqueOrThrow({ where: { memberId: member.id } });
    expect(draft.step).toBe('photos');

    clock.advance(DAY + HOUR); // her conversation expired
    await chat.send('gửi sản phẩm');
    expect(chat.text()).toContain('Chị đang gửi dở sản phẩm «Mật ong rừng Định Hóa» (lưu lúc 15:00 02/03/2026)');
    expect(chat.buttons()).toEqual(['Làm tiếp', 'Bắt đầu lại']);
    await chat.tap('Làm tiếp');
    expect(chat.text()).toContain('Đã nhận 2/5 ảnh.');
    await photo(chat, 'c.jpg');
    expect(chat.text()).toContain('Đã nhận 3/5 ảnh.');
    await chat.tap('Xong');
    await chat.tap('Có');
    await chat.tap('Có');
    await chat.tap('Có');
    await chat.tap('Có');
    expect(chat.text()).toContain('• Ảnh: 3 ảnh');
    expect(chat.text()).toContain('• Giá bán: 120.000 đ/lọ');
    await chat.tap('Xác nhận');
    expect(await db.prisma.listing.count({ where: { memberId: member.id } })).toBe(1);
    expect(await db.prisma.listingDraft.count()).toBe(0);
  });

  it('her first message after the conversation expired brings the draft back; a request goes where it asks', async () => {
    const { chat } = await memberChat();
    await start(chat);
    await chat.send('Chè búp Tân Cương');
    clock.advance(DAY + HOUR);
    await chat.send('alo');
    expect(chat.text()).toContain('Chị đang gửi dở sản phẩm «Chè búp Tân Cương»');
    await chat.tap('Làm tiếp');
    expect(chat.text()).toContain('Sản phẩm thuộc nhóm nào ạ?');

    clock.advance(DAY + HOUR);
    await chat.send('sp cua em duyet chua'); // a request: answered, the draft is not pushed on her
    expect(chat.text()).toContain('Chị chưa gửi sản phẩm nào ạ.');
  });

  it('"Bắt đầu lại" discards the draft; cancelling at the summary discards it too', async () => {
    const { chat, member } = await memberChat();
    await start(chat);
    await chat.send('Chè búp Tân Cương');
    await chat.command('menu');
    await chat.send('gửi sản phẩm');
    expect(chat.text()).toContain('Chị đang gửi dở sản phẩm «Chè búp Tân Cương»');
    await chat.tap('Bắt đầu lại');
    expect(chat.text()).toContain('Em đã bỏ bản đang làm dở.');
    expect(chat.text()).toContain('tên là gì');
    expect(await db.prisma.listingDraft.count({ where: { memberId: member.id } })).toBe(0);

    await chat.command('menu');
    const other = await memberChat();
    await reportToSummary(other.chat);
    expect(await db.prisma.listingDraft.count({ where: { memberId: other.member.id } })).toBe(1);
    await other.chat.tap('Hủy');
    expect(await db.prisma.listingDraft.count({ where: { memberId: other.member.id } })).toBe(0);
  });

  it('a draft past its keep time is not offered, and its photos are gone', async () => {
    const { chat, member } = await memberChat();
    await start(chat);
    await chat.send('Mật ong rừng');
    await chat.send('mật ong');
    await chat.tap('Tôi tự làm');
    await chat.tap('Có');
    await chat.tap('Bỏ qua');
    await chat.send('Mật ong nguyên chất');
    await chat.send('100k/lọ');
    await afterPrice(chat);
    await chat.tap('Không có OCOP');
    await chat.send('không');
    await photo(chat, 'a.jpg');
    expect(await db.prisma.storedFile.count({ where: { memberId: member.id } })).toBe(1);

    clock.advance(8 * DAY);
    await rt.products.purgeExpiredDrafts(); // what the hourly job products.draftPurge runs
    expect(await db.prisma.listingDraft.count()).toBe(0);
    expect(await db.prisma.storedFile.count({ where: { memberId: member.id } })).toBe(0);
    await chat.send('gửi sản phẩm');
    expect(chat.text()).not.toContain('gửi dở');
    expect(chat.text()).toContain('tên là gì');
  });
});

/** A listing of hers submitted through the chat; returns its id. */
async function submitted(chat: Chat, member: Member): Promise<number> {
  await reportToSummary(chat);
  await chat.tap('Xác nhận');
  const listing = await db.prisma.listing.findFirstOrThrow({ where: { memberId: member.id }, orderBy: { id: 'desc' } });
  return listing.id;
}

describe('my products', () => {
  it('"sp cua em duyet chua" lists her products with their status; one shows its details and the actions', async () => {
    const { chat, member } = await memberChat();
    const id = await submitted(chat, member);
    await chat.send('sp cua em duyet chua');
    expect(chat.text()).toContain('Sản phẩm chị đã gửi');
    expect(chat.buttons()).toEqual(['Mật ong rừng Định Hóa · 120.000 đ/lọ · Chờ duyệt', 'Về danh sách chính']);
    await chat.tap('Mật ong rừng Định Hóa · 120.000 đ/lọ · Chờ duyệt');
    expect(chat.text()).toContain(`«Mật ong rừng Định Hóa» (số ${id})`);
    expect(chat.text()).toContain('Tình trạng: Chờ duyệt');
    expect(chat.buttons()).toEqual([
      'Sửa giá',
      'Sửa số lượng',
      'Sửa thông tin sản phẩm',
      'Rút sản phẩm',
      'Xem sản phẩm khác',
      'Về danh sách chính',
    ]);

    // Approved by the officer: sold out, available again, a price change (not reviewed: stays approved).
    expect((await rt.products.review(officer, id, { kind: 'approve' })).ok).toBe(true);
    await chat.tap('Xem sản phẩm khác'); // the old page's button: the list is read afresh
    await chat.tap('Mật ong rừng Định Hóa · 120.000 đ/lọ · Đã duyệt');
    expect(chat.buttons()).toContain('Báo hết hàng');
    await chat.tap('Báo hết hàng');
    expect(chat.text()).toContain('Em đã ghi sản phẩm là hết hàng');
    expect(chat.text()).toContain('Tình trạng: Hết hàng');
    await chat.tap('Có hàng trở lại');
    expect(chat.text()).toContain('Tình trạng: Đã duyệt');
    await chat.tap('Sửa giá');
    await chat.send('muoi lam');
    expect(chat.text()).toContain('Em chưa đọc được giá này');
    await chat.send('150k');
    expect(chat.text()).toContain('Em đã cập nhật giá ạ.');
    expect(chat.text()).not.toContain('gửi lại để cán bộ xem');
    expect(chat.text()).toContain('Giá: 150.000 đ/lọ');
    const row = await db.prisma.listing.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'approved', priceVnd: 150_000, soldOut: false });

    // Withdraw: confirmed by name.
    await chat.tap('Rút sản phẩm');
    expect(chat.text()).toContain('Chị chắc chắn muốn rút sản phẩm «Mật ong rừng Định Hóa» không ạ?');
    await chat.tap('Không, giữ lại');
    expect((await db.prisma.listing.findUniqueOrThrow({ where: { id } })).status).toBe('approved');
    await chat.tap('Rút sản phẩm');
    await chat.tap('Rút sản phẩm');
    expect(chat.text()).toContain('Em đã rút sản phẩm «Mật ong rừng Định Hóa» ạ.');
    expect(chat.text()).toContain('Tình trạng: Đã rút');
    expect((await db.prisma.listing.findUniqueOrThrow({ where: { id } })).status).toBe('withdrawn');
  });

  it('her productPublishing consent withdrawn: an approved listing says it is no longer published, and how to publish it', async () => {
    const { chat, member } = await memberChat();
    const id = await submitted(chat, member);
    expect((await rt.products.review(officer, id, { kind: 'approve' })).ok).toBe(true);
    await rt.features.consent.decide(member, 'productPublishing', false, clock.now());
    await chat.send('sp cua em duyet chua');
    const line =
      'Mật ong rừng Định Hóa · 120.000 đ/lọ · Đã duyệt — không còn được đăng vì chị đã rút đồng ý đăng sản phẩm';
    expect(chat.buttons()).toContain(line);
    await chat.tap(line);
    expect(chat.text()).toContain('Tình trạng: Đã duyệt — không còn được đăng');
    expect(chat.text()).toContain('Muốn đăng lại, chị chọn "Quyền dùng dữ liệu" trong menu');
  });

  it('"hết rồi" at the quantity marks it sold out; "50-60k" asks for one price; "150k each" is per piece', async () => {
    const { chat, member } = await memberChat();
    const id = await submitted(chat, member);
    expect((await rt.products.review(officer, id, { kind: 'approve' })).ok).toBe(true);
    await chat.send('sp cua em duyet chua');
    await chat.tap('Mật ong rừng Định Hóa · 120.000 đ/lọ · Đã duyệt');
    await chat.tap('Sửa số lượng');
    await chat.send('hết rồi em ơi');
    expect(chat.text()).toContain('Em đã ghi sản phẩm là hết hàng');
    expect(chat.text()).toContain('Tình trạng: Hết hàng');
    expect(await db.prisma.listing.findUniqueOrThrow({ where: { id } })).toMatchObject({
      soldOut: true,
      quantity: 'khoảng 50 lọ',
    });
    await chat.tap('Sửa giá');
    await chat.send('50-60k');
    expect(chat.text()).toContain('Chị cho em MỘT giá thôi ạ');
    await chat.send('150k each');
    expect(chat.text()).toContain('Giá: 150.000 đ/cái');
  });

  it('after "ask for changes" on the quantity, its current value is kept with "Có": nothing is wiped', async () => {
    const { chat, member } = await memberChat();
    const id = await submitted(chat, member);
    await db.prisma.listing.update({ where: { id }, data: { season: 'Tháng 4' } });
    const decided = await rt.products.review(officer, id, { kind: 'changes', fields: ['quantity'], message: 'Ghi rõ' });
    expect(decided.ok).toBe(true);
    await chat.send(`sửa sản phẩm ${id}`);
    expect(chat.text()).toContain('Số lượng có bán: khoảng 50 lọ — đúng không ạ?');
    await chat.tap('Không');
    await chat.send('khoảng 80 lọ');
    expect(chat.text()).toContain('Mùa vụ: Tháng 4 — đúng không ạ?');
    await chat.tap('Có');
    expect(chat.text()).toContain('• Mùa vụ: Tháng 4');
    await chat.tap('Xác nhận');
    expect(await db.prisma.listing.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'pending',
      quantity: 'khoảng 80 lọ',
      season: 'Tháng 4',
    });
  });

  it('an approved listing: she edits any field; told before and after whether it goes back for review', async () => {
    const { chat, member } = await memberChat();
    const id = await submitted(chat, member);
    expect((await rt.products.review(officer, id, { kind: 'approve' })).ok).toBe(true);
    // The season (not reviewed): it stays published.
    await chat.send(`sửa sản phẩm ${id}`);
    expect(chat.text()).toContain('Chị sửa thông tin sản phẩm «Mật ong rừng Định Hóa»');
    expect(chat.text()).toContain('tạm ngừng đăng cho đến khi cán bộ Hội duyệt lại');
    expect(chat.text()).not.toContain('hiện không cần sửa');
    await chat.tap('Sửa thông tin');
    await chat.tap('Mùa vụ');
    await chat.send('Tháng 4 đến tháng 6');
    expect(chat.text()).toContain('• Mùa vụ: Tháng 4 đến tháng 6');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Sản phẩm vẫn được đăng như cũ, không cần duyệt lại');
    expect(await db.prisma.listing.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'approved',
      season: 'Tháng 4 đến tháng 6',
    });
    // The description (reviewed), from "my products": back for review, and she is told.
    await chat.tap('Sửa thông tin sản phẩm');
    await chat.tap('Sửa thông tin');
    await chat.tap('Mô tả');
    await chat.send('Mật ong hoa bạc hà, lọ thủy tinh 500 ml');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('sản phẩm tạm ngừng đăng và được gửi lại để cán bộ Hội duyệt');
    expect(await db.prisma.listing.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'pending',
      description: 'Mật ong hoa bạc hà, lọ thủy tinh 500 ml',
    });
    expect(await db.prisma.listingDraft.count()).toBe(0);
  });

  it('after "ask for changes" she edits only the fields named and resubmits (button and typed)', async () => {
    const { chat, member } = await memberChat();
    const id = await submitted(chat, member);
    const decided = await rt.products.review(officer, id, {
      kind: 'changes',
      fields: ['name', 'price'],
      message: 'Chị ghi rõ khối lượng trong tên và giá mỗi lọ',
    });
    expect(decided.ok).toBe(true);
    await chat.deliver({ kind: 'choice', data: `!lmedit:${id}` });
    expect(chat.text()).toContain('Chị sửa sản phẩm «Mật ong rừng Định Hóa» theo góp ý của cán bộ');
    // Each field named shows its current value, to keep or change.
    expect(chat.text()).toContain('Tên sản phẩm: Mật ong rừng Định Hóa — đúng không ạ?');
    await chat.tap('Không');
    expect(chat.text()).toContain('tên là gì');
    await chat.send('Mật ong rừng Định Hóa lọ 500 ml');
    expect(chat.text()).toContain('Giá bán: 120.000 đ/lọ — đúng không ạ?');
    await chat.tap('Không');
    expect(chat.text()).toContain('Giá bán bao nhiêu ạ?');
    await chat.send('130.000đ / lọ 500ml');
    // Nothing else is asked: the summary.
    expect(chat.text()).toContain('• Tên sản phẩm: Mật ong rừng Định Hóa lọ 500 ml');
    expect(chat.text()).toContain('• Giá bán: 130.000 đ/lọ 500ml');
    expect(chat.text()).toContain('• Ảnh: 1 ảnh');
    await chat.tap('Xác nhận');
    expect(chat.text()).toContain('Em đã gửi lại sản phẩm «Mật ong rừng Định Hóa lọ 500 ml» để cán bộ Hội xem lại');
    const row = await db.prisma.listing.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'pending', priceVnd: 130_000, unit: 'lọ 500ml', hamlet: 'Xóm Bãi' });

    // Typed, on the listing waiting for review: she may change anything, the officer sees the new version.
    await chat.send(`sửa sản phẩm ${id}`);
    expect(chat.text()).toContain('Chị sửa thông tin sản phẩm «Mật ong rừng Định Hóa lọ 500 ml» trong lúc chờ duyệt');
    // Withdrawn: nothing to change.
    await chat.send('hủy');
    expect((await rt.products.withdraw(member, id)).ok).toBe(true);
    await chat.send(`sửa sản phẩm ${id}`);
    expect(chat.text()).toContain('hiện không cần sửa');
  });
});

describe('her consents, truthfully', () => {
  it('"Tìm hiểu thêm" says who sees what: products go public once approved, photos of a product too', async () => {
    const { chat } = await memberChat();
    await chat.send('gửi sản phẩm');
    await chat.tap('Tìm hiểu thêm');
    const publishing = chat.text();
    expect(publishing).toContain('Đăng sản phẩm của chị');
    expect(publishing).toContain('mọi người xem được sản phẩm của chị trên danh mục sản phẩm công khai');
    expect(publishing).toContain('chỉ những gì chị chọn công khai');
    expect(publishing).not.toContain('Chỉ cán bộ Hội phụ trách mới xem được');
    await chat.tap('Đồng ý');
    await chat.tap('Tìm hiểu thêm'); // the photos purpose, asked next
    const photos = chat.text();
    expect(photos).toContain('Lưu ảnh chị gửi');
    expect(photos).toContain('cán bộ Hội phụ trách xem ảnh chị gửi kèm yêu cầu');
    expect(photos).toContain('sau khi cán bộ duyệt thì ảnh được công khai');
    expect(photos).not.toContain('Chỉ cán bộ Hội phụ trách mới xem được');
  });

  it('every purpose says who sees it, in both languages; only products and photos speak of the public', async () => {
    const localisation = createLocalisation();
    for (const language of ['vi', 'en'] as const) {
      const t = localisation.translator(language);
      for (const p of CONSENT_PURPOSES) {
        const who = t(p.who);
        expect(who, `${language} ${p.id}`).not.toBe(p.who);
        const isPublic = /công khai|public/.test(who);
        expect(isPublic, `${language} ${p.id}`).toBe(p.id === 'productPublishing' || p.id === 'photos');
      }
    }
  });

  it('withdrawing productPublishing says her approved products leave the catalogue; giving it again, they return', async () => {
    const { chat, member } = await memberChat();
    const id = await submitted(chat, member);
    await chat.command('menu');
    await chat.tap('Quyền dùng dữ liệu');
    await chat.tap('Đăng sản phẩm của chị');
    await chat.tap('Có');
    expect(chat.text()).toContain('Đã rút lại sự đồng ý: Đăng sản phẩm của chị');
    expect(chat.text()).not.toContain('danh mục'); // nothing approved yet: nothing to say about the catalogue
    await chat.tap('Quyền dùng dữ liệu');
    await chat.tap('Đăng sản phẩm của chị');
    await chat.tap('Có');
    expect(chat.text()).not.toContain('danh mục');
    expect((await rt.products.review(officer, id, { kind: 'approve' })).ok).toBe(true);
    expect(await rt.products.publicOne(id)).not.toBeNull();
    await chat.command('menu');
    await chat.tap('Quyền dùng dữ liệu');
    await chat.tap('Đăng sản phẩm của chị');
    await chat.tap('Có');
    expect(chat.text()).toContain('Sản phẩm đã duyệt của chị (1) không còn hiện trên danh mục sản phẩm công khai');
    expect(await rt.products.publicOne(id)).toBeNull();
    await chat.tap('Quyền dùng dữ liệu');
    await chat.tap('Đăng sản phẩm của chị');
    await chat.tap('Có');
    expect(chat.text()).toContain('Đã ghi nhận chị đồng ý: Đăng sản phẩm của chị');
    expect(chat.text()).toContain('Sản phẩm đã duyệt của chị (1) hiện lại trên danh mục sản phẩm công khai');
    expect(await rt.products.publicOne(id)).not.toBeNull();
  });
});

describe('reporting a problem with a published listing', () => {
  it('anyone, by the number: the name to confirm, the kind, her words; rate-limited', async () => {
    const seller = await memberChat();
    const id = await submitted(seller.chat, seller.member);
    // Not published yet: said clearly.
    const { chat: buyer } = await memberChat({ consentAt: null, optedOutAt: clock.now() }); // declined consent
    await buyer.send(`báo sai sản phẩm ${id}`);
    expect(buyer.text()).toContain(`Không có sản phẩm số ${id} đang được giới thiệu`);
    await rt.products.review(officer, id, { kind: 'approve' });

    await buyer.send(`bao sai san pham ${id}`);
    expect(buyer.text()).toContain(`Sản phẩm số ${id} là «Mật ong rừng Định Hóa», đúng không ạ?`);
    await buyer.tap('Có');
    expect(buyer.buttons()).toEqual(['Thông tin sai', 'Đã hết hàng', 'Nghi không an toàn']);
    await buyer.tap('Đã hết hàng');
    await buyer.send('Tôi gọi thì chị ấy bảo hết hàng từ tuần trước');
    expect(buyer.text()).toContain('Cảm ơn chị đã báo ạ.');
    const report = await db.prisma.listingReport.findFirstOrThrow({ where: { listingId: id } });
    expect(report).toMatchObject({ kind: 'soldOut', text: 'Tôi gọi thì chị ấy bảo hết hàng từ tuần trước' });

    // The same listing again the same day: rate-limited, said before anything is asked.
    await buyer.send(`báo sai sản phẩm ${id}`);
    expect(buyer.text()).toContain('Hôm nay chị đã báo nhiều lần rồi ạ');
    expect(buyer.text()).not.toContain('đúng không ạ?');
    expect(await db.prisma.listingReport.count({ where: { listingId: id } })).toBe(1);

    // Refused at the end (withdrawn while she typed): her words are given back.
    const other = await memberChat();
    await other.chat.send(`báo sai sản phẩm ${id}`);
    await other.chat.tap('Có');
    await other.chat.tap('Thông tin sai');
    expect((await rt.products.withdraw(seller.member, id)).ok).toBe(true);
    await other.chat.send('Giá ghi sai, thực ra 200k');
    expect(other.chat.text()).toContain('Sản phẩm này hiện không còn được giới thiệu nữa');
    expect(other.chat.text()).toContain('Chị đã viết: «Giá ghi sai, thực ra 200k»');
  });

  it('from the menu item (members who did not consent too): asks the number first', async () => {
    const { chat: buyer } = await memberChat({ consentAt: null, optedOutAt: clock.now() }); // declined consent
    await buyer.send('xin chào');
    expect(buyer.buttons()).toContain('Báo sai thông tin sản phẩm');
    await buyer.tap('Báo sai thông tin sản phẩm');
    expect(buyer.text()).toContain('Chị gõ số của sản phẩm');
    await buyer.send('999');
    expect(buyer.text()).toContain('Không có sản phẩm số 999 đang được giới thiệu');
  });
});

describe('the greeting and the help', () => {
  it('promise products again', async () => {
    const chat = new Chat(rt.bot, `new${++seq}`, 'console');
    await chat.send('alo');
    expect(chat.text()).toContain('gửi sản phẩm để Hội giới thiệu ở cửa hàng và trên mạng');
    const { chat: member } = await memberChat();
    await member.send('giúp');
    expect(member.text()).toContain('gửi sản phẩm của chị để Hội giới thiệu (kèm ảnh)');
    expect(member.buttons()).toEqual(
      expect.arrayContaining(['Gửi sản phẩm', 'Sản phẩm của tôi', 'Báo sai thông tin sản phẩm']),
    );
  });
});
