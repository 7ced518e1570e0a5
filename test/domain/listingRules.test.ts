// The listing rules as pure functions (src/domain/listings.ts): which fields a change touches and whether it sends an
// approved listing back for review; the public view (only what she publishes, never the hamlet); the OCOP horizon.
import { describe, expect, it } from 'vitest';
import {
  changedFields,
  checkListingInput,
  inputOf,
  needsReview,
  ocopNoticeHorizon,
  publicListing,
  type Listing,
  type ListingInput,
} from '../../src/domain/listings.ts';

const base: ListingInput = {
  name: 'Miến dong',
  productGroup: 'food',
  producerKind: 'self',
  producerRegNo: null,
  communeCode: '05755',
  hamlet: 'Xóm Na',
  description: 'Miến dong làm thủ công.',
  unit: 'kg',
  packaging: null,
  priceVnd: 80_000,
  quantity: null,
  season: null,
  ocopStars: null,
  ocopExpiresOn: null,
  vietgap: false,
  organic: false,
  foodSafety: false,
  phone: '+84912345678',
  publishName: true,
  publishCommune: false,
  publishPhone: true,
  photoFileIds: ['a', 'b'],
};

const listing = (over: Partial<Listing> = {}): Listing => {
  const { photoFileIds: _photos, ...fields } = base;
  const at = new Date('2026-03-02T08:00:00Z');
  return {
    ...fields,
    id: 7,
    memberId: 'm',
    status: 'approved',
    soldOut: false,
    caseId: null,
    reviewNote: null,
    changeFields: [],
    reviewedById: null,
    reviewedAt: null,
    submittedAt: at,
    approvedAt: at,
    withdrawnAt: null,
    ocopFlaggedFor: null,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
};

describe('changes to a listing', () => {
  it('names the fields changed; only reviewed ones send it back for review', () => {
    expect(changedFields(base, { ...base, priceVnd: 70_000, season: 'Tết' })).toEqual(['price', 'quantity']);
    expect(needsReview(['price', 'quantity', 'publish'])).toBe(false);
    expect(changedFields(base, { ...base, photoFileIds: ['b', 'a'] })).toEqual(['photos']);
    expect(needsReview(['photos'])).toBe(true);
    expect(changedFields(base, { ...base, hamlet: 'Xóm Mới', ocopStars: 3, ocopExpiresOn: '2027-01-01' })).toEqual([
      'commune',
      'certifications',
    ]);
    expect(changedFields(inputOf(listing(), [{ fileId: 'a' }, { fileId: 'b' }]), base)).toEqual([]);
  });

  it('tidies texts and refuses a registration number for her own production', () => {
    const ok = checkListingInput(
      { ...base, name: '  Miến dong  ', packaging: '   ' },
      { today: '2026-03-02', knownCommune: () => true },
    );
    expect(ok).toMatchObject({ ok: true, input: { name: 'Miến dong', packaging: null } });
    expect(
      checkListingInput({ ...base, producerRegNo: 'HTX 1' }, { today: '2026-03-02', knownCommune: () => true }),
    ).toEqual({ ok: false, field: 'producer', issue: 'notAllowed' });
    // OCOP: valid up to 36 months ahead.
    const ocop = (expires: string) =>
      checkListingInput(
        { ...base, ocopStars: 4, ocopExpiresOn: expires },
        { today: '2026-03-02', knownCommune: () => true },
      ).ok;
    expect([ocop('2026-03-02'), ocop('2029-03-02'), ocop('2029-03-03'), ocop('2026-03-01')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('the public view', () => {
  it('shows name and phone only as she chose, the province only without the commune, never the hamlet', () => {
    const shown = publicListing(
      listing({ soldOut: true }),
      [
        { token: 't2', position: 2 },
        { token: 't1', position: 1 },
      ],
      'Lan',
    );
    expect(shown).toMatchObject({ sellerName: 'Lan', phone: '+84912345678', communeCode: null, available: false });
    expect(shown.photos).toEqual(['t1', 't2']);
    expect(JSON.stringify(shown)).not.toContain('Xóm Na');
    expect(
      publicListing(listing({ publishName: false, publishPhone: false, publishCommune: true }), [], 'Lan'),
    ).toMatchObject({
      sellerName: null,
      phone: null,
      communeCode: '05755',
    });
  });

  it('flags OCOP certificates 30 days ahead', () => {
    expect(ocopNoticeHorizon('2026-03-02')).toBe('2026-04-01');
    expect(ocopNoticeHorizon('2026-12-15')).toBe('2027-01-14');
  });
});
