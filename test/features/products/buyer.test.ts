// A buyer asks about a published product through the bot, on the real runtime (SQLite, every feature): each typed
// form of the request (and the Telegram deep link's /start sp<id>), the product's summary, her consent, her question
// and phone, the case reaching the officer of the SELLER's commune (not the buyer's, not another commune's), the
// officer's reply reaching the buyer; an unknown or unapproved product, declining, "buying" without a number.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, OutboundMessage } from '../../../src/conversation/messages.ts';
import type { Member } from '../../../src/domain/member.ts';
import { parseUpdate } from '../../../src/channels/telegram/inbound.ts';
import { buyRequestIn } from '../../../src/features/products/buyer.ts';
import { createLocalisation } from '../../../src/i18n/i18n.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, realRuntime, TestClock } from '../../helpers/chat.ts';
import { courseMember } from '../../helpers/courses.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { deliveryFrom } from '../../helpers/fakes.ts';
import { consentToPublishing, DAN_TIEN, PHAN_DINH_PHUNG, submitted } from '../../helpers/products.ts';

let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;
let pushed: Map<string, OutboundMessage[]>;
let seq = 0;

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  rt = realRuntime(db.prisma, clock);
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

const textOf = (messages: OutboundMessage[] | undefined) =>
  (messages ?? []).map((m) => (m.kind === 'photo' ? '' : m.text)).join('\n---\n');

/** An officer of these communes, on Telegram (her notices are pushed). */
async function officer(userId: string, communes: string[]): Promise<{ member: Member; chat: Chat }> {
  const member = await courseMember(rt, 'telegram', userId, clock.now(), { displayName: `Cán bộ ${userId}` });
  await rt.officers.assign(member.id, 'officer', communes);
  return { member, chat: new Chat(rt.bot, userId, 'telegram') };
}

/** An approved listing of a seller in Dân Tiến whose phone is not published; its id. */
async function approvedListing(over: Parameters<typeof submitted>[2] = {}): Promise<number> {
  const seller = await courseMember(rt, 'console', `s${++seq}`, clock.now(), { displayName: 'Chị Bán' });
  await consentToPublishing(rt, seller);
  const { id } = await submitted(rt, seller, over);
  const admin = await courseMember(rt, 'console', `a${++seq}`, clock.now(), { role: 'admin' });
  const decided = await rt.products.review(admin, id, { kind: 'approve' });
  if (!decided.ok) throw new Error('not approved');
  return id;
}

/** Someone the bot has never seen, on Telegram (pushes to her are recorded). */
const stranger = () => new Chat(rt.bot, `b${++seq}`, 'telegram');

describe('a buyer asks about a product through the bot', () => {
  it('reads every typed form of the request', () => {
    const words = createLocalisation().phrases('products:typed.buy');
    for (const typed of [
      'mua sản phẩm 12',
      'hỏi mua sp 12',
      'mua sp so 12',
      'muon mua san pham #12',
      'sp12',
      'SP 12',
      'buy product 12',
      'Mua SP số 12',
    ]) {
      expect(buyRequestIn(typed, words), typed).toBe(12);
    }
    for (const other of ['mua mật ong', 'sp', 'báo sai sản phẩm 12', 'sửa sản phẩm 12', 'mua 12', 'sp 0']) {
      expect(buyRequestIn(other, words), other).toBeNull();
    }
  });

  it('a stranger: summary, consent, question, phone → a case for the officers of the seller’s commune; the reply reaches her', async () => {
    const local = await officer('local', [DAN_TIEN]);
    const other = await officer('other', [PHAN_DINH_PHUNG]);
    const id = await approvedListing();
    const buyer = stranger();

    await buyer.send(`mua sp ${id}`);
    expect(buyer.text()).toContain(`Sản phẩm số ${id}: Mật ong rừng`);
    expect(buyer.text()).toContain('Giá: 150.000 đ/chai 500 ml');
    expect(buyer.text()).toContain('Nơi bán: Xã Dân Tiến');
    expect(buyer.text()).toContain('Tình trạng: còn hàng');
    expect(buyer.text()).not.toContain('0912'); // the seller's phone is not published
    expect(buyer.text()).toContain('Chị đồng ý không?');
    await buyer.tap('Đồng ý');
    expect(buyer.text()).toContain('Chị muốn hỏi gì về «Mật ong rừng»?');
    await buyer.send('Cho tôi 10 chai, giao về Thái Nguyên được không?');
    expect(buyer.text()).toContain('số điện thoại');
    await buyer.send('0987 654 321');
    expect(buyer.text()).toMatch(/Em đã chuyển câu hỏi của chị tới cán bộ Hội \(yêu cầu số \d+\)/);

    const c = await db.prisma.case.findFirstOrThrow({ where: { type: 'buyer_enquiry' } });
    expect(c.communeCode).toBe(DAN_TIEN);
    expect(c.details).toEqual({
      listingId: String(id),
      product: 'Mật ong rừng',
      question: 'Cho tôi 10 chai, giao về Thái Nguyên được không?',
    });
    const buyerMember = await db.prisma.member.findUniqueOrThrow({ where: { id: c.memberId } });
    expect(buyerMember.phone).toBe('+84987654321');
    expect(await db.prisma.memberConsent.count({ where: { memberId: c.memberId, purpose: 'buyerEnquiry' } })).toBe(1);

    // The seller's commune's officer hears of it; another commune's does not; the buyer's phone is not in the notice.
    const notice = textOf(pushed.get('telegram:local'));
    expect(notice).toContain('Người mua hỏi sản phẩm');
    expect(notice).toContain('Cho tôi 10 chai');
    expect(notice).not.toContain('0987');
    expect(pushed.get('telegram:other')).toBeUndefined();
    expect((await rt.features.caseService.active(other.member)).map((x) => x.id)).not.toContain(c.id);

    // The officer takes it (her phone now shown) and replies through the bot: the buyer gets it.
    await local.chat.send(`nhan ${c.id}`);
    expect(local.chat.text()).toContain('0987 654 321');
    await local.chat.send(`tra loi ${c.id}`);
    await local.chat.send('Chào chị, người bán còn 50 chai, em sẽ báo chị ấy gọi lại cho chị.');
    expect(textOf(pushed.get(`telegram:${buyer.userId}`))).toContain('người bán còn 50 chai');
    // The buyer answers in the same conversation: stored on the case.
    await buyer.send('Cảm ơn chị ạ');
    const messages = await db.prisma.caseMessage.findMany({ where: { caseId: c.id }, orderBy: { id: 'asc' } });
    expect(messages.map((m) => m.text)).toContain('Cảm ơn chị ạ');
  });

  it('the Telegram deep link /start sp<id> starts the same request; each typed form does', async () => {
    await officer('local', [DAN_TIEN]);
    const id = await approvedListing();
    const update = parseUpdate(
      {
        update_id: 1,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 42, type: 'private' },
          from: { id: 42, is_bot: false, first_name: 'B' },
          text: `/start sp${id}`,
        },
      },
      clock.now(),
    );
    expect(update.kind).toBe('message');
    if (update.kind !== 'message') return;
    expect(update.message.content).toEqual({ kind: 'text', text: `sp${id}` });
    const plain = parseUpdate(
      {
        update_id: 2,
        message: {
          message_id: 2,
          date: 1,
          chat: { id: 42, type: 'private' },
          from: { id: 42, is_bot: false, first_name: 'B' },
          text: '/start',
        },
      },
      clock.now(),
    );
    expect(plain.kind === 'message' && plain.message.content).toEqual({ kind: 'start' });

    for (const typed of [
      `mua sản phẩm ${id}`,
      `hỏi mua sp ${id}`,
      `mua sp so ${id}`,
      `muon mua san pham #${id}`,
      `sp${id}`,
    ]) {
      const buyer = stranger();
      await buyer.send(typed);
      expect(buyer.text(), typed).toContain(`Sản phẩm số ${id}: Mật ong rừng`);
    }
    const english = stranger();
    await english.send(`buy product ${id}`);
    expect(english.text()).toContain(`Sản phẩm số ${id}: Mật ong rừng`);
  });

  it('a member with a phone is not asked for one; her case still goes to the seller’s commune, not hers', async () => {
    await officer('local', [DAN_TIEN]);
    await officer('pdp', [PHAN_DINH_PHUNG]);
    const id = await approvedListing({ publishCommune: false });
    const member = await courseMember(rt, 'zalo', `m${++seq}`, clock.now(), { communeCode: PHAN_DINH_PHUNG });
    const chat = new Chat(rt.bot, member.channelUserId, 'zalo');
    await chat.send(`hoi mua sp ${id}`);
    expect(chat.text()).toContain('người bán không công khai xã/phường');
    await chat.tap('Đồng ý');
    await chat.send('Có bán lẻ 1 chai không ạ?');
    expect(chat.text()).toContain('Em đã chuyển câu hỏi của chị tới cán bộ Hội');
    const c = await db.prisma.case.findFirstOrThrow({ where: { type: 'buyer_enquiry' } });
    expect(c.communeCode).toBe(DAN_TIEN);
    expect(textOf(pushed.get('telegram:local'))).toContain('Có bán lẻ 1 chai');
    expect(pushed.get('telegram:pdp')).toBeUndefined();
    // Consent given once is not asked again.
    await chat.command('menu');
    await chat.send(`mua sp ${id}`);
    expect(chat.text()).not.toContain('Chị đồng ý không?');
    expect(chat.text()).toContain('Chị muốn hỏi gì');
  });

  it('an unknown or unapproved product gets a polite answer and no case', async () => {
    await officer('local', [DAN_TIEN]);
    const seller = await courseMember(rt, 'console', `s${++seq}`, clock.now());
    await consentToPublishing(rt, seller);
    const pending = await submitted(rt, seller);
    const before = await db.prisma.case.count();
    for (const id of [pending.id, 9999]) {
      const buyer = stranger();
      await buyer.send(`mua sp ${id}`);
      expect(buyer.text()).toContain(`Em không tìm thấy sản phẩm số ${id}`);
    }
    expect(await db.prisma.case.count()).toBe(before);
    expect(await db.prisma.case.count({ where: { type: 'buyer_enquiry' } })).toBe(0);
  });

  it('declining stores nothing and opens no case; she may ask again later', async () => {
    await officer('local', [DAN_TIEN]);
    const id = await approvedListing();
    const buyer = stranger();
    await buyer.send(`mua sp ${id}`);
    await buyer.tap('Không đồng ý');
    expect(buyer.text()).toContain('em chưa gửi gì và không lưu gì');
    expect(await db.prisma.case.count({ where: { type: 'buyer_enquiry' } })).toBe(0);
    await buyer.send(`mua sp ${id}`);
    expect(buyer.text()).toContain('Chị đồng ý không?');
  });

  it('"buying" without a number keeps its answer and says how to ask about a product', async () => {
    const member = await courseMember(rt, 'console', `m${++seq}`, clock.now());
    const chat = new Chat(rt.bot, member.channelUserId, 'console');
    await chat.send('alo'); // at the menu
    await chat.send('co ai ban mat ong ko');
    expect(chat.text()).toContain('Chị muốn MUA sản phẩm ạ?');
    expect(chat.text()).toContain('«mua sp 12»');
  });

  it('"buying" tells the catalogue’s address when the deployment knows it', async () => {
    const withUrl = realRuntime(db.prisma, clock, { catalogueUrl: 'https://hoivien.example.org/catalogue' });
    const member = await courseMember(withUrl, 'console', `m${++seq}`, clock.now());
    const chat = new Chat(withUrl.bot, member.channelUserId, 'console');
    await chat.send('alo');
    await chat.send('ai bán mật ong không');
    expect(chat.text()).toContain('Chị muốn MUA sản phẩm ạ?');
    expect(chat.text()).toContain('tại https://hoivien.example.org/catalogue');
    await withUrl.jobs.stop();
  });
});
