// The broadcast repository on SQLite and PostgreSQL: the audience per segment (each alone and combined; opted-out
// members never in), its size per channel with the out-of-reach figures, the deliveries written in keyset batches
// that resume after an interruption without duplicates, counts, the failures page, cancelling pending ones, and the
// compare-and-set transition (two admins deciding at once: one wins).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBroadcastRepository } from '../../src/data/broadcastRepository.ts';
import type { AudienceSpec, Broadcast, BroadcastRepository } from '../../src/domain/broadcasts.ts';
import type { ChannelName } from '../../src/domain/channels.ts';
import { ZALO_WINDOW_MS } from '../../src/domain/cases.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const NOW = new Date('2026-03-02T08:00:00Z');
const DAY = 24 * 3_600_000;
const DAN_TIEN = '05755';
const OTHER = '05758';

describeEachProvider('broadcast repository', (provider) => {
  let db: FreshDatabase;
  let repo: BroadcastRepository;
  let n = 0;

  beforeEach(async () => {
    db = await freshDatabase(provider);
    repo = createBroadcastRepository(db.prisma);
  });
  afterEach(async () => {
    await db.close();
  });

  /** A member; `announcements`: given (default), withdrawn, or never asked. */
  async function member(
    over: {
      channel?: ChannelName;
      language?: 'vi' | 'en';
      commune?: string;
      announcements?: 'given' | 'withdrawn' | 'none';
      role?: string;
      unreachable?: boolean;
      lastInboundAt?: Date | null;
    } = {},
  ): Promise<string> {
    n += 1;
    const m = await db.prisma.member.create({
      data: {
        id: `m${String(n).padStart(5, '0')}`,
        channel: over.channel ?? 'telegram',
        channelUserId: `u${n}`,
        language: over.language ?? 'vi',
        communeCode: over.commune ?? DAN_TIEN,
        role: over.role ?? 'member',
        consentAt: NOW,
        unreachableAt: over.unreachable ? NOW : null,
        lastInboundAt: over.lastInboundAt === undefined ? NOW : over.lastInboundAt,
      },
    });
    const a = over.announcements ?? 'given';
    if (a !== 'none') {
      await db.prisma.memberConsent.create({
        data: {
          memberId: m.id,
          purpose: 'announcements',
          givenAt: new Date(NOW.getTime() - DAY),
          withdrawnAt: a === 'withdrawn' ? NOW : null,
        },
      });
    }
    return m.id;
  }

  const draft = (audience: AudienceSpec = {}) =>
    repo.create({
      status: 'preparing',
      texts: { vi: 'Họp xét vay vốn', en: 'Loan review meeting' },
      photoFileId: null,
      button: { target: 'courses' },
      audience,
      urgent: false,
      zaloOutsideWindow: 'skip',
      scheduledAt: null,
      expiresAt: new Date(NOW.getTime() + 7 * DAY),
      createdById: null,
      needsApproval: false,
    });

  async function prepareAll(b: Broadcast, limit: number): Promise<void> {
    let cursor: string | null = null;
    for (;;) {
      const next: string | null = await repo.prepareBatch(b, cursor, limit, NOW);
      if (next === null) return;
      cursor = next;
    }
  }

  const audienceOf = async (spec: AudienceSpec) => {
    const b = await draft(spec);
    await prepareAll(b, 2);
    const rows = await db.prisma.broadcastDelivery.findMany({
      where: { broadcastId: b.id },
      orderBy: { memberId: 'asc' },
    });
    return rows.map((r) => r.memberId);
  };

  describe('segments', () => {
    let ids: Record<string, string>;
    beforeEach(async () => {
      ids = {
        lan: await member({ channel: 'telegram', language: 'vi', commune: DAN_TIEN }),
        hoa: await member({ channel: 'zalo', language: 'en', commune: OTHER }),
        mai: await member({ channel: 'zalobot', language: 'vi', commune: OTHER }),
        stopped: await member({ channel: 'telegram', commune: DAN_TIEN, announcements: 'withdrawn' }),
        never: await member({ channel: 'telegram', commune: DAN_TIEN, announcements: 'none' }),
        officer: await member({ role: 'officer' }),
      };
      const course = await db.prisma.course.create({
        data: {
          titleVi: 'Trồng nấm',
          occupation: 'tea',
          organiser: 'Hội',
          registrationDeadline: NOW,
          communeCode: DAN_TIEN,
          address: 'Nhà văn hoá',
          startDate: '2026-04-01',
          endDate: '2026-04-10',
          schedule: 'Sáng',
          seats: 1,
          support: 'none',
          status: 'open',
        },
      });
      await db.prisma.courseRegistration.create({
        data: { courseId: course.id, memberId: ids.lan!, status: 'registered' },
      });
      await db.prisma.courseRegistration.create({
        data: { courseId: course.id, memberId: ids.hoa!, status: 'waiting', waitingSince: NOW },
      });
      await db.prisma.courseRegistration.create({
        data: { courseId: course.id, memberId: ids.stopped!, status: 'registered' },
      });
      ids.course = String(course.id);
      // Mai: an open credit case with her inquiry; Hoa: a closed one.
      for (const [who, status] of [
        ['mai', 'open'],
        ['hoa', 'done'],
      ] as const) {
        const c = await db.prisma.case.create({
          data: { type: 'credit_lead', memberId: ids[who]!, details: {}, status },
        });
        await db.prisma.creditInquiry.create({
          data: {
            memberId: ids[who]!,
            answers: {},
            result: {},
            dataVersion: '1',
            evaluatedOn: '2026-03-01',
            caseId: c.id,
          },
        });
      }
      // Listings: Lan pending, Hoa approved, Mai rejected.
      for (const [who, status] of [
        ['lan', 'pending'],
        ['hoa', 'approved'],
        ['mai', 'rejected'],
      ] as const) {
        await db.prisma.listing.create({
          data: {
            memberId: ids[who]!,
            status,
            name: 'Chè',
            productGroup: 'beverages',
            producerKind: 'self',
            communeCode: DAN_TIEN,
            description: 'Chè',
            unit: 'kg',
            priceVnd: 1000,
            submittedAt: NOW,
          },
        });
      }
    });

    it('each segment alone and combined; opted-out and never-asked members and officers never in', async () => {
      const { lan, hoa, mai } = ids;
      const courseId = Number(ids.course);
      expect(await audienceOf({})).toEqual([lan, hoa, mai]);
      expect(await audienceOf({ communes: [OTHER] })).toEqual([hoa, mai]);
      expect(await audienceOf({ channels: ['telegram', 'zalobot'] })).toEqual([lan, mai]);
      expect(await audienceOf({ languages: ['en'] })).toEqual([hoa]);
      expect(await audienceOf({ course: { courseId, who: 'registrants' } })).toEqual([lan]);
      expect(await audienceOf({ course: { courseId, who: 'waitingList' } })).toEqual([hoa]);
      expect(await audienceOf({ course: { courseId, who: 'both' } })).toEqual([lan, hoa]);
      expect(await audienceOf({ creditInquiry: true })).toEqual([mai]);
      expect(await audienceOf({ products: ['pending'] })).toEqual([lan]);
      expect(await audienceOf({ products: ['pending', 'approved'] })).toEqual([lan, hoa]);
      expect(await audienceOf({ products: ['approved'], communes: [DAN_TIEN] })).toEqual([]);
      expect(
        await audienceOf({ course: { courseId, who: 'both' }, languages: ['vi'], channels: ['telegram'] }),
      ).toEqual([lan]);
    });

    it('the size per channel, the opted-out figure, and the deliveries in her channel and language', async () => {
      const size = await repo.audienceSize({}, NOW, ZALO_WINDOW_MS);
      expect(size).toEqual({
        total: 3,
        perChannel: { telegram: 1, zalo: 1, zalobot: 1 },
        unreachable: 0,
        zaloWindowClosed: 0,
        optedOut: 1,
      });
      const courseSize = await repo.audienceSize(
        { course: { courseId: Number(ids.course), who: 'registrants' } },
        NOW,
        ZALO_WINDOW_MS,
      );
      expect(courseSize).toMatchObject({ total: 1, optedOut: 1 });
      const b = await draft({});
      await prepareAll(b, 10);
      const rows = await db.prisma.broadcastDelivery.findMany({
        where: { broadcastId: b.id },
        orderBy: { memberId: 'asc' },
      });
      expect(rows.map((r) => [r.channel, r.language, r.status])).toEqual([
        ['telegram', 'vi', 'pending'],
        ['zalo', 'en', 'pending'],
        ['zalobot', 'vi', 'pending'],
      ]);
      expect((await repo.find(b.id))?.audienceSize).toBe(3);
    });
  });

  it('out of reach now: unreachable members, Zalo members outside the 7-day window', async () => {
    await member({ channel: 'telegram', unreachable: true });
    await member({ channel: 'zalo', lastInboundAt: new Date(NOW.getTime() - 8 * DAY) });
    await member({ channel: 'zalo', lastInboundAt: null });
    await member({ channel: 'zalo', lastInboundAt: new Date(NOW.getTime() - 6 * DAY) });
    await member({ channel: 'zalo', unreachable: true });
    const size = await repo.audienceSize({}, NOW, ZALO_WINDOW_MS);
    expect(size).toEqual({
      total: 5,
      perChannel: { telegram: 1, zalo: 4 },
      unreachable: 2,
      zaloWindowClosed: 2,
      optedOut: 0,
    });
    // The known-unreachable are written as such (not sent; counted in the report).
    const b = await draft({});
    await prepareAll(b, 2);
    const counts = await repo.counts(b.id);
    expect(counts.total).toBe(5);
    expect(counts.byStatus.pending).toBe(3);
    expect(counts.byStatus.unreachable).toBe(2);
  });

  it('prepares in batches; an interrupted preparation resumes from its cursor without duplicates', async () => {
    for (let i = 0; i < 23; i += 1) await member();
    const b = await draft({});
    const first = await repo.prepareBatch(b, null, 5, NOW);
    const second = await repo.prepareBatch(b, first, 5, NOW);
    expect((await repo.find(b.id))?.cursor).toBe(second);
    // "Crash": the job starts again from an older cursor (as if the cursor update of the last batch was lost).
    await prepareAll(b, 5);
    const rows = await db.prisma.broadcastDelivery.findMany({ where: { broadcastId: b.id } });
    expect(rows).toHaveLength(23);
    expect(new Set(rows.map((r) => r.memberId)).size).toBe(23);
    expect((await repo.find(b.id))?.audienceSize).toBe(23);
    // Cancelling: pending rows become cancelled in batches, counted.
    expect(await repo.cancelPending(b.id, 10)).toBe(10);
    expect(await repo.cancelPending(b.id, 10)).toBe(10);
    expect(await repo.cancelPending(b.id, 10)).toBe(3);
    expect(await repo.cancelPending(b.id, 10)).toBe(0);
    const counts = await repo.counts(b.id);
    expect(counts.byStatus.cancelled).toBe(23);
    const page1 = await repo.failures(b.id, null, 20);
    const page2 = await repo.failures(b.id, page1.at(-1)!.memberId, 20);
    expect(page1).toHaveLength(20);
    expect(page2).toHaveLength(3);
    expect(page2[0]).toMatchObject({ status: 'cancelled', reason: 'cancelled', channel: 'telegram' });
  });

  it('transition is a compare-and-set; scheduled ones due; sending ones with nothing left', async () => {
    await member();
    const b = await repo.create({
      status: 'awaitingApproval',
      texts: { vi: 'Bão số 3' },
      photoFileId: null,
      button: null,
      audience: { channels: ['telegram'] },
      urgent: true,
      zaloOutsideWindow: 'promotion',
      scheduledAt: new Date(NOW.getTime() + 3_600_000),
      expiresAt: new Date(NOW.getTime() + DAY),
      createdById: null,
      needsApproval: true,
    });
    expect(b).toMatchObject({ texts: { vi: 'Bão số 3' }, button: null, urgent: true, zaloOutsideWindow: 'promotion' });
    const [one, two] = await Promise.all([
      repo.transition(b.id, ['awaitingApproval'], { status: 'scheduled', decidedAt: NOW }),
      repo.transition(b.id, ['awaitingApproval'], { status: 'rejected', decidedAt: NOW }),
    ]);
    expect([one, two].filter((x) => x !== null)).toHaveLength(1);
    await repo.update(b.id, { status: 'scheduled' });
    expect(await repo.dueScheduled(NOW, 10)).toEqual([]);
    expect((await repo.dueScheduled(new Date(NOW.getTime() + 3_600_000), 10)).map((x) => x.id)).toEqual([b.id]);
    await repo.update(b.id, { status: 'sending' });
    await repo.prepareBatch(b, null, 10, NOW);
    expect(await repo.finishedSending(10)).toEqual([]);
    await db.prisma.broadcastDelivery.updateMany({
      where: { broadcastId: b.id },
      data: { status: 'sent', sentAt: NOW },
    });
    expect((await repo.finishedSending(10)).map((x) => x.id)).toEqual([b.id]);
    expect(await repo.sentSince(b.id, new Date(NOW.getTime() - 60_000))).toBe(1);
    expect((await repo.list({ statuses: ['sending'], limit: 5 })).map((x) => x.id)).toEqual([b.id]);
  });
});
