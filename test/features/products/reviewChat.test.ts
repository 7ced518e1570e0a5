// The officers' review in the chat (src/features/products/review.ts) on the real engine, the real officers (linked by
// invitation codes) and the real locales, over a small in-memory ProductService that keeps the contract's rules (who
// may review, pending only, one decision wins): what the officer is asked, in which order, what she is told, and
// that a refusal comes before any question. The full path with the real service: test/products/*.e2e.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/app/bot.ts';
import type { ActionHandler, Flow } from '../../../src/conversation/flow.ts';
import type { BotGateway } from '../../../src/conversation/messages.ts';
import { createConversationRepository } from '../../../src/data/conversationRepository.ts';
import type { Listing, ListingStatus } from '../../../src/domain/listings.ts';
import type { Member } from '../../../src/domain/member.ts';
import { covers } from '../../../src/domain/officers.ts';
import type { ListingResult, ProductService, ReviewDecision } from '../../../src/features/products/contract.ts';
import {
  createProductReviewActions,
  createProductReviewFlows,
  PRODUCT_REVIEW_ACTIONS,
} from '../../../src/features/products/review.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { Chat, HOUR, realRuntime, silentLogger, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';

const DAN_TIEN = '05755';
const PHAN_DINH_PHUNG = '05443';

let db: FreshDatabase;
let rt: Runtime;
let bot: BotGateway;
let listings: Map<number, Listing>;
let decisions: { actor: string; id: number; decision: ReviewDecision }[];
let canReviewCalls: number;

/** A listing as the service stores it (only what the review reads matters here). */
function listing(id: number, communeCode: string, status: ListingStatus = 'pending'): Listing {
  const now = new Date('2026-12-01T03:00:00Z');
  return {
    id,
    memberId: 'owner',
    status,
    soldOut: false,
    name: `Mật ong rừng ${id}`,
    productGroup: 'food',
    producerKind: 'self',
    producerRegNo: null,
    communeCode,
    hamlet: null,
    description: 'Mật ong nuôi ở rừng keo',
    unit: 'lít',
    packaging: null,
    priceVnd: 250_000,
    quantity: null,
    season: null,
    ocopStars: null,
    ocopExpiresOn: null,
    vietgap: false,
    organic: false,
    foodSafety: false,
    phone: null,
    publishName: true,
    publishCommune: true,
    publishPhone: false,
    caseId: null,
    reviewNote: null,
    changeFields: [],
    reviewedById: null,
    reviewedAt: null,
    submittedAt: now,
    approvedAt: null,
    withdrawnAt: null,
    ocopFlaggedFor: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The contract's rules for the officers' calls, in memory; the other use cases are not called by the review. */
function fakeService(): ProductService {
  async function check(actor: Member, id: number): Promise<ListingResult<{ listing: Listing }>> {
    if (actor.role !== 'officer' && actor.role !== 'admin') return { ok: false, refusal: { reason: 'notOfficer' } };
    const found = listings.get(id);
    if (!found) return { ok: false, refusal: { reason: 'notFound' } };
    if (actor.role !== 'admin' && !covers(await rt.officers.areasOf(actor.id), found.communeCode)) {
      return { ok: false, refusal: { reason: 'notYourArea' } };
    }
    return { ok: true, listing: found };
  }
  const notUsed = () => Promise.reject(new Error('not used by the review'));
  return {
    async canReview(actor, id) {
      canReviewCalls++;
      const found = await check(actor, id);
      if (!found.ok) return found;
      if (found.listing.status !== 'pending')
        return { ok: false, refusal: { reason: 'wrongStatus', status: found.listing.status } };
      return found;
    },
    async forReview(actor, id) {
      const found = await check(actor, id);
      if (!found.ok) return found;
      const photos = [1, 2].map((position) => ({
        id: position,
        listingId: id,
        fileId: `file-${id}-${position}`,
        thumbKey: `k/${position}.thumb.jpg`,
        position,
        token: `tok${position}`,
      }));
      return { ok: true, listing: found.listing, photos, owner: null };
    },
    async review(actor, id, decision) {
      const found = await check(actor, id);
      if (!found.ok) return found;
      if (found.listing.status !== 'pending')
        return { ok: false, refusal: { reason: 'wrongStatus', status: found.listing.status } };
      const status: ListingStatus =
        decision.kind === 'approve' ? 'approved' : decision.kind === 'changes' ? 'changes' : 'rejected';
      const changed = { ...found.listing, status, reviewedById: actor.id };
      listings.set(id, changed);
      decisions.push({ actor: actor.id, id, decision });
      return { ok: true, listing: changed };
    },
    submit: notUsed,
    resubmit: notUsed,
    mine: notUsed,
    mineOne: notUsed,
    setSoldOut: notUsed,
    update: notUsed,
    withdraw: notUsed,
    draftOf: notUsed,
    saveDraft: notUsed,
    discardDraft: notUsed,
    publicOne: notUsed,
    reportProblem: notUsed,
    published: notUsed,
    publicPhoto: notUsed,
    exportRows: notUsed,
  };
}

/** The real bot's flows and actions, with the review's added (as the products module adds them). */
function reviewBot(): BotGateway {
  const parts = {
    service: fakeService(),
    deps: { members: rt.members, phrases: rt.localisation.phrases, translator: rt.localisation.translator },
  };
  const review = { ...createProductReviewActions(parts), names: PRODUCT_REVIEW_ACTIONS };
  const features = rt.features.actions;
  const actions: ActionHandler = {
    parseTyped: (input) => features.parseTyped(input) ?? review.parseTyped(input),
    typedFor: (action, t) => features.typedFor(action, t) ?? review.typedFor(action, t),
    run: (ctx, name, arg) =>
      (review.names as readonly string[]).includes(name) ? review.run(ctx, name, arg) : features.run(ctx, name, arg),
  };
  const flows: Flow[] = [...rt.features.flows, ...createProductReviewFlows(parts)];
  return createBot({
    members: rt.members,
    outbox: rt.outbox,
    conversations: createConversationRepository(rt.db),
    inbound: rt.inbound,
    transactor: rt.transactor,
    flows,
    home: rt.features.home,
    actions,
    translator: rt.localisation.translator,
    vocabulary: rt.localisation.vocabulary,
    clock: new TestClock(),
    logger: silentLogger,
    conversationTimeoutMs: 24 * HOUR,
    defaultLanguage: 'vi',
    photos: rt.photos,
  });
}

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma);
  bot = reviewBot();
  listings = new Map([
    [12, listing(12, DAN_TIEN)],
    [13, listing(13, PHAN_DINH_PHUNG)],
  ]);
  decisions = [];
  canReviewCalls = 0;
});
afterEach(() => db.close());

async function officer(userId: string, areas: string[], language: 'vi' | 'en' = 'vi'): Promise<Chat> {
  const { code } = await rt.features.invitations.create({ role: 'officer', areas, createdBy: 'cli', ttlHours: 72 });
  const chat = new Chat(bot, userId, 'telegram');
  await chat.send(code);
  if (language === 'en') {
    const row = await rt.members.findByChannelUser('telegram', userId);
    await rt.members.update(row!.id, { language: 'en' });
  }
  return chat;
}

async function member(userId: string): Promise<Chat> {
  const chat = new Chat(bot, userId, 'zalo');
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  return chat;
}

/** Taps an action button as a forged or old callback would: its data, whatever the member was shown. */
const forged = (chat: Chat, action: string) => chat.deliver({ kind: 'choice', data: `!${action}` });

describe('the decision buttons', () => {
  it('approve decides at once; a second decision is told who decided first', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    await lan.send('duyet sp 12');
    expect(lan.text()).toContain('Đã duyệt sản phẩm #12');
    expect(decisions).toEqual([{ actor: expect.any(String), id: 12, decision: { kind: 'approve' } }]);

    const mai = await officer('mai', [DAN_TIEN]);
    await mai.send('tu choi sp 12');
    expect(mai.text()).toMatch(/Sản phẩm #12 đã được Cán bộ|đã được .* xử lý trước \(đã duyệt, đang giới thiệu\)/);
    expect(decisions).toHaveLength(1);
  });

  it('ask for changes: parts picked one by one (each leaves the list), Xong, then the message', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    await forged(lan, 'lchg:12');
    expect(lan.text()).toContain('Sản phẩm #12: chị muốn hội viên sửa những mục nào?');
    expect(lan.buttons()).toContain('Tên sản phẩm');
    expect(lan.buttons()).not.toContain('Xong');
    await lan.tap('Đơn vị, quy cách, giá');
    expect(lan.text()).toContain('Đã chọn: Đơn vị, quy cách, giá.');
    expect(lan.buttons()).not.toContain('Đơn vị, quy cách, giá');
    await lan.send('ảnh sản phẩm'); // typed, as a label
    expect(lan.text()).toContain('Đã chọn: Đơn vị, quy cách, giá, Ảnh sản phẩm.');
    await lan.tap('Xong');
    expect(lan.text()).toContain('Chị nhắn cho hội viên cần sửa gì (mục đã chọn: Đơn vị, quy cách, giá, Ảnh sản phẩm)');
    await lan.send('Chị ghi giá theo hũ 500ml và chụp rõ nhãn giúp em nhé');
    expect(lan.text()).toContain('Đã gửi yêu cầu sửa sản phẩm #12 cho hội viên');
    expect(decisions.at(-1)?.decision).toEqual({
      kind: 'changes',
      fields: ['price', 'photos'],
      message: 'Chị ghi giá theo hũ 500ml và chụp rõ nhãn giúp em nhé',
    });
  });

  it('reject asks the reason; a decision made meanwhile by another officer wins and her words are given back', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    const mai = await officer('mai', [DAN_TIEN]);
    await lan.send('tu choi sp 12');
    expect(lan.text()).toContain('Chị ghi lý do từ chối sản phẩm #12');
    await mai.send('duyet sp 12');
    await lan.send('Sản phẩm chưa có giấy an toàn thực phẩm');
    expect(lan.text()).toContain('xử lý trước');
    expect(lan.text()).toContain('Sản phẩm chưa có giấy an toàn thực phẩm');
    expect(decisions.map((d) => d.decision.kind)).toEqual(['approve']);
  });

  it('view shows the listing with its photos and the buttons while pending', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    await lan.send('xem sp 12');
    const photos = lan.last.flatMap((m) => (m.kind === 'photo' ? [m] : []));
    expect(photos.map((m) => m.ref)).toEqual(['stored:file-12-1', 'stored:file-12-2']);
    expect(photos[0]?.caption).toBe('Ảnh 1/2 — sản phẩm #12');
    expect(lan.text()).toContain('Sản phẩm #12: Mật ong rừng 12');
    expect(lan.buttons().slice(0, 3)).toEqual(['Duyệt', 'Yêu cầu sửa', 'Từ chối']);
  });

  it('English-speaking officers get English and type English forms', async () => {
    const ann = await officer('ann', [DAN_TIEN], 'en');
    await ann.send('reject product 12');
    expect(ann.text()).toContain('Write the reason for rejecting product #12');
  });
});

describe('who may decide (checked before anything is asked)', () => {
  it('a member: forged button and typed form both refused, nothing asked, nothing decided', async () => {
    const hoa = await member('hoa');
    await forged(hoa, 'lok:12');
    expect(hoa.text()).toContain('Chức năng duyệt sản phẩm chỉ dành cho cán bộ Hội.');
    await hoa.send('tu choi sp 12');
    expect(hoa.text()).toContain('Chức năng duyệt sản phẩm chỉ dành cho cán bộ Hội.');
    expect(hoa.text()).not.toContain('lý do');
    await forged(hoa, 'lchg:12');
    expect(hoa.text()).not.toContain('sửa những mục nào');
    expect(decisions).toEqual([]);
  });

  it('an officer of another commune: not her area, before any question', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    await forged(lan, 'lrej:13');
    expect(lan.text()).toContain('Sản phẩm #13 không thuộc địa bàn chị phụ trách.');
    expect(lan.text()).not.toContain('lý do');
    await lan.send('sua sp 13');
    expect(lan.text()).toContain('không thuộc địa bàn');
    expect(decisions).toEqual([]);
  });

  it('a made-up id or a mangled argument changes nothing and gets a clear answer', async () => {
    const lan = await officer('lan', [DAN_TIEN]);
    await forged(lan, 'lok:999');
    expect(lan.text()).toContain('Không tìm thấy sản phẩm #999.');
    const checks = canReviewCalls;
    await forged(lan, 'lok:12abc');
    await forged(lan, 'lchg:-1');
    expect(lan.text()).toContain('Nút này thuộc câu hỏi trước');
    expect(canReviewCalls).toBe(checks);
    expect(decisions).toEqual([]);
  });
});
