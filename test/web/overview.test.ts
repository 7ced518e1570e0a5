// The Overview page (src/web/pages/overview.ts) and its figures (src/data/consoleStats.ts), on both providers: the
// numbers an officer or admin reads are right per commune, an officer sees only her communes, weeks and months are
// counted in Vietnam's time zone, and each chart links to the section it summarises.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleStats } from '../../src/data/consoleStats.ts';
import { monthBuckets, weekBuckets, yearBucket } from '../../src/domain/consoleStats.ts';
import type { Member } from '../../src/domain/member.ts';
import { TestClock } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { text, webHarness, type WebHarness } from './context.ts';
import { aBroadcast, aCase, aCourse, aListing, aRegistration } from './overview.seed.ts';

const TZ = 'Asia/Ho_Chi_Minh';
/** Phường Phan Đình Phùng, Phường Linh Sơn, Phường Tích Lương (prisma/data/areas.thai-nguyen-2025.json). */
const A = '05443';
const B = '05710';
const C = '05500';
const NAME = { [A]: 'Phường Phan Đình Phùng', [B]: 'Phường Linh Sơn', [C]: 'Phường Tích Lương' };
/** Wednesday 4 March 2026, 10:00 in Vietnam. */
const NOW = new Date('2026-03-04T03:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---- reading what the page shows ------------------------------------------------------------------------------

/** The rows of a chart's numbers table: row label → its numbers (as written, "1.234" read as 1234). */
function numbers(page: string, chartId: string): Map<string, number[]> {
  const start = page.indexOf(`id="${chartId}"`);
  expect(start, `chart ${chartId} on the page`).toBeGreaterThan(-1);
  const figure = page.slice(start, page.indexOf('</figure>', start));
  const rows = new Map<string, number[]>();
  for (const [, row = ''] of figure.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const head = /<th scope="row">([\s\S]*?)<\/th>/.exec(row);
    if (!head) continue;
    const label = head[1]!.replace(/<[^>]+>/g, '').trim();
    const values = [...row.matchAll(/<td class="number">([^<]*)<\/td>/g)].map((m) => Number(m[1]!.replace(/\D/g, '')));
    rows.set(label, values);
  }
  return rows;
}

/** The headline tiles: label → value. */
function tiles(page: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const m of page.matchAll(/<span class="tile-value">([^<]*)<\/span><span class="tile-label">([^<]*)<\/span>/g)) {
    found.set(m[2]!, Number(m[1]!.replace(/\D/g, '')));
  }
  return found;
}

// ---- calendar buckets ----------------------------------------------------------------------------------------

describe('overview buckets in Vietnam time', () => {
  it('weeks run Monday 00:00 to Monday 00:00 in Asia/Ho_Chi_Minh, the current one last', () => {
    const weeks = weekBuckets(NOW, TZ, 12);
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)).toEqual({
      start: new Date('2026-03-01T17:00:00Z'),
      end: new Date('2026-03-08T17:00:00Z'),
      startsOn: '2026-03-02',
    });
    expect(weeks[0]!.startsOn).toBe('2025-12-15');
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]!.start).toEqual(weeks[i - 1]!.end);
  });

  it('a moment at 23:30 UTC on a Sunday is already Monday in Vietnam: the new week', () => {
    const sundayNightUtc = new Date('2026-03-01T23:30:00Z');
    const weeks = weekBuckets(sundayNightUtc, TZ, 2);
    expect(weeks.at(-1)!.startsOn).toBe('2026-03-02');
    // While in UTC the week would still be the one that began on 23 February.
    expect(weekBuckets(sundayNightUtc, 'UTC', 1)[0]!.startsOn).toBe('2026-02-23');
  });

  it('months and the year start at local midnight, across the turn of the year', () => {
    const months = monthBuckets(new Date('2026-01-31T18:00:00Z'), TZ, 3); // 1 Feb 01:00 in Vietnam
    expect(months.map((m) => m.startsOn)).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
    expect(months[2]!.start).toEqual(new Date('2026-01-31T17:00:00Z'));
    expect(yearBucket(new Date('2025-12-31T17:30:00Z'), TZ).startsOn).toBe('2026-01-01');
  });
});

// ---- figures and page, on both providers ---------------------------------------------------------------------

describeEachProvider('overview', (provider) => {
  let db: FreshDatabase;
  let web: WebHarness;
  let admin: Member;
  let officerA: Member;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    web = webHarness(db.prisma, new TestClock(NOW));
    admin = await web.staff('admin', ['*'], 'Chị Quản Trị');
    officerA = await web.staff('officer', [A], 'Chị Cán Bộ A');
  });
  afterEach(() => db.close());

  const get = async (viewer: Member, path = '/console', language: 'vi' | 'en' = 'vi') => {
    const result = await web.call(viewer, 'GET', path, { language });
    expect(result.kind).toBe('page');
    return { result, page: text(result) };
  };

  describe('figures (src/data/consoleStats.ts)', () => {
    it('counts requests per commune and week, a Sunday-night-UTC request in the Vietnamese Monday week', async () => {
      const stats = createConsoleStats(db.prisma);
      const weeks = weekBuckets(NOW, TZ, 3);
      await aCase(db.prisma, A, new Date('2026-03-01T16:59:00Z')); // Sunday 23:59 in Vietnam: the week of 23 Feb
      await aCase(db.prisma, A, new Date('2026-03-01T23:30:00Z')); // Monday 06:30 in Vietnam: this week
      await aCase(db.prisma, A, new Date('2026-03-04T02:00:00Z'));
      await aCase(db.prisma, B, new Date('2026-02-17T05:00:00Z'));
      await aCase(db.prisma, null, new Date('2026-02-25T05:00:00Z'));
      await aCase(db.prisma, B, new Date('2026-01-01T05:00:00Z')); // before the three weeks

      const all = await stats.casesPerCommune({ communes: null }, weeks);
      const by = new Map(all.map((s) => [s.communeCode, s.counts]));
      expect(by.get(A)).toEqual([0, 1, 2]);
      expect(by.get(B)).toEqual([1, 0, 0]);
      expect(by.get(null)).toEqual([0, 1, 0]);

      const onlyA = await stats.casesPerCommune({ communes: [A] }, weeks);
      expect(onlyA).toEqual([{ communeCode: A, counts: [0, 1, 2] }]);
      expect(await stats.casesPerCommune({ communes: [] }, weeks)).toEqual([]);
    });

    it('counts open requests by age and state, and nothing closed', async () => {
      const stats = createConsoleStats(db.prisma);
      const ago = (ms: number) => new Date(NOW.getTime() - ms);
      await aCase(db.prisma, A, ago(2 * HOUR), 'open');
      await aCase(db.prisma, A, ago(23 * HOUR), 'claimed');
      await aCase(db.prisma, A, ago(DAY), 'open'); // exactly a day: the 1–3 days bucket
      await aCase(db.prisma, B, ago(2 * DAY), 'open');
      await aCase(db.prisma, B, ago(5 * DAY), 'claimed');
      await aCase(db.prisma, A, ago(30 * DAY), 'open');
      await aCase(db.prisma, A, ago(30 * DAY), 'done');

      expect(await stats.openCasesByAge({ communes: null }, NOW, [24, 72, 168])).toEqual({
        open: [1, 2, 0, 1],
        claimed: [1, 0, 1, 0],
      });
      expect(await stats.openCasesByAge({ communes: [B] }, NOW, [24, 72, 168])).toEqual({
        open: [0, 1, 0, 0],
        claimed: [0, 0, 1, 0],
      });
    });

    it('counts registrations and completions per month by the course venue, courses and products by status', async () => {
      const stats = createConsoleStats(db.prisma);
      const months = monthBuckets(NOW, TZ, 3);
      const inA = await aCourse(db.prisma, A);
      const inB = await aCourse(db.prisma, B, 'closed');
      await aCourse(db.prisma, A, 'draft');
      await aRegistration(db.prisma, inA, new Date('2026-01-31T17:30:00Z')); // 1 Feb 00:30 in Vietnam
      await aRegistration(db.prisma, inA, new Date('2026-01-31T16:30:00Z')); // 31 Jan 23:30 in Vietnam
      await aRegistration(db.prisma, inA, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-03T00:00:00Z'));
      await aRegistration(db.prisma, inA, new Date('2026-03-02T00:00:00Z'), null, 'referred');
      await aRegistration(db.prisma, inB, new Date('2026-02-10T00:00:00Z'), new Date('2026-02-20T00:00:00Z'));

      expect(await stats.courseActivity({ communes: null }, months)).toEqual({
        registrations: [1, 2, 1],
        completions: [0, 1, 1],
      });
      expect(await stats.courseActivity({ communes: [A] }, months)).toEqual({
        registrations: [1, 1, 1],
        completions: [0, 0, 1],
      });
      expect(await stats.coursesByStatus({ communes: [A] })).toEqual({ draft: 1, open: 1, closed: 0, cancelled: 0 });

      await aListing(db.prisma, A, 'pending');
      await aListing(db.prisma, A, 'approved');
      await aListing(db.prisma, B, 'pending');
      expect(await stats.listingsByStatus({ communes: null })).toEqual({
        pending: 2,
        changes: 0,
        approved: 1,
        rejected: 0,
        withdrawn: 0,
      });
      expect((await stats.listingsByStatus({ communes: [B] })).pending).toBe(1);
      expect((await stats.activeCommunes({ communes: null })).sort()).toEqual([A, B]);
    });

    it("counts a broadcast's deliveries in four groups, the recipients' commune in scope", async () => {
      const stats = createConsoleStats(db.prisma);
      await aBroadcast(db.prisma, 'Cũ', new Date('2026-02-01T02:00:00Z'), [[A, 'sent']]);
      const id = await aBroadcast(db.prisma, 'Bão số 3', new Date('2026-03-03T02:00:00Z'), [
        [A, 'sent'],
        [A, 'shown'],
        [A, 'failed'],
        [B, 'sent'],
        [B, 'unreachable'],
        [B, 'pending'],
        [null, 'notNow'],
        [null, 'optedOut'],
      ]);
      await db.prisma.broadcast.create({
        data: { status: 'draft', texts: { vi: 'Nháp' }, audience: {}, expiresAt: NOW },
      });

      const all = await stats.broadcastReach({ communes: null }, 6);
      expect(all.map((b) => b.text)).toEqual(['Bão số 3', 'Cũ']);
      expect(all[0]).toMatchObject({ id, audience: 8, delivered: 3, waiting: 1, notSent: 2, failed: 2 });
      const inA = await stats.broadcastReach({ communes: [A] }, 1);
      expect(inA).toHaveLength(1);
      expect(inA[0]).toMatchObject({ id, audience: 3, delivered: 2, waiting: 0, notSent: 0, failed: 1 });
    });
  });

  describe('the page', () => {
    async function seedTwoCommunes(): Promise<void> {
      // A: 3 requests this week (one open for 2 days), 1 last week; B: 2 requests three weeks ago, 1 open for 10 days.
      await aCase(db.prisma, A, new Date('2026-03-02T01:00:00Z'));
      await aCase(db.prisma, A, new Date('2026-03-03T01:00:00Z'));
      await aCase(db.prisma, A, new Date('2026-03-02T03:00:00Z'), 'open');
      await aCase(db.prisma, A, new Date('2026-02-24T01:00:00Z'));
      await aCase(db.prisma, B, new Date('2026-02-10T01:00:00Z'));
      await aCase(db.prisma, B, new Date('2026-02-11T01:00:00Z'));
      await aCase(db.prisma, B, new Date('2026-02-22T03:00:00Z'), 'open');
      await aListing(db.prisma, A, 'pending');
      await aListing(db.prisma, B, 'pending');
      await aListing(db.prisma, B, 'approved');
      const course = await aCourse(db.prisma, B);
      await aRegistration(db.prisma, course, new Date('2026-02-05T01:00:00Z'), new Date('2026-02-28T01:00:00Z'));
    }

    it('shows an admin the whole province: headline numbers, requests per week and per commune', async () => {
      await seedTwoCommunes();
      const { page } = await get(admin);
      expect(page).toContain('<h1>Tổng quan</h1>');
      expect(page).toContain('Toàn tỉnh Thái Nguyên');
      const headline = tiles(page);
      expect(headline.get('Yêu cầu chưa xong')).toBe(2);
      expect(headline.get('Chưa ai nhận, đã quá 1 ngày')).toBe(2);
      expect(headline.get('Sản phẩm chờ duyệt')).toBe(2);
      expect(headline.get('Lượt hoàn thành khóa học năm 2026')).toBe(1);
      expect(headline.get('Lớp đang nhận đăng ký')).toBe(1);

      const weeks = numbers(page, 'chart-weeks');
      // Columns: A, B, total (the busiest commune first).
      expect(weeks.get('Tuần này (từ 02/03/2026)')).toEqual([3, 0, 3]);
      expect(weeks.get('Tuần từ 23/02/2026')).toEqual([1, 0, 1]);
      expect(weeks.get('Tuần từ 16/02/2026')).toEqual([0, 1, 1]);
      expect(weeks.get('Tuần từ 09/02/2026')).toEqual([0, 2, 2]);
      expect(weeks.size).toBe(12);
      expect(page).toContain('7 yêu cầu trong 12 tuần qua');

      const communes = numbers(page, 'chart-communes');
      expect([...communes.entries()]).toEqual([
        [NAME[A], [4]],
        [NAME[B], [3]],
      ]);
      // Each commune links to its requests; each chart to its section.
      expect(page).toContain(`href="/console/cases?commune=${A}&amp;status=all"`);
      expect(page).toContain('href="/console/cases?status=all"');
      expect(page).toContain('href="/console/products?status=pending"');
      expect(page).toContain('href="/console/courses"');
      expect(page).toContain('href="/console/broadcasts"');
    });

    it('shows open requests by how long they have waited, with links to the unclaimed ones', async () => {
      await seedTwoCommunes();
      const { page } = await get(admin);
      const ages = numbers(page, 'chart-ages');
      expect(ages.get('Dưới 1 ngày')).toEqual([0, 0, 0]);
      expect(ages.get('1–3 ngày')).toEqual([1, 0, 1]);
      expect(ages.get('Trên 7 ngày')).toEqual([1, 0, 1]);
      // Links to the inbox's unclaimed requests, all of them or those older than a day or three (its age filter).
      expect(page).toMatch(/<a href="\/console\/cases\?status=open"\s*>Tất cả \(2\)<\/a/);
      expect(page).toMatch(/<a href="\/console\/cases\?status=open&amp;age=1d"\s*>Quá 1 ngày \(2\)<\/a/);
      expect(page).toMatch(/<a href="\/console\/cases\?status=open&amp;age=3d"\s*>Quá 3 ngày \(1\)<\/a/);
    });

    it("shows an officer her commune only: no other commune's name or numbers, and refuses another by URL", async () => {
      await seedTwoCommunes();
      const { page } = await get(officerA);
      expect(page).toContain(`Các xã/phường chị phụ trách: ${NAME[A]}`);
      expect(page).not.toContain(NAME[B]);
      const headline = tiles(page);
      expect(headline.get('Yêu cầu chưa xong')).toBe(1);
      expect(headline.get('Sản phẩm chờ duyệt')).toBe(1);
      expect(headline.get('Lượt hoàn thành khóa học năm 2026')).toBe(0);
      const weeks = numbers(page, 'chart-weeks');
      // One series (her commune): no total column.
      expect(weeks.get('Tuần này (từ 02/03/2026)')).toEqual([3]);
      expect(weeks.get('Tuần từ 09/02/2026')).toEqual([0]);
      // One commune: no per-commune chart, no commune filter.
      expect(page).not.toContain('id="chart-communes"');
      expect(page).not.toContain('name="commune"');

      const other = await web.call(officerA, 'GET', `/console?commune=${B}`);
      expect(other.kind === 'page' && other.status).toBe(400);
      const refused = text(other);
      expect(refused).toContain('Không có xã/phường này trong danh sách chị xem được');
      expect(refused).not.toContain(NAME[B]);
      expect(tiles(refused).get('Yêu cầu chưa xong')).toBe(1);
    });

    it('lets an officer of several communes, and an admin, narrow the figures to one commune', async () => {
      await seedTwoCommunes();
      await aCase(db.prisma, C, new Date('2026-03-03T01:00:00Z'));
      const officerAB = await web.staff('officer', [A, B], 'Chị Hai Xã');
      const mine = await get(officerAB);
      expect(mine.page).toContain('name="commune"');
      expect(mine.page).not.toContain(NAME[C]);
      expect(tiles(mine.page).get('Yêu cầu chưa xong')).toBe(2);

      const onlyB = await get(officerAB, `/console?commune=${B}`);
      expect(onlyB.page).toMatch(new RegExp(`<option value="${B}"\\s+selected>${NAME[B]}</option>`));
      expect(tiles(onlyB.page).get('Yêu cầu chưa xong')).toBe(1);
      expect(numbers(onlyB.page, 'chart-weeks').get('Tuần này (từ 02/03/2026)')).toEqual([0]);
      expect(numbers(onlyB.page, 'chart-weeks').get('Tuần từ 09/02/2026')).toEqual([2]);
      // Links keep the commune.
      expect(onlyB.page).toContain(`href="/console/cases?commune=${B}&amp;status=open&amp;age=1d"`);

      const adminC = await get(admin, `/console?commune=${C}`);
      expect(tiles(adminC.page).get('Yêu cầu chưa xong')).toBe(0);
      expect(numbers(adminC.page, 'chart-weeks').get('Tuần này (từ 02/03/2026)')).toEqual([1]);
      const unknown = await web.call(admin, 'GET', '/console?commune=99999');
      expect(unknown.kind === 'page' && unknown.status).toBe(400);
    });

    it("shows the latest broadcasts' reach: an admin the province with links, an officer her commune's recipients", async () => {
      const id = await aBroadcast(db.prisma, 'Bão số 3 <sắp> đổ bộ', new Date('2026-03-03T02:00:00Z'), [
        [A, 'sent'],
        [A, 'failed'],
        [B, 'sent'],
        [B, 'sent'],
      ]);
      const forAdmin = (await get(admin)).page;
      const label = `#${id} 03/03/2026: Bão số 3 &lt;sắp&gt; đổ bộ`;
      // The admin's text is escaped; the columns: delivered, sending, not sent, failed, recipients.
      expect([...numbers(forAdmin, 'chart-broadcasts').entries()]).toEqual([[label, [3, 0, 0, 1, 4]]]);
      expect(forAdmin).not.toContain('<sắp>');
      expect(forAdmin).toContain(`href="/console/broadcasts/${id}"`);

      const forOfficer = (await get(officerA)).page;
      expect([...numbers(forOfficer, 'chart-broadcasts').values()]).toEqual([[1, 0, 0, 1, 2]]);
      expect(forOfficer).not.toContain(`href="/console/broadcasts/${id}"`);
    });

    it('says so when there is nothing yet, and serves /console/overview and English too', async () => {
      const { page } = await get(admin, '/console/overview');
      expect(page).toContain('Chưa có yêu cầu nào trong 12 tuần qua.');
      expect(page).toContain('Chưa có thông báo nào được gửi.');
      expect(page).toContain('Không còn yêu cầu nào chưa xong.');
      const english = await get(admin, '/console', 'en');
      expect(english.page).toContain('<h1>Overview</h1>');
      expect(english.page).toContain('No requests in the last 12 weeks.');
      expect(english.result.kind === 'page' && english.result.title).toBe('Overview');
    });

    it('is refused to a plain member', async () => {
      const plain = await web.deps.runtime.members.create({
        channel: 'telegram',
        channelUserId: 'plain',
        language: 'vi',
      });
      expect((await web.call(plain, 'GET', '/console')).kind).toBe('forbidden');
    });
  });
});
