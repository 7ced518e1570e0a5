// Product listings for tests: a member who consented to publishing, photos stored as the photo intake stores them
// (cleaned), a complete report's input, and a listing submitted through the real service (the review case opened,
// the officers told).
import { randomBytes } from 'node:crypto';
import { createImageSanitizer } from '../../src/data/images.ts';
import type { ListingInput } from '../../src/domain/listings.ts';
import type { Member } from '../../src/domain/member.ts';
import type { Runtime } from '../../src/wiring.ts';
import { jpeg } from './photos.ts';

export const DAN_TIEN = '05755';
export const PHAN_DINH_PHUNG = '05443';

/** Gives her the productPublishing consent purpose (what the report flow asks for first). */
export async function consentToPublishing(rt: Runtime, member: Member): Promise<void> {
  await rt.db.memberConsent.create({
    data: { memberId: member.id, purpose: 'productPublishing', givenAt: new Date() },
  });
}

/** A photo of hers, stored cleaned as the intake stores it; returns its StoredFile id. */
export async function storedPhoto(rt: Runtime, member: Member, colour = '#c08020'): Promise<string> {
  const cleaned = await createImageSanitizer().sanitize(await jpeg({ width: 320, height: 240, colour }));
  if (!cleaned.ok) throw new Error('not an image');
  const id = randomBytes(16).toString('base64url');
  const key = `${member.id}/${id}.jpg`;
  await rt.files.store.put(key, cleaned.image.bytes, 'image/jpeg');
  await rt.files.records.create({
    id,
    memberId: member.id,
    key,
    sha256: 'x',
    mime: 'image/jpeg',
    bytes: cleaned.image.bytes.length,
    width: cleaned.image.width,
    height: cleaned.image.height,
  });
  return id;
}

export function listingInput(photoFileIds: string[], over: Partial<ListingInput> = {}): ListingInput {
  return {
    name: 'Mật ong rừng',
    productGroup: 'food',
    producerKind: 'household',
    producerRegNo: null,
    communeCode: DAN_TIEN,
    hamlet: 'Xóm Đồng',
    description: 'Mật ong nuôi dưới tán rừng keo.',
    unit: 'chai 500 ml',
    packaging: null,
    priceVnd: 150_000,
    quantity: '200 chai',
    season: 'quanh năm',
    ocopStars: null,
    ocopExpiresOn: null,
    vietgap: false,
    organic: false,
    foodSafety: true,
    phone: '+84912345678',
    publishName: true,
    publishCommune: true,
    publishPhone: false,
    photoFileIds,
    ...over,
  };
}

/** A listing she submitted with `photos` photos (pending, its review case open); its id and case id. */
export async function submitted(
  rt: Runtime,
  member: Member,
  over: Partial<ListingInput> = {},
  photos = 2,
): Promise<{ id: number; caseId: number; fileIds: string[] }> {
  const fileIds: string[] = [];
  for (let i = 0; i < photos; i++) fileIds.push(await storedPhoto(rt, member));
  const result = await rt.transactor.run(() => rt.products.submit(member, listingInput(fileIds, over)));
  if (!result.ok) throw new Error(`not submitted: ${JSON.stringify(result.refusal)}`);
  return { id: result.listing.id, caseId: result.caseId, fileIds };
}
