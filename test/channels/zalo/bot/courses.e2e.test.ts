// Courses on the Zalo Bot Platform (issue 12): no buttons, so every choice is a numbered line answered by its number
// or its words. The real bot behind the webhook, the platform faked at its HTTP seam: browse → register → my courses
// → cancel, and a full course's waiting list, with what is stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloBotChannel, type ZaloBotChannel } from '../../../../src/channels/zalo/bot/index.ts';
import { createHttpServer, type HttpServer } from '../../../../src/http/server.ts';
import type { Runtime } from '../../../../src/wiring.ts';
import { realRuntime, silentLogger, TestClock } from '../../../helpers/chat.ts';
import { courseMember, createCourse } from '../../../helpers/courses.ts';
import { freshDatabase, type FreshDatabase } from '../../../helpers/database.ts';
import { FakeZaloBot, TOKEN } from './fake-zalo-bot.ts';
import { CHAT_ID, textEvent } from './fakes.ts';

const SECRET = 'e2e-zalo-bot-secret-0123456789';
const PATH = '/zalo/bot/webhook';

let db: FreshDatabase;
let api: FakeZaloBot;
let channel: ZaloBotChannel;
let server: HttpServer;
let baseUrl: string;
let sequence = 0;
let rt: Runtime;
// 2026-03-02 15:00 in Asia/Ho_Chi_Minh.
const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, clock);
  api = await FakeZaloBot.start();
  channel = createZaloBotChannel({
    token: TOKEN,
    apiBase: api.apiBase,
    mode: 'webhook',
    webhook: { secret: SECRET, path: PATH },
    gateway: rt.bot,
    logger: silentLogger,
  });
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 64 * 1024,
    logger: silentLogger,
    routes: [channel.route!],
    health: async () => ({ ok: true }),
  });
  baseUrl = `http://127.0.0.1:${(await server.start()).port}`;
});
afterEach(async () => {
  await rt.jobs.stop();
  await server.close();
  await channel.stop();
  await api.close();
  await db.close();
});

/** `secret` null: no secret header at all. */
function post(body: object | string, secret: string | null = SECRET): Promise<Response> {
  return fetch(baseUrl + PATH, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-bot-api-secret-token': secret }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Posts an event and returns the sendMessage payloads it caused. */
async function deliver(event: object): Promise<Record<string, unknown>[]> {
  const before = api.calls('sendMessage').length;
  const res = await post(event);
  expect(res.status).toBe(200);
  return api.calls('sendMessage').slice(before);
}

/** The member types a message; returns the texts she receives. */
async function say(text: string): Promise<string[]> {
  const sent = await deliver(textEvent(`zmsg-${++sequence}`, text));
  for (const payload of sent) expect(payload['chat_id']).toBe(CHAT_ID);
  return sent.map((payload) => String(payload['text']));
}

describe('courses on the Zalo Bot Platform', () => {
  it('browse → register → my courses → cancel, by numbers and words', async () => {
    const c = await createCourse(rt, null, { support: 'none' });
    const member = await courseMember(rt, 'zalobot', CHAT_ID, clock.now());
    const row = () => db.prisma.courseRegistration.findFirst({ where: { courseId: c.id, memberId: member.id } });

    const list = await say('có lớp học nào không');
    expect(list.at(-1)).toBe(
      'Các lớp học nghề sắp mở (có 1 lớp). Chị chọn một lớp để xem chi tiết ạ:\n' +
        '1) Chế biến chè xanh · 20/03/2026 · Xã Dân Tiến\n2) Lọc theo nghề\n3) Về menu',
    );
    const details = await say('1');
    expect(details.join('\n')).toContain('Thời gian: 20/03/2026 – 10/04/2026');
    expect(details.at(-1)).toMatch(/\n1\) Đăng ký\n2\) Xem các lớp khác\n3\) Về menu$/);
    expect((await say('đăng ký')).at(-1)).toMatch(/Chị đồng ý không\?/);
    const summary = await say('1');
    expect(summary.at(-1)).toContain('• Họ tên: Nguyễn Thị Lan');
    expect(summary.at(-1)).toMatch(/\n1\) Xác nhận\n2\) Sửa thông tin\n3\) Hủy$/);
    expect((await say('1')).join('\n')).toContain('Chị đã đăng ký lớp «Chế biến chè xanh» thành công ạ');
    expect((await row())?.status).toBe('registered');

    const mine = await say('lop hoc cua em');
    expect(mine.at(-1)).toMatch(/\n1\) Chế biến chè xanh · 20\/03\/2026, Xã Dân Tiến · Đã đăng ký\n2\) Về menu$/);
    expect((await say('1')).at(-1)).toMatch(/\n1\) Hủy đăng ký\n2\) Xem các lớp của tôi\n3\) Về menu$/);
    expect((await say('huy dang ky')).at(-1)).toMatch(/^Chị chắc chắn muốn hủy đăng ký lớp «Chế biến chè xanh»/);
    expect((await say('1')).join('\n')).toContain('Em đã hủy đăng ký lớp «Chế biến chè xanh» của chị ạ.');
    expect((await row())?.status).toBe('cancelled');
  });

  it('a full course: she joins the waiting list and sees her place', async () => {
    const c = await createCourse(rt, null, { seats: 1, support: 'none' });
    const first = await courseMember(rt, 'zalobot', 'someone-else', clock.now());
    await rt.features.courses.service.register(first, c.id, { kind: 'none' });
    await courseMember(rt, 'zalobot', CHAT_ID, clock.now());

    await say('hoc nghe');
    const details = await say('1');
    expect(details.join('\n')).toContain('Đã đủ 1 chỗ — chị vẫn vào danh sách chờ được');
    expect(details.at(-1)).toMatch(/\n1\) Vào danh sách chờ\n2\) Xem các lớp khác\n3\) Về menu$/);
    // Told before any question that it is the waiting list, and what an offer is.
    const intro = await say('1');
    expect(intro.join('\n')).toContain('Đăng ký vào danh sách chờ lớp «Chế biến chè xanh».');
    expect(intro.join('\n')).toContain('giữ chỗ cho chị trong 24 giờ');
    await say('1');
    expect((await say('1')).join('\n')).toContain('chị đang ở vị trí số 1 ạ');
    expect(await db.prisma.courseRegistration.count({ where: { courseId: c.id, status: 'waiting' } })).toBe(1);
  });
});
