// Her listings and her draft as personal data (features/privacy/registry.ts): "my data" lists each listing with its
// status, when she sent it and how many photos, and her unsent draft; erasing her data deletes her draft and her
// listings (their photos' rows and problem reports go with them); the photo files and thumbnails are under her key
// prefix and go with her stored files (app/files storedFilesDataKind). Withdrawing the productPublishing consent
// purpose unpublishes at once: every public query checks the purpose (no copy to forget). Kept while she is a
// member: a listing is hers to withdraw; drafts are deleted LISTING_DRAFT_DAYS after their last change (the
// products.draftPurge job).
import { displayStatus } from '../../domain/listings.ts';
import { formatDate } from '../../domain/time.ts';
import type { PersonalDataKind } from '../privacy/registry.ts';
import type { ProductServiceInternals } from './service.ts';

export function listingsDataKind(service: ProductServiceInternals): PersonalDataKind {
  return {
    id: 'listings',
    models: ['Listing', 'ListingPhoto', 'ListingDraft', 'ListingReport'],
    title: 'productNotices:myData.title',
    note:
      'kept while she is a member (hers to withdraw); drafts deleted LISTING_DRAFT_DAYS after their last change; ' +
      'problem reports hold no reporter (a keyed hash for the rate limit, cleared after a day); erased with her data',
    async summarise(ctx) {
      const { member, t } = ctx;
      const date = (d: Date) => formatDate(d, ctx.timeZone, member.language);
      const mine = await service.mine(member);
      const lines = mine.reverse().map(({ listing, photos }) =>
        t('productNotices:myData.line', {
          name: listing.name,
          status: t(`productNotices:statuses.${displayStatus(listing)}`),
          submitted: date(listing.submittedAt),
          photos: photos.length,
        }),
      );
      const draft = await service.draftOf(member);
      if (draft) {
        lines.push(
          t('productNotices:myData.draft', {
            updated: date(draft.updatedAt),
            expires: date(draft.expiresAt),
            photos: await service.draftPhotoCount(member),
          }),
        );
      }
      return lines;
    },
    erase: (member) => service.eraseMember(member),
  };
}
