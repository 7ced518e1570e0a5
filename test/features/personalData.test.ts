// Personal data rules (issue 9 point 7): consent per purpose asked once when a flow needs it, a declined purpose
// blocks only its feature, withdrawal from the menu, the registry behind "my data", "delete my data" (jobs about her
// cancelled too) and the retention prune, and a test that fails when a Prisma model is not in the registry.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/bot.ts';
import type { Flow } from '../../src/conversation/flow.ts';
import { answerText, text } from '../../src/conversation/flow.ts';
import type { BotGateway } from '../../src/conversation/messages.ts';
import { createConversationRepository } from '../../src/data/conversationRepository.ts';
import { CONSENT_PURPOSES } from '../../src/domain/privacy.ts';
import { MENU_FLOW } from '../../src/features/menu/flow.ts';
import { NOT_PERSONAL, pruneExpired } from '../../src/features/privacy/registry.ts';
import type { Runtime } from '../../src/wiring.ts';
import { Chat, HOUR, realRuntime, silentLogger, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const DAY = 86_400_000;
let db: FreshDatabase;
let rt: Runtime;
let clock: TestClock;

/** The real bot with one more flow that needs the "announcements" purpose, reached by typing "đăng ký". */
function botWithAnnouncements(): BotGateway {
  const announcements: Flow = {
    id: 'announcements',
    purposes: ['announcements'],
    steps: [{ id: 'ok', prompt: { raw: 'CHỌN XÃ NHẬN THÔNG BÁO' }, input: { kind: 'text' } }],
    finish: async () => ({ say: [{ raw: 'ĐÃ ĐĂNG KÝ' }], next: { to: 'home' } }),
  };
  const papers: Flow = {
    id: 'papers',
    steps: [{ id: 'p', prompt: { raw: 'GỬI ẢNH' }, input: { kind: 'photo' } }],
    finish: async () => ({ say: [], next: { to: 'home' } }),
  };
  const shortcut: Flow = {
    id: 'shortcut',
    steps: [
      {
        id: 'pick',
        prompt: text('menu:prompt'),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'announcements', label: { raw: 'Đăng ký thông báo' } },
            { value: 'consentSettings', label: { raw: 'Quyền' } },
            { value: 'myData', label: { raw: 'Dữ liệu' } },
            { value: 'papers', label: { raw: 'Gửi ảnh' } },
          ],
        },
      },
    ],
    finish: async ({ answers }) => ({ say: [], next: { to: 'flow', flowId: answerText(answers['pick']) } }),
  };
  return createBot({
    members: rt.members,
    conversations: createConversationRepository(rt.db),
    inbound: rt.inbound,
    transactor: rt.transactor,
    outbox: rt.outbox,
    flows: [...rt.features.flows, announcements, shortcut, papers],
    home: (m) => (rt.features.home(m) === MENU_FLOW ? 'shortcut' : rt.features.home(m)),
    translator: rt.localisation.translator,
    vocabulary: rt.localisation.vocabulary,
    clock,
    logger: silentLogger,
    conversationTimeoutMs: 24 * HOUR,
    defaultLanguage: 'vi',
    photos: rt.photos,
    beforeFlow: rt.features.beforeFlow,
  });
}

async function consented(c: Chat, asBefore = true): Promise<Chat> {
  await c.send('alo');
  await c.tap('Tiếng Việt');
  await c.tap('Đồng ý');
  await c.send('Trần Thị Mai');
  await c.send('Dân Tiến');
  await c.send('0912345678');
  await c.tap('Xác nhận');
  // A member who consented before announcements joined the first-contact consent (issue 14): that purpose is still
  // to be asked, when a flow first needs it (as every purpose outside first contact is). `asBefore` false: as now.
  if (asBefore) await db.prisma.memberConsent.deleteMany({ where: { purpose: 'announcements' } });
  return c;
}

const memberOf = (c: Chat) => db.prisma.member.findFirstOrThrow({ where: { channelUserId: c.userId } });
const decisions = async (c: Chat) =>
  (await db.prisma.memberConsent.findMany({ where: { memberId: (await memberOf(c)).id } })).map((d) => [
    d.purpose,
    d.givenAt !== null,
    d.withdrawnAt !== null,
  ]);

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock(new Date('2026-03-10T03:00:00Z'));
  rt = realRuntime(db.prisma, clock);
});
afterEach(() => db.close());

describe('consent per purpose', () => {
  it('the first-contact question names the purposes asked later; the basic consent is stored as "profile"', async () => {
    const chat = new Chat(botWithAnnouncements());
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    expect(chat.text()).toContain('lưu ảnh chị gửi, đăng ký lớp học');
    // What each first-contact purpose stores is said in the question, word for word.
    const t = rt.localisation.translator('vi');
    for (const p of CONSENT_PURPOSES.filter((purpose) => purpose.firstContact))
      expect(chat.text()).toContain(t(p.stores));
    await chat.tap('Đồng ý');
    // Her yes covers every first-contact purpose: the basic consent and, since issue 14, announcements.
    expect((await decisions(chat)).sort()).toEqual([
      ['announcements', true, false],
      ['profile', true, false],
    ]);
  });

  it('is asked once, when she first enters a flow that needs it; yes is stored and the flow goes on', async () => {
    const chat = await consented(new Chat(botWithAnnouncements()));
    await chat.tap('Đăng ký thông báo');
    expect(chat.text()).toContain('Để gửi chị thông báo về lớp học');
    expect(chat.text()).toContain('Chị đồng ý không?');
    expect(chat.buttons()).toEqual(['Đồng ý', 'Không đồng ý', 'Tìm hiểu thêm']);
    await chat.tap('Tìm hiểu thêm');
    expect(chat.text()).toContain('Chị có thể rút lại bất cứ lúc nào');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('CHỌN XÃ NHẬN THÔNG BÁO');
    await chat.send('Dân Tiến');
    expect(chat.text()).toContain('ĐÃ ĐĂNG KÝ');
    // Next time: straight in, nothing asked.
    await chat.tap('Đăng ký thông báo');
    expect(chat.text()).toBe('CHỌN XÃ NHẬN THÔNG BÁO');
    expect(await decisions(chat)).toContainEqual(['announcements', true, false]);
  });

  it('declined: stored, the flow explains what she can still do and returns home; other features still work', async () => {
    const chat = await consented(new Chat(botWithAnnouncements()));
    await chat.tap('Đăng ký thông báo');
    await chat.tap('Không đồng ý');
    expect(chat.text()).toContain('Chị vẫn có thể tự xem thông tin trong menu');
    expect(chat.text()).toContain('Chị cần gì ạ?');
    expect(await decisions(chat)).toContainEqual(['announcements', false, true]);
    // Not asked again: told why, sent home.
    await chat.tap('Đăng ký thông báo');
    expect(chat.text()).toContain('Chị đã chọn không đồng ý "Nhận thông báo của Hội"');
    expect(chat.text()).not.toContain('CHỌN XÃ');
    // Her basic consent is untouched: "my data" still works.
    await chat.tap('Dữ liệu');
    expect(chat.text()).toContain('Trần Thị Mai');
    expect(chat.text()).toContain('Nhận thông báo của Hội: không đồng ý ngày 10/03/2026');
  });

  it('withdrawn from "Quyền dùng dữ liệu": stored with its date, and the flow needing it stops mid-way', async () => {
    const chat = await consented(new Chat(botWithAnnouncements()));
    await chat.tap('Đăng ký thông báo');
    await chat.tap('Đồng ý');
    await chat.command('menu');
    await chat.tap('Quyền');
    await chat.tap('Nhận thông báo của Hội');
    expect(chat.text()).toContain('Nhận thông báo của Hội: đồng ý ngày 10/03/2026');
    await chat.tap('Có');
    expect(chat.text()).toContain('Đã rút lại sự đồng ý: Nhận thông báo của Hội');
    expect(await decisions(chat)).toContainEqual(['announcements', true, true]);
    await chat.tap('Đăng ký thông báo');
    expect(chat.text()).toContain('Chị đã chọn không đồng ý');
    // Given again, then withdrawn elsewhere (another device) while she is at the flow's question: it stops there.
    await chat.tap('Quyền');
    await chat.tap('Nhận thông báo của Hội');
    await chat.tap('Có');
    await chat.tap('Đăng ký thông báo');
    expect(chat.text()).toBe('CHỌN XÃ NHẬN THÔNG BÁO');
    const member = (await rt.members.findById((await memberOf(chat)).id))!;
    await rt.features.consent.decide(member, 'announcements', false, clock.now());
    await chat.send('Dân Tiến');
    expect(chat.text()).toContain('Chị đã chọn không đồng ý');
    expect(chat.text()).not.toContain('ĐÃ ĐĂNG KÝ');
  });

  it('a photo step needs the "photos" purpose: asked first; declined, the photo stage stores nothing', async () => {
    const bot = botWithAnnouncements();
    const chat = new Chat(bot);
    const created = await rt.members.create({ channel: 'console', channelUserId: chat.userId, language: 'vi' });
    await rt.members.update(created.id, { consentAt: clock.now() });
    await chat.send('alo');
    await chat.tap('Gửi ảnh');
    expect(chat.text()).toContain('Để cán bộ Hội xem được giấy tờ, sản phẩm chị gửi kèm yêu cầu, Hội cần lưu ảnh');
    expect(chat.text()).not.toContain('GỬI ẢNH');
    await chat.tap('Không đồng ý');
    expect(await decisions(chat)).toEqual([['photos', false, true]]);
    const member = await memberOf(chat);
    // The gateway's photo stage refuses too (a photo sent straight at a photo step, the purpose undecided).
    const refused = await rt.photos.prepare(
      (await rt.members.findById(member.id))!,
      { kind: 'photo', refs: ['x'] },
      async () => ({ max: 1 }),
    );
    expect(refused).toEqual({ kind: 'refused', reason: 'files:errors.noPhotosConsent' });
    expect(await db.prisma.storedFile.count()).toBe(0);
  });

  it('"Quyền dùng dữ liệu" keeps its number (9) in the real menu, items added later come after it, so the numbers members learnt stay', async () => {
    const chat = await consented(new Chat(rt.bot), false);
    await chat.command('menu');
    const items = chat.buttons();
    expect(items.indexOf('Quyền dùng dữ liệu')).toBe(8);
    // The others in the features' order (credit first, help just before the settings).
    expect(items.slice(0, 2)).toEqual(['Kiểm tra khả năng vay vốn', 'Nói chuyện với cán bộ Hội']);
    expect(items.at(7)).toBe('Hướng dẫn');
    // Added after members learnt the numbers (FeatureModule.menuAtEnd): the courses (issue 12), then products (13).
    expect(items.slice(9)).toEqual([
      'Học nghề ngắn hạn',
      'Lớp học của tôi',
      'Gửi sản phẩm',
      'Sản phẩm của tôi',
      'Báo sai thông tin sản phẩm',
      'Thông báo của Hội', // issue 14
    ]);
  });

  it('every purpose has its texts in both languages', () => {
    for (const lang of ['vi', 'en']) {
      const t = rt.localisation.translator(lang as 'vi' | 'en');
      for (const p of CONSENT_PURPOSES) {
        for (const key of [p.name, p.stores, p.why, p.withoutIt]) expect(t(key)).not.toBe(key);
      }
    }
  });
});

describe('the personal-data registry', () => {
  it('covers every Prisma model, or the model is exempted with a reason', () => {
    const schema = readFileSync(path.resolve(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8');
    const models = [...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);
    const covered = new Set(rt.personalData.flatMap((k) => k.models));
    const missing = models.filter((m) => !covered.has(m) && !NOT_PERSONAL[m]);
    expect(missing, 'declare a PersonalDataKind for these models, or list them in NOT_PERSONAL').toEqual([]);
    for (const reason of Object.values(NOT_PERSONAL)) expect(reason.length).toBeGreaterThan(10);
    // Every kind says how "my data" shows it, or why it does not; every retention names its variable.
    for (const kind of rt.personalData) {
      expect(kind.summarise !== undefined || kind.note !== undefined, kind.id).toBe(true);
      if (kind.retention) expect(kind.retention.variable, kind.id).toMatch(/\S/);
    }
  });

  it('"my data" lists her consents, notifications, jobs with their dates; delete erases them and cancels her jobs', async () => {
    const chat = await consented(new Chat(botWithAnnouncements()));
    await chat.tap('Đăng ký thông báo');
    await chat.tap('Đồng ý');
    const member = await memberOf(chat);
    await db.prisma.job.create({
      data: {
        kind: 'reminder',
        payload: {},
        runAt: new Date('2026-03-12T00:00:00Z'),
        maxAttempts: 3,
        memberId: member.id,
      },
    });
    await db.prisma.job.create({ data: { kind: 'other', payload: {}, runAt: new Date(), maxAttempts: 3 } });
    await db.prisma.notification.create({
      data: { recipientId: member.id, kind: 'relay', messages: [], status: 'sent', createdAt: clock.now() },
    });
    await db.prisma.auditLog.create({ data: { actor: 'cli', action: 'role', subject: member.id } });
    await chat.send('menu');
    await chat.tap('Dữ liệu');
    let shown = chat.text();
    while (chat.buttons().includes('Xem thêm')) {
      await chat.tap('Xem thêm');
      shown += chat.text();
    }
    expect(shown).toContain('Hỗ trợ yêu cầu của chị: đồng ý ngày 10/03/2026');
    expect(shown).toContain('Nhận thông báo của Hội: đồng ý ngày 10/03/2026');
    expect(shown).toContain('Tin nhắn Hội gửi chị:');
    // Counted from the outbox (outbox.summaryOf): the message sent, none waiting.
    expect(shown).toContain('• 1 tin nhắn, từ 10/03/2026 đến 10/03/2026; còn chờ gửi: 0');
    expect(shown).toContain('Việc Hội hẹn làm cho chị');
    expect(shown).toContain('Nhật ký công việc');

    await rt.bot.erase({ channel: chat.channel, userId: chat.userId }); // Zalo's user_withdraw goes this way
    expect(await db.prisma.member.count({ where: { id: member.id } })).toBe(0);
    expect(await db.prisma.memberConsent.count()).toBe(0);
    expect(await db.prisma.notification.count()).toBe(0);
    expect(
      (await db.prisma.job.findMany({ where: { kind: { in: ['reminder', 'other'] } } })).map((j) => j.kind),
    ).toEqual(['other']);
    expect((await db.prisma.auditLog.findMany()).map((a) => a.subject)).toEqual(['erased']);
  });

  it('stored inbound events: "my data" counts hers; erasure deletes her handled and failed ones, not what waits', async () => {
    const chat = await consented(new Chat(botWithAnnouncements()));
    const at = (iso: string) => new Date(iso);
    const event = (eventKey: string, userId: string, status: string, payload: string) => ({
      channel: chat.channel,
      eventKey,
      userId,
      payload,
      occurredAt: at('2026-03-09T02:00:00Z'),
      receivedAt: eventKey === 'm3' ? at('2026-03-10T02:00:00Z') : at('2026-03-09T02:00:00Z'),
      runAt: at('2026-03-09T02:00:00Z'),
      status,
      finishedAt: status === 'pending' ? null : at('2026-03-09T02:00:01Z'),
    });
    await db.prisma.inboundEvent.createMany({
      data: [
        event('m1', chat.userId, 'done', ''),
        event('m2', chat.userId, 'failed', '{"message":{"text":"alo"}}'),
        event('m3', chat.userId, 'pending', '{"message":{"text":"tin mới"}}'),
        event('other', 'someone-else', 'done', ''),
      ],
    });
    await chat.send('menu');
    await chat.tap('Dữ liệu');
    let shown = chat.text();
    while (chat.buttons().includes('Xem thêm')) {
      await chat.tap('Xem thêm');
      shown += chat.text();
    }
    expect(shown).toContain('Bản ghi nhận tin nhắn của chị:');
    expect(shown).toContain('• 3 tin, nhận từ 09/03/2026 đến 10/03/2026');
    expect(shown).toContain('giữ mã tin và giờ nhận 7 ngày');
    expect(shown).toContain('• 1 tin chưa xử lý được: nội dung còn lưu, xóa sau 7 ngày');

    await rt.bot.erase({ channel: chat.channel, userId: chat.userId });
    expect(await db.prisma.member.count({ where: { channelUserId: chat.userId } })).toBe(0);
    // What she sent after the request still waits, to be handled in order; someone else's records are untouched.
    expect((await db.prisma.inboundEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => e.eventKey)).toEqual([
      'm3',
      'other',
    ]);
  });

  it('the prune removes only the expired rows of each kind, and reports counts', async () => {
    const chat = await consented(new Chat(botWithAnnouncements()));
    const member = await memberOf(chat);
    const now = clock.now();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    for (const [closedAt, label] of [
      [ago(800), 'old'],
      [ago(10), 'recent'],
    ] as const) {
      await db.prisma.case.create({
        data: { type: 'talk', memberId: member.id, details: { label }, status: 'closed', closedAt },
      });
    }
    await db.prisma.case.create({ data: { type: 'talk', memberId: member.id, details: {}, createdAt: ago(900) } });
    for (const createdAt of [ago(400), ago(5)]) {
      await db.prisma.creditInquiry.create({
        data: { memberId: member.id, answers: {}, result: {}, dataVersion: 'v', evaluatedOn: '2026-01-01', createdAt },
      });
    }
    await db.prisma.auditLog.create({ data: { actor: 'cli', action: 'x', at: ago(1200) } });
    await db.prisma.auditLog.create({ data: { actor: 'cli', action: 'y', at: ago(3) } });
    // What the bot sent her (the outbox): sent or given up more than OUTBOX_RETENTION_DAYS (30) ago goes; recent
    // ones stay, and so does one still waiting for her, however old.
    for (const [status, days] of [
      ['sent', 40],
      ['failed', 31],
      ['sent', 5],
      ['pending', 400],
    ] as const) {
      await db.prisma.notification.create({
        data: { recipientId: member.id, kind: 'relay', messages: [], status, createdAt: ago(days) },
      });
    }

    const counts = await pruneExpired(rt.personalData, now);
    expect(counts).toMatchObject({ cases: 1, creditInquiries: 1, audit: 1, notifications: 2 });
    expect((await db.prisma.notification.findMany({ orderBy: { createdAt: 'asc' } })).map((n) => n.status)).toEqual([
      'pending',
      'sent',
    ]);
    expect((await db.prisma.case.findMany()).map((c) => c.status).sort()).toEqual(['closed', 'open']);
    expect(await db.prisma.creditInquiry.count()).toBe(1);
    expect((await db.prisma.auditLog.findMany({ where: { actor: 'cli' } })).map((a) => a.action)).toEqual(['y']);
    // Her profile and consents have no expiry: kept until she deletes them.
    expect(await db.prisma.memberConsent.count()).toBe(1);
    expect(await pruneExpired(rt.personalData, now)).toMatchObject({
      cases: 0,
      creditInquiries: 0,
      audit: 0,
      notifications: 0,
    });
  });
});
