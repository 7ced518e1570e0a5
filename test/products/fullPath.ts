// The full path of a product listing, as the member and the officer live it, written once and played on each channel
// (console.e2e, telegram.e2e, zalo-oa.e2e): she reports a product with two photos → the officer of her commune gets
// the summary, the photos and the buttons → asks for changes (the price) → she edits the price and sends it again →
// the officer approves → she is told, and the listing is published. Each channel gives a Party per person: how she
// types, taps and sends photos there, and what she was shown.
import { expect } from 'vitest';
import type { Runtime } from '../../src/wiring.ts';

export interface Party {
  /** Types a message. */
  say(text: string): Promise<void>;
  /** Taps the button with this label among what she was shown last (the latest such button). */
  tap(label: string): Promise<void>;
  /** Sends `count` photos, one message each. */
  photos(count: number): Promise<void>;
  /** Everything she was shown since the last call (texts, captions, buttons' labels, in order), as one text. */
  shown(): Promise<string>;
  /** How many photos she was shown since the last call of photosShown (uploaded ones, on Telegram and Zalo). */
  photosShown(): Promise<number>;
}

/** A member of Dân Tiến through first contact and her profile (name, commune, phone), at the menu. */
export async function memberWithProfile(member: Party): Promise<void> {
  await member.say('alo');
  await member.tap('Tiếng Việt');
  await member.tap('Đồng ý');
  await member.say('Nguyễn Thị Lan');
  await member.say('Dan Tien');
  await member.say('0912345678');
  await member.tap('Xác nhận');
  await member.shown();
}

/** The whole path; `officer` is linked to Dân Tiến, `member` is at the menu with her profile. */
export async function reportChangesResubmitApprove(rt: Runtime, member: Party, officer: Party): Promise<void> {
  // —— Her report ——
  await member.tap('Gửi sản phẩm');
  await member.say('đồng ý'); // publishing her products
  await member.say('đồng ý'); // storing her photos
  await member.shown();
  await member.say('Mật ong rừng Định Hóa');
  // Her product's name also reads as "I want to sell…": she says it is her answer.
  if ((await member.shown()).includes('Đó là câu trả lời của tôi')) await member.tap('Đó là câu trả lời của tôi');
  for (const answer of ['Thực phẩm', 'Hộ gia đình', 'đúng', 'Xóm Đồng', 'Mật ong nuôi dưới tán rừng keo']) {
    await member.say(answer);
  }
  await member.say('150k/chai');
  for (const answer of ['bỏ qua', '200 chai', 'quanh năm', 'Không có OCOP', 'không']) await member.say(answer);
  await member.shown();
  await member.photos(2);
  expect(await member.shown()).toContain('Đã nhận 2/5 ảnh');
  await member.say('xong');
  for (const answer of ['đúng', 'có', 'có', 'không']) await member.say(answer);
  const summary = await member.shown();
  expect(summary).toContain('Giá bán: 150.000 đ/chai');
  expect(summary).toContain('Ảnh: 2 ảnh');
  await member.tap('Xác nhận');
  expect(await member.shown()).toContain('Em đã gửi sản phẩm «Mật ong rừng Định Hóa»');
  const listing = await rt.db.listing.findFirstOrThrow({ where: { name: 'Mật ong rừng Định Hóa' } });
  expect(listing.status).toBe('pending');

  // —— The officer's notice: the summary, both photos, the three buttons ——
  const notice = await officer.shown();
  expect(notice).toContain('gửi một sản phẩm để Hội duyệt');
  expect(notice).toContain('150.000 đ');
  expect(notice).toContain('Ảnh 1/2');
  expect(await officer.photosShown()).toBe(2);
  await officer.tap('Đề nghị sửa');
  expect(await officer.shown()).toContain('chị muốn hội viên sửa những mục nào?');
  await officer.tap('Đơn vị, quy cách, giá');
  await officer.tap('Xong');
  await officer.say('Chị ghi giá theo chai 500 ml giúp em nhé');
  expect(await officer.shown()).toContain(`Đã gửi yêu cầu sửa sản phẩm #${listing.id} cho hội viên`);

  // —— She is told, in her words, and edits the price ——
  const told = await member.shown();
  expect(told).toContain('Chị ghi giá theo chai 500 ml giúp em nhé');
  expect(told).toContain('giá và đơn vị bán');
  await member.tap('Sửa sản phẩm');
  // The price named shows its current value, to keep or change.
  expect(await member.shown()).toContain('— đúng không ạ?');
  await member.tap('Không');
  expect(await member.shown()).toContain('Giá bán bao nhiêu ạ?');
  await member.say('180k/chai');
  // Only what the officer named is asked again (the packaging too, should the form ask it with the price); the rest
  // is kept as it was.
  let again = await member.shown();
  if (again.includes('Sản phẩm được đóng gói thế nào ạ?')) {
    await member.say('bỏ qua');
    again = await member.shown();
  }
  expect(again).toContain('Giá bán: 180.000 đ/chai');
  expect(again).toContain('Tên sản phẩm: Mật ong rừng Định Hóa');
  expect(again).toContain('Ảnh: 2 ảnh');
  await member.tap('Xác nhận');
  await member.shown();
  expect((await rt.db.listing.findUniqueOrThrow({ where: { id: listing.id } })).status).toBe('pending');

  // —— The officer gets the resubmission (what changed) and approves ——
  const resubmitted = await officer.shown();
  expect(resubmitted).toContain('gửi lại để duyệt');
  expect(resubmitted).toContain('180.000 đ');
  await officer.tap('Duyệt');
  expect(await officer.shown()).toContain(`Đã duyệt sản phẩm #${listing.id}`);

  expect(await member.shown()).toContain('Sản phẩm «Mật ong rừng Định Hóa» đã được Hội duyệt');
  const approved = await rt.db.listing.findUniqueOrThrow({ where: { id: listing.id } });
  expect(approved.status).toBe('approved');
  expect(approved.priceVnd).toBe(180_000);
  const published = await rt.products.published({ page: 1, perPage: 10 });
  expect(published.items.map((l) => [l.name, l.priceVnd, l.photos.length])).toEqual([
    ['Mật ong rừng Định Hóa', 180_000, 2],
  ]);
  // Every review case of the listing is closed: the first "done" (changes asked), the second approved.
  const cases = await rt.db.case.findMany({ where: { type: 'product_report' }, orderBy: { id: 'asc' } });
  expect(cases.map((c) => c.status)).toEqual(['done', 'approved']);
}
