// Her broadcast deliveries as personal data: "my data" says how many announcements she was sent and shown; erasing
// her data deletes her deliveries; the prune job removes the deliveries of broadcasts that ended more than
// OUTBOX_RETENTION_DAYS ago and keeps those of running or recent ones.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { pruneExpired } from '../../../src/features/privacy/registry.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';

const DAY = 86_400_000;
let db: FreshDatabase;
let rt: Runtime;
const clock = new TestClock(new Date('2026-03-02T03:00:00Z'));

beforeEach(async () => {
  db = await freshDatabase('sqlite');
  rt = realRuntime(db.prisma, clock);
});
afterEach(async () => {
  await rt.outbox.idle();
  await db.close();
});

async function broadcast(status: string, finishedAt: Date | null) {
  return db.prisma.broadcast.create({
    data: { status, texts: { vi: 'Họp' }, audience: {}, expiresAt: new Date(clock.now().getTime() + DAY), finishedAt },
  });
}

it('"my data" counts her announcements; erasure deletes them; old ones are pruned', async () => {
  const lan = await rt.members.create({ channel: 'telegram', channelUserId: 'lan', language: 'vi' });
  const mai = await rt.members.create({ channel: 'telegram', channelUserId: 'mai', language: 'en' });
  const old = await broadcast('done', new Date(clock.now().getTime() - 40 * DAY));
  const recent = await broadcast('done', new Date(clock.now().getTime() - DAY));
  const running = await broadcast('sending', null);
  for (const [b, status] of [
    [old, 'sent'],
    [recent, 'shown'],
    [running, 'sent'],
  ] as const) {
    for (const m of [lan, mai]) {
      await db.prisma.broadcastDelivery.create({
        data: {
          broadcastId: b.id,
          memberId: m.id,
          channel: 'telegram',
          language: m.language,
          status,
          sentAt: status === 'sent' ? new Date('2026-03-01T03:00:00Z') : null,
          shownAt: status === 'shown' ? new Date('2026-03-01T03:00:00Z') : null,
        },
      });
    }
  }
  const kind = rt.personalData.find((k) => k.id === 'broadcastDeliveries');
  if (!kind?.summarise) throw new Error('broadcastDeliveries is not registered');
  const t = rt.localisation.translator('vi');
  expect(await kind.summarise({ member: lan, answers: {}, t, now: clock.now(), timeZone: 'Asia/Ho_Chi_Minh' })).toEqual(
    ['Chị đã nhận 2 thông báo của Hội, và xem 1 thông báo khi nhắn tin tới (gần nhất: 01/03/2026).'],
  );
  // Erasure: hers go, Mai's stay.
  await rt.transactor.run(() => rt.members.delete(lan.id));
  expect(await db.prisma.broadcastDelivery.count({ where: { memberId: lan.id } })).toBe(0);
  expect(await db.prisma.broadcastDelivery.count({ where: { memberId: mai.id } })).toBe(3);
  // Retention: the broadcast finished 40 days ago loses its deliveries; the recent and the running keep theirs.
  const counts = await pruneExpired(rt.personalData, clock.now());
  expect(counts['broadcastDeliveries']).toBe(1);
  expect(
    (await db.prisma.broadcastDelivery.findMany({ where: { memberId: mai.id } })).map((d) => d.broadcastId).sort(),
  ).toEqual([recent.id, running.id].sort());
});
