// The problem reporters' key without LISTING_REPORTER_SECRET: a secret generated once and kept in the database, so a
// restart or a second instance on the same database counts the same person ("one report per listing a day").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../../src/domain/member.ts';
import type { Runtime } from '../../../src/wiring.ts';
import { realRuntime, TestClock } from '../../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/database.ts';
import { consentToPublishing, DAN_TIEN, submitted } from '../../helpers/products.ts';

let db: FreshDatabase;
let clock: TestClock;
const runtimes: Runtime[] = [];

beforeEach(async () => {
  db = await freshDatabase();
  clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
});
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.jobs.stop();
  await db.close();
});

const runtime = () => {
  const rt = realRuntime(db.prisma, clock);
  runtimes.push(rt);
  return rt;
};

async function member(rt: Runtime, userId: string): Promise<Member> {
  const created = await rt.members.create({ channel: 'console', channelUserId: userId, language: 'vi' });
  return rt.members.update(created.id, { displayName: userId, communeCode: DAN_TIEN, consentAt: clock.now() });
}

describe('the reporter key without LISTING_REPORTER_SECRET', () => {
  it('two runtimes on one database (a restart, a second instance) count the same reporter', async () => {
    const first = runtime();
    const seller = await member(first, 'seller');
    await consentToPublishing(first, seller);
    const { id } = await submitted(first, seller);
    await db.prisma.listing.update({ where: { id }, data: { status: 'approved', approvedAt: clock.now() } });
    const buyer = await member(first, 'buyer');

    expect((await first.products.reportProblem(buyer, id, 'wrongInfo', 'Giá sai')).ok).toBe(true);
    const second = runtime();
    expect(await second.products.reportProblem(buyer, id, 'soldOut', null)).toMatchObject({
      ok: false,
      refusal: { reason: 'rateLimited' },
    });
    // Both reports would carry the same key: one stored, one secret row.
    expect(await db.prisma.listingReport.count()).toBe(1);
    expect(await db.prisma.channelCredential.count({ where: { id: 'secret:listing-reporter' } })).toBe(1);
    // Another person is not limited by her report.
    const other = await member(second, 'other');
    expect((await second.products.reportProblem(other, id, 'soldOut', null)).ok).toBe(true);
  });
});
