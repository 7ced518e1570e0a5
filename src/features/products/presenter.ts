// How a listing reads: the one summary of its fields that the member's report (before she confirms), "my products",
// the officers' review notice and the resubmission notice all show, in the reader's language; a price as "50.000 đ";
// dates in Vietnamese format in Vietnamese (domain/time.ts). Small and pure: wording is in
// locales/<lng>/productNotices.json (summary.*, groups.*, producers.*, fields.*, statuses.*).
import type { Translate } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { ListingField, ListingInput } from '../../domain/listings.ts';
import type { Language } from '../../domain/member.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { formatIsoDate } from '../../domain/time.ts';
import { communeName } from '../courses/presenter.ts';

const NUMBER: Record<Language, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }),
};

/** "50.000 đ" (vi), "50,000 VND" (en). */
export function formatPrice(vnd: number, language: Language, t: Translate): string {
  return t('productNotices:price', { n: NUMBER[language].format(vnd) });
}

/** What a summary needs to read: the reader's translator and language, and the areas (commune names). */
export interface SummaryContext {
  t: Translate;
  language: Language;
  areas: AreaDirectory;
}

/** The fields a summary shows: a listing, or a report's answers before it is one. `photos`: how many. */
export type SummaryData = Omit<ListingInput, 'photoFileIds'> & { photos: number };

/** "xã Dân Tiến" (the code when the areas do not know it). */
export const communeLabel = (code: string | null, ctx: SummaryContext): string => communeName(code, ctx.areas, ctx.t);

/** The field names, joined: "giá và đơn vị bán, ảnh". */
export const fieldNames = (fields: readonly ListingField[], t: Translate): string =>
  fields.map((f) => t(`productNotices:fields.${f}`)).join(', ');

/**
 * The listing's summary, one line per field, in LISTING_FIELDS order: name, OCOP group, producer (registration
 * number), hamlet and commune, description, price per unit (packaging), quantity and season, certifications (OCOP
 * stars with the expiry date), photo count, contact phone, and what she consents to publish. The hamlet is shown here
 * (to her and the officers) but never published.
 */
export function listingSummary(l: SummaryData, ctx: SummaryContext): string {
  const { t, language } = ctx;
  const yesNo = (b: boolean) => t(b ? 'productNotices:yes' : 'productNotices:no');
  const producer = t(`productNotices:producers.${l.producerKind}`);
  const place = [l.hamlet, communeLabel(l.communeCode, ctx)].filter((s) => s).join(', ');
  const certs = [
    ...(l.ocopStars !== null && l.ocopExpiresOn !== null
      ? [t('productNotices:summary.ocop', { stars: l.ocopStars, expires: formatIsoDate(l.ocopExpiresOn, language) })]
      : []),
    ...(l.vietgap ? [t('productNotices:summary.vietgap')] : []),
    ...(l.organic ? [t('productNotices:summary.organic')] : []),
    ...(l.foodSafety ? [t('productNotices:summary.foodSafety')] : []),
  ];
  const price = formatPrice(l.priceVnd, language, t);
  return [
    t('productNotices:summary.name', { value: l.name }),
    t('productNotices:summary.group', { value: t(`productNotices:groups.${l.productGroup}`) }),
    l.producerRegNo
      ? t('productNotices:summary.producerRegNo', { value: producer, regNo: l.producerRegNo })
      : t('productNotices:summary.producer', { value: producer }),
    t('productNotices:summary.place', { value: place }),
    t('productNotices:summary.description', { value: l.description }),
    l.packaging
      ? t('productNotices:summary.pricePackaging', { price, unit: l.unit, packaging: l.packaging })
      : t('productNotices:summary.price', { price, unit: l.unit }),
    ...(l.quantity ? [t('productNotices:summary.quantity', { value: l.quantity })] : []),
    ...(l.season ? [t('productNotices:summary.season', { value: l.season })] : []),
    certs.length > 0
      ? t('productNotices:summary.certifications', { value: certs.join(', ') })
      : t('productNotices:summary.noCertifications'),
    t('productNotices:summary.photos', { count: l.photos }),
    l.phone
      ? t('productNotices:summary.phone', { value: formatVietnamesePhone(l.phone) })
      : t('productNotices:summary.noPhone'),
    t('productNotices:summary.publish', {
      name: yesNo(l.publishName),
      commune: yesNo(l.publishCommune),
      phone: yesNo(l.publishPhone),
    }),
  ].join('\n');
}
