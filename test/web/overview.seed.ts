// Rows for the Overview's tests (test/web/overview*.test.ts), written straight into the tables: the figures are what
// is counted, whatever made the rows, and each test needs its rows at chosen instants.
import type { PrismaClient } from '../../src/data/database.ts';

let seq = 0;

export async function member(prisma: PrismaClient, communeCode: string | null): Promise<string> {
  const row = await prisma.member.create({
    data: { channel: 'telegram', channelUserId: `ov-${++seq}`, communeCode, displayName: `Chị Thử ${seq}` },
  });
  return row.id;
}

export async function aCase(
  prisma: PrismaClient,
  communeCode: string | null,
  createdAt: Date,
  status: 'open' | 'claimed' | 'done' = 'done',
): Promise<void> {
  await prisma.case.create({
    data: { type: 'talk', memberId: await member(prisma, communeCode), communeCode, details: {}, status, createdAt },
  });
}

export async function aCourse(prisma: PrismaClient, communeCode: string, status = 'open'): Promise<number> {
  const row = await prisma.course.create({
    data: {
      titleVi: `Lớp ${++seq}`,
      occupation: 'sewing',
      organiser: 'Trung tâm',
      communeCode,
      address: 'Nhà văn hóa',
      startDate: '2026-04-01',
      endDate: '2026-05-01',
      schedule: 'Thứ 2–6',
      seats: 30,
      registrationDeadline: new Date('2026-03-30T00:00:00Z'),
      status,
    },
  });
  return row.id;
}

export async function aRegistration(
  prisma: PrismaClient,
  courseId: number,
  createdAt: Date,
  completedAt: Date | null = null,
  status = completedAt ? 'completed' : 'registered',
): Promise<void> {
  await prisma.courseRegistration.create({
    data: { courseId, memberId: await member(prisma, null), status, createdAt, completedAt },
  });
}

export async function aListing(prisma: PrismaClient, communeCode: string, status: string): Promise<void> {
  await prisma.listing.create({
    data: {
      memberId: await member(prisma, communeCode),
      status,
      name: 'Chè Tân Cương',
      productGroup: 'beverages',
      producerKind: 'self',
      communeCode,
      description: 'Chè búp',
      unit: 'kg',
      priceVnd: 300_000,
      submittedAt: new Date(),
    },
  });
}

/** A broadcast that started sending, with deliveries: [member's commune, status] each. */
export async function aBroadcast(
  prisma: PrismaClient,
  text: string,
  startedAt: Date,
  deliveries: [string | null, string][],
): Promise<number> {
  const row = await prisma.broadcast.create({
    data: {
      status: 'done',
      texts: { vi: text },
      audience: {},
      expiresAt: new Date(startedAt.getTime() + 7 * 24 * 3_600_000),
      startedAt,
    },
  });
  for (const [communeCode, status] of deliveries) {
    await prisma.broadcastDelivery.create({
      data: {
        broadcastId: row.id,
        memberId: await member(prisma, communeCode),
        channel: 'telegram',
        language: 'vi',
        status,
      },
    });
  }
  return row.id;
}

/**
 * A province with some history, for the screenshot: requests in several communes over twelve weeks (a few still
 * open, of various ages), courses with registrations and completions over the months, products in every state and
 * three announcements. Deterministic (no randomness), relative to `now`.
 */
export async function seedProvince(prisma: PrismaClient, now: Date): Promise<void> {
  const DAY = 24 * 3_600_000;
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const communes = ['05443', '05710', '05500', '05467', '05455', '05482', '05488', '05503'];
  // Requests: more in the first communes, a rising trend towards now.
  for (let week = 0; week < 12; week++) {
    for (const [c, code] of communes.entries()) {
      const count = Math.max(0, ((week * 3 + c * 5) % 7) - c + Math.floor(week / 3));
      for (let i = 0; i < count; i++) {
        const days = (11 - week) * 7 + ((i * 2 + c) % 7) + 0.3;
        const status = days < 12 && (i + c) % 3 === 0 ? (i % 2 === 0 ? 'open' : 'claimed') : 'done';
        await aCase(prisma, code, ago(days), status);
      }
    }
  }
  await aCase(prisma, null, ago(3), 'open');
  await aCase(prisma, '05443', ago(0.2), 'open');
  await aCase(prisma, '05710', ago(0.5), 'open');

  // Courses and their registrations over the last months.
  const sewing = await aCourse(prisma, '05443', 'closed');
  const tea = await aCourse(prisma, '05710', 'open');
  await aCourse(prisma, '05500', 'open');
  await aCourse(prisma, '05467', 'draft');
  await aCourse(prisma, '05455', 'cancelled');
  for (let month = 0; month < 12; month++) {
    const count = 2 + ((month * 5) % 6);
    for (let i = 0; i < count; i++) {
      const signed = ago((11 - month) * 30 + i * 2 + 1);
      const completed = month < 10 && i % 2 === 0 ? new Date(signed.getTime() + 45 * DAY) : null;
      await aRegistration(prisma, month % 2 === 0 ? sewing : tea, signed, completed);
    }
  }

  // Products in every state.
  const listings: [string, string, number][] = [
    ['05443', 'pending', 3],
    ['05710', 'pending', 2],
    ['05443', 'approved', 6],
    ['05500', 'approved', 4],
    ['05467', 'changes', 2],
    ['05710', 'rejected', 1],
    ['05482', 'withdrawn', 1],
  ];
  for (const [code, status, count] of listings) for (let i = 0; i < count; i++) await aListing(prisma, code, status);

  // Three announcements: two finished, one still sending.
  const spread = (delivered: number, other: [string, number][]): [string | null, string][] => {
    const rows: [string | null, string][] = [];
    for (let i = 0; i < delivered; i++) rows.push([communes[i % communes.length]!, 'sent']);
    for (const [status, count] of other) for (let i = 0; i < count; i++) rows.push([communes[i % 3]!, status]);
    return rows;
  };
  await aBroadcast(
    prisma,
    'Lớp may công nghiệp khai giảng ngày 15/3, còn 12 chỗ',
    ago(20),
    spread(38, [
      ['failed', 2],
      ['unreachable', 3],
      ['notNow', 4],
    ]),
  );
  await aBroadcast(
    prisma,
    'Cảnh báo bão số 3: chị em chú ý chằng chống nhà cửa',
    ago(9),
    spread(52, [
      ['unreachable', 4],
      ['shown', 6],
      ['optedOut', 1],
    ]),
  );
  await aBroadcast(
    prisma,
    'Hội chợ sản phẩm OCOP tại Nhà văn hóa tỉnh',
    ago(0.1),
    spread(21, [
      ['pending', 14],
      ['sending', 2],
      ['failed', 1],
    ]),
  );
}
