// The listing repository on SQLite and PostgreSQL: two officers deciding at once through two bot runtimes (two
// database clients) — exactly one decision wins, the other gets wrongStatus; then the rows as the core reads them
// back (changeFields and a draft's answers as JSON, photos in order, by token), the public query (approved, her
// consent, the commune filter only where she publishes it), OCOP expiry, the reporters' counts and their forgetting.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.ts';
import { createListingRepository } from '../../src/data/listingRepository.ts';
import type { ListingInput, ListingRepository } from '../../src/domain/listings.ts';
import type { Member } from '../../src/domain/member.ts';
import type { Runtime } from '../../src/wiring.ts';
import { realRuntime, TestClock } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { jpeg } from '../helpers/photos.ts';

const DAN_TIEN = '05755';

const fields = (over: Partial<ListingInput> = {}): Omit<ListingInput, 'photoFileIds'> => ({
  name: 'Chè Tân Cương',
  productGroup: 'beverages',
  producerKind: 'cooperative',
  producerRegNo: 'HTX-123',
  communeCode: DAN_TIEN,
  hamlet: 'Xóm 3',
  description: 'Chè búp sao tay.',
  unit: 'kg',
  packaging: null,
  priceVnd: 350_000,
  quantity: null,
  season: null,
  ocopStars: 4,
  ocopExpiresOn: '2026-04-01',
  vietgap: false,
  organic: true,
  foodSafety: false,
  phone: null,
  publishName: false,
  publishCommune: true,
  publishPhone: false,
  ...over,
});

describeEachProvider('listing repository', (provider) => {
  let db: FreshDatabase;
  let rt: Runtime;
  let repo: ListingRepository;
  let closeSecond: (() => Promise<void>) | undefined;
  const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));

  beforeEach(async () => {
    db = await freshDatabase(provider);
    rt = realRuntime(db.prisma, clock);
    repo = createListingRepository(db.prisma);
  });
  afterEach(async () => {
    await closeSecond?.();
    closeSecond = undefined;
    await db.close();
  });

  async function member(name: string, role: Member['role'] = 'member', consent = true): Promise<Member> {
    const m = await rt.members.create({ channel: 'console', channelUserId: name, language: 'vi', role });
    if (consent) {
      await db.prisma.memberConsent.create({
        data: { memberId: m.id, purpose: 'productPublishing', givenAt: clock.now() },
      });
    }
    return rt.members.update(m.id, { displayName: name, communeCode: DAN_TIEN, consentAt: clock.now() });
  }

  it('two officers deciding at once through two runtimes: one decision wins, the other is refused', async () => {
    const second = await openDatabase(db.url);
    closeSecond = second.close;
    const rt2 = realRuntime(second.prisma, clock);
    const [hoa, mai] = [await member('hoa', 'officer', false), await member('mai', 'officer', false)];
    await rt.officers.assign(hoa.id, 'officer', [DAN_TIEN]);
    await rt.officers.assign(mai.id, 'officer', [DAN_TIEN]);
    const lan = await member('lan');
    const bytes = await jpeg();
    await rt.files.store.put(`${lan.id}/f1.jpg`, bytes, 'image/jpeg');
    await rt.files.records.create({
      id: 'f1',
      memberId: lan.id,
      key: `${lan.id}/f1.jpg`,
      sha256: 'x',
      mime: 'image/jpeg',
      bytes: bytes.length,
      width: 64,
      height: 48,
    });
    const submitted = await rt.products.submit(lan, {
      ...fields({ ocopExpiresOn: '2027-01-01' }),
      photoFileIds: ['f1'],
    });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    const id = submitted.listing.id;
    const results = await Promise.all([
      rt.transactor.run(() => rt.products.review(hoa, id, { kind: 'approve' })),
      rt2.transactor.run(() => rt2.products.review(mai, id, { kind: 'reject', reason: 'Thiếu giấy tờ' })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ refusal: { reason: 'wrongStatus' } });
    const stored = await repo.get(id);
    const winner = results.find((r) => r.ok);
    expect(stored?.status).toBe(winner?.ok ? winner.listing.status : 'none');
    // One decision message to her, one closed case.
    expect(await db.prisma.notification.count({ where: { recipientId: lan.id, kind: 'listing' } })).toBe(1);
  }, 30_000);

  it('reads back what it stores: JSON fields, photos, tokens, the public query, OCOP, drafts, reporters', async () => {
    const lan = await member('lan');
    const mai = await member('mai', 'member', false);
    const a = await repo.create(lan.id, fields(), clock.now());
    expect(a).toMatchObject({ status: 'pending', changeFields: [], producerRegNo: 'HTX-123', ocopStars: 4 });
    const changed = await repo.transition(a.id, ['pending'], { status: 'changes', changeFields: ['price', 'photos'] });
    expect(changed?.changeFields).toEqual(['price', 'photos']);
    expect(await repo.transition(a.id, ['pending'], { status: 'approved' })).toBeNull();
    await repo.transition(a.id, ['changes'], { status: 'approved', approvedAt: clock.now() });
    await db.prisma.storedFile.createMany({
      data: ['p1', 'p2'].map((id) => ({
        id,
        memberId: lan.id,
        key: `${lan.id}/${id}.jpg`,
        sha256: 'x',
        mime: 'image/jpeg',
        bytes: 1,
        width: 1,
        height: 1,
      })),
    });
    await repo.setPhotos(a.id, [
      { fileId: 'p2', thumbKey: 'k2', position: 1, token: 'tok-two' },
      { fileId: 'p1', thumbKey: 'k1', position: 2, token: 'tok-one' },
    ]);
    expect((await repo.photos(a.id)).map((p) => p.token)).toEqual(['tok-two', 'tok-one']);
    expect(await repo.photoByToken('tok-one')).toMatchObject({ photo: { fileId: 'p1' }, listing: { id: a.id } });
    expect(await repo.photoByToken('nope')).toBeNull();

    const b = await repo.create(mai.id, fields({ publishCommune: false }), clock.now());
    await repo.transition(b.id, ['pending'], { status: 'approved', approvedAt: clock.now() });
    const c = await repo.create(lan.id, fields({ publishCommune: false, productGroup: 'food' }), clock.now());
    await repo.transition(c.id, ['pending'], {
      status: 'approved',
      approvedAt: new Date(clock.now().getTime() + 1000),
    });
    // Mai has no publishing consent: never public. Lan's c does not publish its commune: not in the commune filter.
    const all = await repo.published({ page: 1, perPage: 10 });
    expect(all.items.map((i) => i.listing.id)).toEqual([c.id, a.id]);
    expect(all.items[1]).toMatchObject({ ownerName: 'lan', photos: [{ token: 'tok-two' }, { token: 'tok-one' }] });
    expect(
      (await repo.published({ communeCode: DAN_TIEN, page: 1, perPage: 10 })).items.map((i) => i.listing.id),
    ).toEqual([a.id]);
    expect((await repo.published({ productGroup: 'food', page: 1, perPage: 10 })).total).toBe(1);
    expect((await repo.published({ page: 2, perPage: 1 })).items.map((i) => i.listing.id)).toEqual([a.id]);

    expect((await repo.ocopExpiring('2026-04-01')).map((l) => l.id)).toEqual([a.id, b.id, c.id]);
    await repo.update(a.id, { ocopFlaggedFor: '2026-04-01' });
    expect((await repo.ocopExpiring('2026-04-01')).map((l) => l.id)).toEqual([b.id, c.id]);
    expect(await repo.ocopExpiring('2026-03-31')).toEqual([]);

    const expires = new Date(clock.now().getTime() + 7 * 86_400_000);
    await repo.saveDraft({
      memberId: lan.id,
      answers: { name: 'Chè', photos: ['p1'] },
      step: 'price',
      listingId: null,
      updatedAt: clock.now(),
      expiresAt: expires,
    });
    expect(await repo.draftOf(lan.id)).toMatchObject({ answers: { name: 'Chè', photos: ['p1'] }, step: 'price' });
    expect(await repo.expiredDrafts(clock.now(), 10)).toEqual([]);
    expect((await repo.expiredDrafts(expires, 10)).map((d) => d.memberId)).toEqual([lan.id]);

    const yesterday = new Date(clock.now().getTime() - 86_400_000 - 1);
    await repo.addReport({
      listingId: a.id,
      kind: 'wrongInfo',
      text: null,
      caseId: null,
      reporterKey: 'k',
      createdAt: yesterday,
    });
    await repo.addReport({
      listingId: c.id,
      kind: 'unsafe',
      text: 'x',
      caseId: null,
      reporterKey: 'k',
      createdAt: clock.now(),
    });
    const since = new Date(clock.now().getTime() - 86_400_000);
    expect(await repo.countReports('k', since)).toBe(1);
    expect(await repo.countReports('k', since, a.id)).toBe(0);
    expect(await repo.forgetReporters(since)).toBe(1);
    expect(await db.prisma.listingReport.count({ where: { reporterKey: 'k' } })).toBe(1);

    expect(await repo.deleteByMember(lan.id)).toBe(2);
    expect(await db.prisma.listingPhoto.count()).toBe(0);
  });
});
