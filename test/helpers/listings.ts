// Product listings for tests, made the way members and officers make them: a consented member's photos go through
// the gateway's photo stage (cleaned, stored), her report through ProductService.submit, an officer's decision
// through ProductService.review. No row is written by hand.
import type { ListingInput } from '../../src/domain/listings.ts';
import type { Member } from '../../src/domain/member.ts';
import { WHOLE_PROVINCE } from '../../src/domain/officers.ts';
import type { Runtime } from '../../src/wiring.ts';
import { fakeMedia, jpeg } from './photos.ts';

let sequence = 0;

/** Photos by ref for the console's media source: `gps` is a JPEG carrying a GPS position and the phone's model. */
export async function registerListingPhotos(rt: Runtime): Promise<void> {
  rt.media.register('console', fakeMedia(new Map([['gps', await jpeg({ width: 1200, height: 900, gps: true })]])));
}

/**
 * A member with the basic, photos and productPublishing consents, a name, a phone and a commune; the basic consent
 * given as first contact gives it today, with announcements (issue 14: she is not asked about them again).
 */
export async function seller(
  rt: Runtime,
  now: Date,
  profile: { name?: string; phone?: string; communeCode?: string } = {},
): Promise<Member> {
  const created = await rt.members.create({
    channel: 'console',
    channelUserId: `seller-${++sequence}`,
    language: 'vi',
  });
  let member = await rt.members.update(created.id, {
    consentAt: now,
    displayName: profile.name ?? 'Nguyễn Thị Lan',
    phone: profile.phone ?? '+84912345678',
    communeCode: profile.communeCode ?? '05443',
  });
  member = await rt.features.consent.decide(member, 'announcements', true, now);
  member = await rt.features.consent.decide(member, 'photos', true, now);
  return rt.features.consent.decide(member, 'productPublishing', true, now);
}

/** An officer for the whole province. */
export async function provinceOfficer(rt: Runtime, now: Date): Promise<Member> {
  const created = await rt.members.create({
    channel: 'console',
    channelUserId: `officer-${++sequence}`,
    language: 'vi',
  });
  await rt.members.update(created.id, { consentAt: now, displayName: 'Cán bộ Hội' });
  await rt.officers.assign(created.id, 'officer', [WHOLE_PROVINCE]);
  return (await rt.members.findById(created.id))!;
}

/** Her photos stored by the photo stage (refs: see registerListingPhotos; any other ref is a small JPEG). */
export async function storedPhotos(rt: Runtime, member: Member, refs: string[]): Promise<string[]> {
  const content = await rt.photos.prepare(member, { kind: 'photo', refs }, async () => ({ max: 5 }));
  if (content.kind !== 'storedPhotos') throw new Error(`photos not stored: ${JSON.stringify(content)}`);
  return content.fileIds;
}

/** A complete report (honey from Phan Đình Phùng, everything consented); `over` changes fields. */
export function listingInput(photoFileIds: string[], over: Partial<ListingInput> = {}): ListingInput {
  return {
    name: 'Mật ong rừng',
    productGroup: 'food',
    producerKind: 'household',
    producerRegNo: null,
    communeCode: '05443',
    hamlet: 'Xóm Bãi Bông',
    description: 'Mật ong hoa rừng, thu hoạch thủ công.',
    unit: 'chai 500 ml',
    packaging: 'chai thủy tinh',
    priceVnd: 250_000,
    quantity: '100 chai',
    season: 'quanh năm',
    ocopStars: 3,
    ocopExpiresOn: '2028-05-31',
    vietgap: true,
    organic: false,
    foodSafety: true,
    phone: '+84912345678',
    publishName: true,
    publishCommune: true,
    publishPhone: true,
    photoFileIds,
    ...over,
  };
}

/** Submits her report (with photos from `refs`); returns the listing's id. Fails the test when refused. */
export async function submitted(
  rt: Runtime,
  member: Member,
  over: Partial<ListingInput> = {},
  refs: string[] = ['a'],
): Promise<number> {
  const files = await storedPhotos(rt, member, refs);
  const result = await rt.products.submit(member, listingInput(files, over));
  if (!result.ok) throw new Error(`submit refused: ${JSON.stringify(result.refusal)}`);
  return result.listing.id;
}

/** Submitted and approved by `officer`. */
export async function approved(
  rt: Runtime,
  member: Member,
  officer: Member,
  over: Partial<ListingInput> = {},
  refs: string[] = ['a'],
): Promise<number> {
  const id = await submitted(rt, member, over, refs);
  const result = await rt.products.review(officer, id, { kind: 'approve' });
  if (!result.ok) throw new Error(`approve refused: ${JSON.stringify(result.refusal)}`);
  return id;
}

/** The public tokens of a listing's photos, in order (as she sees them in "my products"). */
export async function photoTokens(rt: Runtime, member: Member, listingId: number): Promise<string[]> {
  const view = await rt.products.mineOne(member, listingId);
  if (!view.ok) throw new Error('not hers');
  return view.photos.map((p) => p.token);
}
