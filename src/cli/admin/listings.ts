// `listings ...`: the product listings for the Union's showcase stores (issue 13, "Publishing"). `listings export`
// writes CSV for Excel (UTF-8 with a BOM, CRLF, formula-safe cells, one row per listing, photo paths joined with
// " | ") or JSON (an array), through the bot's own ProductService: by default the approved listings that are published
// (her productPublishing consent holds). The seller's name, commune and phone appear only where she consented to
// publish each (for an approved listing, exactly what the public catalogue shows; for the others, the choices she
// made in her report); her hamlet never. Photo paths are absolute paths under FILES_DIR, of the cleaned photo (no
// EXIF, no GPS) and of its thumbnail. Every export is written to the audit log.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Translate } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Listing, PublicListing } from '../../domain/listings.ts';
import { formatTimestamp } from '../../domain/time.ts';
import type { ListingView, ProductService } from '../../features/products/contract.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import type { ListingsCommand } from './args.ts';
import { ACTOR, AdminError, table, type AdminContext } from './context.ts';
import { csvText, plainText } from '../../domain/csv.ts';

/** What the commands work with: the bot's product service and where the photo files are. */
export interface ListingTools {
  service: Pick<ProductService, 'exportRows' | 'publicOne'>;
  /** FILES_DIR, resolved to an absolute path. */
  filesDir: string;
}

/** One listing as the export shows it (the JSON format's element; the CSV has the same facts, in --lang). */
export interface ExportedListing {
  id: number;
  status: Listing['status'];
  /** Approved and her productPublishing consent holds: what the public catalogue shows. */
  published: boolean;
  available: boolean;
  name: string;
  group: { code: Listing['productGroup']; label: string };
  producer: { kind: Listing['producerKind']; label: string; registrationNumber: string | null };
  description: string;
  unit: string;
  packaging: string | null;
  priceVnd: number;
  quantity: string | null;
  season: string | null;
  ocop: { stars: number; expiresOn: string | null } | null;
  vietgap: boolean;
  organic: boolean;
  foodSafety: boolean;
  seller: {
    name: string | null;
    phone: string | null;
    commune: { code: string; name: string } | null;
    province: string;
  };
  submittedAt: string;
  approvedAt: string | null;
  updatedAt: string;
  /** Absolute paths under FILES_DIR, in her order. */
  photos: { file: string; thumbnail: string }[];
}

const CSV_COLUMNS = [
  'id',
  'status',
  'published',
  'available',
  'name',
  'group',
  'producer',
  'producerRegNo',
  'description',
  'unit',
  'packaging',
  'price',
  'quantity',
  'season',
  'ocopStars',
  'ocopExpiresOn',
  'vietgap',
  'organic',
  'foodSafety',
  'sellerName',
  'communeCode',
  'place',
  'phone',
  'submittedAt',
  'approvedAt',
  'updatedAt',
  'photos',
  'thumbnails',
] as const;

/** How photo paths are joined in one CSV cell. */
export const PATH_SEPARATOR = ' | ';

/**
 * The listings to export, consent applied. `status` undefined: every status; 'approved': only those published (an
 * approved listing whose owner withdrew her productPublishing consent is left out).
 */
export async function exportedListings(
  tools: ListingTools,
  options: { status: Listing['status'] | undefined; directory: AreaDirectory; t: Translate },
): Promise<ExportedListing[]> {
  const { t, directory } = options;
  const rows = await tools.service.exportRows(options.status === undefined ? {} : { status: options.status });
  const result: ExportedListing[] = [];
  for (const row of rows) {
    const { listing } = row;
    const shown = listing.status === 'approved' ? await tools.service.publicOne(listing.id) : null;
    if (options.status === 'approved' && shown === null) continue;
    const contact = sellerOf(row, shown);
    const unit = directory.byCodeOrNull(contact.communeCode);
    const file = (key: string) => path.join(tools.filesDir, ...key.split('/'));
    result.push({
      id: listing.id,
      status: listing.status,
      published: shown !== null,
      available: !listing.soldOut,
      name: listing.name,
      group: { code: listing.productGroup, label: t(`catalogue:groups.${listing.productGroup}`) },
      producer: {
        kind: listing.producerKind,
        label: t(`catalogue:producers.${listing.producerKind}`),
        registrationNumber: listing.producerRegNo,
      },
      description: listing.description,
      unit: listing.unit,
      packaging: listing.packaging,
      priceVnd: listing.priceVnd,
      quantity: listing.quantity,
      season: listing.season,
      ocop: listing.ocopStars === null ? null : { stars: listing.ocopStars, expiresOn: listing.ocopExpiresOn },
      vietgap: listing.vietgap,
      organic: listing.organic,
      foodSafety: listing.foodSafety,
      seller: {
        name: contact.name,
        phone: contact.phone,
        commune:
          contact.communeCode === null
            ? null
            : { code: contact.communeCode, name: unit === null ? contact.communeCode : unitLabel(unit, t) },
        province: directory.province,
      },
      submittedAt: listing.submittedAt.toISOString(),
      approvedAt: listing.approvedAt?.toISOString() ?? null,
      updatedAt: listing.updatedAt.toISOString(),
      photos: row.photoKeys.map((key, i) => ({
        file: file(key),
        thumbnail: row.thumbKeys[i] === undefined ? '' : file(row.thumbKeys[i]),
      })),
    });
  }
  return result;
}

/**
 * The seller's details she consented to publish: for an approved listing exactly what the catalogue shows (nothing
 * when her consent was withdrawn); for the others, the publish choices of her report.
 */
function sellerOf(
  row: ListingView & { ownerName: string | null },
  shown: PublicListing | null,
): { name: string | null; phone: string | null; communeCode: string | null } {
  if (shown !== null) return { name: shown.sellerName, phone: shown.phone, communeCode: shown.communeCode };
  const { listing } = row;
  if (listing.status === 'approved') return { name: null, phone: null, communeCode: null };
  return {
    name: listing.publishName ? row.ownerName : null,
    phone: listing.publishPhone ? listing.phone : null,
    communeCode: listing.publishCommune ? listing.communeCode : null,
  };
}

/** The CSV text for Excel: headers in the language of `t`, times local to `timeZone` with their offset. */
export function listingsCsv(listings: readonly ExportedListing[], t: Translate, timeZone: string): string {
  const header = CSV_COLUMNS.map((column) => t(`catalogue:export.${column}`));
  return csvText([header, ...listings.map((l) => cells(l, t, timeZone, plainText))]);
}

/** One listing as "header: value" lines, in the language of `t` (the CSV's columns, one per line). */
export function showListing(listing: ExportedListing, t: Translate, timeZone: string): string {
  const values = cells(listing, t, timeZone, (text) => text ?? '');
  return table(CSV_COLUMNS.map((column, i) => [`${t(`catalogue:export.${column}`)}:`, values[i] ?? '']));
}

/** The CSV_COLUMNS of one listing; `text` renders what people typed (formula-safe for the CSV). */
function cells(l: ExportedListing, t: Translate, timeZone: string, text: (value: string | null) => string): string[] {
  const yesNo = (value: boolean) => t(value ? 'catalogue:yes' : 'catalogue:no');
  const at = (iso: string | null) => (iso === null ? '' : formatTimestamp(new Date(iso), timeZone));
  return [
    String(l.id),
    t(`catalogue:statuses.${l.status}`),
    yesNo(l.published),
    yesNo(l.available),
    text(l.name),
    l.group.label,
    l.producer.label,
    text(l.producer.registrationNumber),
    text(l.description),
    text(l.unit),
    text(l.packaging),
    String(l.priceVnd),
    text(l.quantity),
    text(l.season),
    l.ocop === null ? '' : String(l.ocop.stars),
    l.ocop?.expiresOn ?? '',
    yesNo(l.vietgap),
    yesNo(l.organic),
    yesNo(l.foodSafety),
    text(l.seller.name),
    l.seller.commune?.code ?? '',
    l.seller.commune?.name ?? l.seller.province,
    text(l.seller.phone),
    at(l.submittedAt),
    at(l.approvedAt),
    at(l.updatedAt),
    text(l.photos.map((p) => p.file).join(PATH_SEPARATOR)),
    text(l.photos.map((p) => p.thumbnail).join(PATH_SEPARATOR)),
  ];
}

export async function runListings(command: ListingsCommand, s: AdminContext): Promise<void> {
  const tools = await s.services.products();
  const t = s.translator(command.language);
  const directory = await s.areas();
  if (command.name === 'listings show') {
    const all = await exportedListings(tools, { status: undefined, directory, t });
    const found = all.find((l) => l.id === command.id);
    if (found === undefined) throw new AdminError(`No listing #${command.id} (see: npm run admin -- listings list)`, 2);
    s.print(showListing(found, t, s.timeZone));
    return;
  }
  const listings = await exportedListings(tools, { status: command.status, directory, t });
  if (command.name === 'listings list') {
    if (listings.length === 0) {
      s.print(command.status ? `No ${command.status} listings.` : 'No listings yet.');
      return;
    }
    s.print(
      table([
        ['id', 'status', 'published', 'group', 'place', 'name'].map((c) => t(`catalogue:export.${c}`)),
        ...listings.map((l) => [
          String(l.id),
          t(`catalogue:statuses.${l.status}`),
          t(l.published ? 'catalogue:yes' : 'catalogue:no'),
          l.group.label,
          l.seller.commune?.name ?? l.seller.province,
          l.name,
        ]),
      ]),
    );
    return;
  }
  const text =
    command.format === 'json' ? `${JSON.stringify(listings, null, 2)}\n` : listingsCsv(listings, t, s.timeZone);
  if (command.out === undefined) {
    s.output.out(text);
  } else {
    try {
      // Names and phone numbers she consented to publish: still personal data, readable by its owner only.
      await writeFile(command.out, text, { encoding: 'utf8', mode: 0o600 });
    } catch (error) {
      throw new AdminError(`Cannot write ${command.out}: ${(error as Error).message}`, 1);
    }
  }
  await s.services.audit.record({
    actor: ACTOR,
    action: 'listings.exported',
    details: { count: listings.length, status: command.status ?? 'all', format: command.format },
  });
  if (command.out !== undefined) {
    s.print(
      `Wrote ${listings.length} listing(s) to ${command.out} (sellers' names, communes and phones only where they ` +
        'consented to publish them; for the Union staff and stores only).',
    );
  }
}
