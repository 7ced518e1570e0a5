// The officers' review in the chat (src/features/products/review.ts) on the real runtime: listings submitted through
// the products service, officers linked by invitation codes, the decision buttons and their typed forms, the "ask for
// changes" and "reject" conversations, the product cases in the officer's case view, and every refusal — a member, an
// officer of another commune, a forged or old button — said before any question, with nothing changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, OutboundMessage } from '../../../src/conversation/messages.ts';
import type { Member } from '../../../src/domain/member.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { deliveryFrom } from '../../helpers/fakes.ts';
import { consentToPublishing, DAN_TIEN, PHAN_DINH_PHUNG, submitted } from '../../helpers/products.ts';

let db: FreshDatabase;
let rt: Runtime;
/** Everything pushed, per channel user ("telegram:lan"). */
let pushed: Map<string, OutboundMessage[]>;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, new TestClock(new Date('2026-03-02T08:00:00Z')));
  pushed = new Map();
  for (const channel of ['telegram', 'zalo'] as ChannelName[]) {
    rt.bot.connect(
      channel,
      deliveryFrom(async (to, messages) => {
        const key = `${to.channel}:${to.userId}`;
        pushed.set(key, [...(pushed.get(key) ?? []), ...messages]);
        return 'sent';
      }),
    );
  }
});
afterEach(async () => {
  await rt.jobs.stop();
  await db.close();
});

async function officer(userId: string, areas: string[], language: 'vi' | 'en' = 'vi'): Promise<Chat> {
  const { code } = await rt.features.invitations.create({ role: 'officer', areas, createdBy: 'cli', ttlHours: 72 });
  const chat = new Chat(rt.bot, userId, 'telegram');
  await chat.send(code);
  const row = (await rt.members.findByChannelUser('telegram', userId))!;
  await rt.members.update(row.id, { displayName: `Cán bộ ${userId}`, language });
  return chat;
}

/** A member of Dân Tiến who consented to publishing (not in a chat: her listings are submitted by the service). */
async function seller(language: 'vi' | 'en' = 'vi'): Promise<Member> {
  const created = await rt.members.create({ channel: 'zalo', channelUserId: `s${++seq}`, language });
  const m = await rt.members.update(created.id, {
    displayName: 'Lan',
    communeCode: DAN_TIEN,
    consentAt: new Date(),
    lastInboundAt: new Date(),
  });
  // Her basic consent as first contact gives it today: with announcements (issue 14), so she is not asked about them.
  await rt.features.consent.decide(m, 'announcements', true, new Date());
  await consentToPublishing(rt, m);
  return m;
}

/** A member chatting on Zalo, through first contact. */
async function memberChat(userId: string): Promise<Chat> {
  const chat = new Chat(rt.bot, userId, 'zalo');
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  return chat;
}

const statusOf = async (id: number) => (await rt.db.listing.findUniqueOrThrow({ where: { id } })).status;
const caseOf = (id: number) => rt.db.case.findUniqueOrThrow({ where: { id } });
/** Taps an action button as a forged or old callback would: its data, whatever she was shown. */
const forged = (chat: Chat, action: string) => chat.deliver({ kind: 'choice', data: `!${action}` });
const textOf = (messages: readonly OutboundMessage[] | undefined) =>
  (messages ?? []).map((m) => (m.kind === 'photo' ? `[photo ${m.ref}] ${m.caption ?? ''}` : m.text)).join('\n');

describe('the decision buttons', () => {
  it('approve decides at once and closes the case; a second decision is told who decided first', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const mai = await officer('mai', [DAN_TIEN]);
    const { id, caseId } = await submitted(rt, await seller());
    await lan.send(`duyet sp ${id}`);
    expect(lan.text()).toContain(`Đã duyệt sản phẩm #${id}`);
    expect(await statusOf(id)).toBe('approved');
    expect((await caseOf(caseId)).status).toBe('approved');

    await mai.send(`tu choi sp ${id}`);
    expect(mai.text()).toContain(`Sản phẩm #${id} đã được Cán bộ lan xử lý trước (trạng thái: Đã đăng)`);
    expect(mai.text()).not.toContain('lý do');
    expect(await statusOf(id)).toBe('approved');
  });

  it('ask for changes: parts picked one by one (each stays, ticked), Xong, the message; the member is told', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const owner = await seller();
    const { id } = await submitted(rt, owner);
    await forged(lan, `lchg:${id}`);
    expect(lan.text()).toContain(`Sản phẩm #${id}: chị muốn hội viên sửa những mục nào?`);
    expect(lan.buttons()).toContain('Tên sản phẩm');
    expect(lan.buttons()).not.toContain('Xong');
    await lan.tap('Đơn vị, quy cách, giá');
    expect(lan.text()).toContain('Đã chọn: Đơn vị, quy cách, giá.');
    // The list keeps its order: the picked part stays where it was, ticked; tapping it again unpicks it.
    expect(lan.buttons().slice(4, 7)).toEqual([
      'Mô tả, câu chuyện sản phẩm',
      '✓ Đơn vị, quy cách, giá',
      'Số lượng, mùa vụ',
    ]);
    await lan.tap('Tên sản phẩm');
    await lan.tap('✓ Tên sản phẩm');
    expect(lan.text()).toContain('Đã chọn: Đơn vị, quy cách, giá.');
    await lan.send('ảnh sản phẩm'); // typed: a label, accents and case as she likes
    expect(lan.text()).toContain('Đã chọn: Đơn vị, quy cách, giá, Ảnh sản phẩm.');
    await lan.tap('Xong');
    expect(lan.text()).toContain('Chị nhắn cho hội viên cần sửa gì (mục đã chọn: Đơn vị, quy cách, giá, Ảnh sản phẩm)');
    await lan.send('Chị ghi giá theo hũ 500ml và chụp rõ nhãn giúp em nhé');
    expect(lan.text()).toContain(`Đã gửi yêu cầu sửa sản phẩm #${id} cho hội viên`);
    const row = await rt.db.listing.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('changes');
    expect(row.reviewNote).toBe('Chị ghi giá theo hũ 500ml và chụp rõ nhãn giúp em nhé');
    const told = textOf(pushed.get(`zalo:${owner.channelUserId}`));
    expect(told).toContain('Chị ghi giá theo hũ 500ml và chụp rõ nhãn giúp em nhé');
  });

  it('ask for changes typed by numbers (no buttons): the numbers keep their part, several at once, re-picking unpicks', async () => {
    const { code } = await rt.features.invitations.create({
      role: 'officer',
      areas: [DAN_TIEN],
      createdBy: 'cli',
      ttlHours: 72,
    });
    const hoa = new Chat(rt.bot, 'hoa', 'zalo');
    await hoa.send(code);
    const owner = await seller();
    const { id } = await submitted(rt, owner);
    await hoa.send(`de nghi sua sp ${id}`);
    expect(hoa.text()).toContain('gõ nhiều số một lúc');
    await hoa.send('3'); // Người/đơn vị sản xuất
    await hoa.send('6'); // a number from the first list: still Đơn vị, quy cách, giá
    expect(hoa.text()).toContain('Đã chọn: Người/đơn vị sản xuất, Đơn vị, quy cách, giá.');
    await hoa.send('5, 7');
    expect(hoa.text()).toContain(
      'Đã chọn: Người/đơn vị sản xuất, Mô tả, câu chuyện sản phẩm, Đơn vị, quy cách, giá, Số lượng, mùa vụ.',
    );
    await hoa.send('3'); // picked again: unpicked
    await hoa.send('5 và 9'); // 5 is already picked: stays; 9 is added
    expect(hoa.text()).toContain(
      'Đã chọn: Mô tả, câu chuyện sản phẩm, Đơn vị, quy cách, giá, Số lượng, mùa vụ, Ảnh sản phẩm.',
    );
    await hoa.send('1 2'); // two more, without a comma
    await hoa.send('tên sản phẩm'); // a name: toggles it off again
    await hoa.send('Xong');
    expect(hoa.text()).toContain(
      'mục đã chọn: Nhóm sản phẩm, Mô tả, câu chuyện sản phẩm, Đơn vị, quy cách, giá, Số lượng, mùa vụ, Ảnh sản phẩm',
    );
    await hoa.send('Chị bổ sung giúp em nhé');
    const row = await rt.db.listing.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('changes');
    expect(JSON.parse(JSON.stringify(row.changeFields))).toEqual([
      'productGroup',
      'description',
      'price',
      'quantity',
      'photos',
    ]);
    const told = textOf(pushed.get(`zalo:${owner.channelUserId}`));
    // Exactly what she picked, in the member's words.
    expect(told).toContain('Phần cần sửa: nhóm sản phẩm, mô tả, giá và đơn vị bán, số lượng và mùa vụ, ảnh.');
  });

  it('reject asks the reason; a decision made meanwhile wins and her words are given back', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const mai = await officer('mai', [DAN_TIEN]);
    const { id } = await submitted(rt, await seller());
    await lan.send(`tu choi sp ${id}`);
    expect(lan.text()).toContain(`Chị ghi lý do từ chối sản phẩm #${id}`);
    await forged(mai, `lok:${id}`);
    await lan.send('Sản phẩm chưa có giấy an toàn thực phẩm');
    expect(lan.text()).toContain('xử lý trước');
    expect(lan.text()).toContain('Sản phẩm chưa có giấy an toàn thực phẩm');
    expect(await statusOf(id)).toBe('approved');
  });

  it('a rejection reaches an English-speaking member in English; English officers type English forms', async () => {
    const ann = await officer('ann', [DAN_TIEN], 'en');
    const owner = await seller('en');
    const { id } = await submitted(rt, owner);
    await ann.send(`reject product ${id}`);
    expect(ann.text()).toContain(`Write the reason for rejecting product #${id}`);
    await ann.send('No food-safety certificate yet');
    expect(ann.text()).toContain(`Product #${id} rejected.`);
    const told = textOf(pushed.get(`zalo:${owner.channelUserId}`));
    expect(told).toContain('No food-safety certificate yet');
    expect(told).not.toMatch(/sản phẩm|Chị/);
  });

  it('view shows the listing, its photos and the buttons while pending; none once decided', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const { id, fileIds } = await submitted(rt, await seller());
    await lan.send(`xem sp ${id}`);
    const photos = lan.last.flatMap((m) => (m.kind === 'photo' ? [m] : []));
    expect(photos.map((m) => m.ref)).toEqual(fileIds.map((f) => `stored:${f}`));
    expect(photos[0]?.caption).toBe(`Ảnh 1/2 — sản phẩm #${id}`);
    expect(lan.text()).toContain(`Sản phẩm #${id}: Mật ong rừng`);
    expect(lan.text()).toContain('Mật ong nuôi dưới tán rừng keo.');
    expect(lan.buttons().slice(0, 3)).toEqual(['Duyệt', 'Đề nghị sửa', 'Từ chối']);
    await lan.send(`duyet sp ${id}`);
    await lan.send(`xem sp ${id}`);
    expect(lan.buttons()).not.toContain('Duyệt');
  });
});

describe('who may decide (checked before anything is asked)', () => {
  it('a member: forged buttons and typed forms refused, nothing asked, nothing decided', async () => {
    const { id } = await submitted(rt, await seller());
    const hoa = await memberChat('hoa');
    await forged(hoa, `lok:${id}`);
    expect(hoa.text()).toContain('Chức năng duyệt sản phẩm chỉ dành cho cán bộ Hội.');
    await hoa.send(`tu choi sp ${id}`);
    expect(hoa.text()).toContain('Chức năng duyệt sản phẩm chỉ dành cho cán bộ Hội.');
    await forged(hoa, `lchg:${id}`);
    expect(hoa.text()).not.toContain('sửa những mục nào');
    await forged(hoa, `lview:${id}`);
    expect(hoa.text()).not.toContain('Mật ong');
    expect(await statusOf(id)).toBe('pending');
  });

  it('an officer of another commune: not her area, before any question, for the listing and for its case', async () => {
    const lan = await officer('lan', [PHAN_DINH_PHUNG]);
    const { id, caseId } = await submitted(rt, await seller());
    await forged(lan, `lrej:${id}`);
    expect(lan.text()).toContain(`Sản phẩm #${id} không thuộc địa bàn chị phụ trách.`);
    expect(lan.text()).not.toContain('lý do');
    await lan.send(`de nghi sua sp ${id}`);
    expect(lan.text()).toContain('không thuộc địa bàn');
    await lan.send(`duyet ${caseId}`);
    await forged(lan, `approve:${caseId}`);
    await forged(lan, `view:${caseId}`);
    expect(lan.text()).not.toContain('Mật ong');
    expect(await statusOf(id)).toBe('pending');
    expect((await caseOf(caseId)).status).toBe('open');
  });

  it('a made-up id or a mangled argument changes nothing and gets a clear answer', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const { id } = await submitted(rt, await seller());
    await forged(lan, 'lok:99999');
    expect(lan.text()).toContain('Không tìm thấy sản phẩm #99999.');
    await forged(lan, `lok:${id}abc`);
    expect(lan.text()).toContain('Nút này thuộc câu hỏi trước');
    await forged(lan, 'lchg:-1');
    expect(lan.text()).toContain('Nút này thuộc câu hỏi trước');
    expect(await statusOf(id)).toBe('pending');
  });
});

describe("product cases in the officer's case list and case view", () => {
  it('a review case shows the listing with photos and its own buttons; the generic approve decides the listing', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const { id, caseId } = await submitted(rt, await seller());
    await lan.tap('Yêu cầu cần xử lý');
    expect(lan.text()).toContain(`#${caseId}`);
    expect(lan.text()).toContain('Giới thiệu sản phẩm');
    await forged(lan, `view:${caseId}`);
    expect(lan.last.filter((m) => m.kind === 'photo')).toHaveLength(2);
    expect(lan.text()).toContain(`Sản phẩm #${id}: Mật ong rừng`);
    await forged(lan, `claim:${caseId}`);
    // The case card has claim/reply only; the decisions are the listing's.
    expect(lan.buttons()).toContain('Duyệt');
    expect(lan.buttons()).toContain('Đề nghị sửa');
    const decisionLabels = lan.last.flatMap((m) =>
      m.kind === 'choices' ? m.choices.filter((c) => c.data.startsWith('!approve:')) : [],
    );
    expect(decisionLabels).toEqual([]);
    // An old generic button (or "duyet <case>") decides the listing, never only the case.
    await forged(lan, `approve:${caseId}`);
    expect(lan.text()).toContain(`Đã duyệt sản phẩm #${id}`);
    expect(await statusOf(id)).toBe('approved');
    expect((await caseOf(caseId)).status).toBe('approved');
  });

  it("the generic reject on a review case asks the listing's reason and rejects the listing", async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const { id, caseId } = await submitted(rt, await seller());
    await lan.send(`tu choi ${caseId}`);
    expect(lan.text()).toContain(`Chị ghi lý do từ chối sản phẩm #${id}`);
    await lan.send('Ảnh chưa rõ sản phẩm');
    expect(await statusOf(id)).toBe('rejected');
    expect((await caseOf(caseId)).status).toBe('rejected');
  });

  it('a problem report case shows the listing, the kind and the text, with done and a way to open it', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const other = await officer('mai', [PHAN_DINH_PHUNG]);
    const { id } = await submitted(rt, await seller());
    await lan.send(`duyet sp ${id}`);
    const reporter = await seller();
    const report = await rt.transactor.run(() =>
      rt.products.reportProblem(reporter, id, 'wrongInfo', 'Giá ghi sai, thực tế 200.000đ'),
    );
    if (!report.ok) throw new Error(JSON.stringify(report.refusal));
    const caseId = report.report.caseId!;
    await forged(lan, `view:${caseId}`);
    expect(lan.text()).toContain(`Báo lỗi về sản phẩm #${id}: Mật ong rừng (Đã đăng)`);
    expect(lan.text()).toContain('Loại: Thông tin không đúng');
    expect(lan.text()).toContain('Nội dung người báo: Giá ghi sai, thực tế 200.000đ');
    expect(lan.buttons()).toContain(`Xem sản phẩm #${id}`);
    expect(lan.buttons()).toContain('Nhận xử lý');
    // Another commune's officer neither sees it in her list nor opens it.
    await other.tap('Yêu cầu cần xử lý');
    expect(other.text()).not.toContain(`#${caseId}`);
    await forged(other, `view:${caseId}`);
    expect(other.text()).not.toContain('Giá ghi sai');
  });

  it("is not the owner's request: not in her requests, and she is not told when it is taken or closed", async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const owner = await seller();
    const { id } = await submitted(rt, owner);
    await lan.send(`duyet sp ${id}`);
    const reporter = await seller();
    const report = await rt.transactor.run(() => rt.products.reportProblem(reporter, id, 'unsafe', null));
    if (!report.ok) throw new Error(JSON.stringify(report.refusal));
    const caseId = report.report.caseId!;
    pushed.clear();
    await forged(lan, `claim:${caseId}`);
    expect(lan.text()).toContain(`Chị đã nhận yêu cầu #${caseId}.`);
    await lan.send(`xong ${caseId}`);
    expect(lan.text()).toContain('chỉ cán bộ đọc được: người có sản phẩm không được báo về báo lỗi này');
    await lan.tap('Bỏ qua');
    expect(lan.text().split('\n')[0]).toBe(`Đã đóng yêu cầu #${caseId}.`);
    expect((await caseOf(caseId)).status).toBe('done');
    // Nothing went to the owner about a report she never made.
    expect(textOf(pushed.get(`zalo:${owner.channelUserId}`))).toBe('');
    const chat = new Chat(rt.bot, owner.channelUserId, 'zalo');
    await chat.send('menu');
    await chat.tap('Yêu cầu của tôi');
    // Her own review case is there; the report about her listing is not.
    expect(chat.text()).toContain('#1 ');
    expect(chat.text()).not.toContain(`#${caseId} `);
  });
});
