// What the products feature is built from (its dependencies) and what its chat flows and the officers' review are
// built on (./flows.ts, ./review.ts): the service, the notices, the dependencies.
import type { Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import type { Clock, Logger, Transactor } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { CaseRepository } from '../../domain/cases.ts';
import type { FileStore, StoredFileRepository, Thumbnailer } from '../../domain/files.ts';
import type { ListingRepository } from '../../domain/listings.ts';
import type { Language, MemberRepository } from '../../domain/member.ts';
import type { AuditLog, OfficerRepository } from '../../domain/officers.ts';
import type { ConsentRepository } from '../../domain/privacy.ts';
import type { CaseService } from '../cases/service.ts';
import type { ProductNotices } from './notices.ts';
import type { ProductServiceInternals } from './service.ts';

export interface ProductsModuleDeps {
  listings: ListingRepository;
  members: MemberRepository;
  officers: OfficerRepository;
  /** The cases' records (the review case, problem reports) and their service (the officers' case list, claims). */
  cases: CaseRepository;
  caseService: CaseService;
  consents: ConsentRepository;
  audit: AuditLog;
  areas: AreaDirectory;
  /** Members' stored photos: their records and bytes (FILES_DIR); thumbnails are made by `thumbnailer`. */
  files: { records: StoredFileRepository; store: FileStore };
  thumbnailer: Thumbnailer;
  outbox: OutboxPort;
  transactor: Transactor;
  translator: (language: Language) => Translate;
  /** Every language's phrases of a locales list key (the chat: typed words). */
  phrases: (key: string) => string[];
  clock: Clock;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  logger: Logger;
  /** LISTING_DRAFT_DAYS (default 7), LISTING_REPORTS_PER_DAY (default 5), LISTING_OCOP_HOUR (default 8). */
  listingDraftDays?: number;
  listingReportsPerDay?: number;
  listingOcopHour?: number;
  /**
   * The key of the problem reporters' keyed hashes: LISTING_REPORTER_SECRET, or the secret generated once and kept in
   * the database (data/sharedSecret.ts), shared by restarts and instances.
   */
  listingReporterSecret: string | (() => Promise<string>);
  /** The public catalogue's address (PUBLIC_BASE_URL or WEB_BASE_URL + /catalogue), told to buyers; unset: not told. */
  catalogueUrl?: string | undefined;
}

/** What the chat flows and the officers' review are built on. */
export interface ProductFeatureParts {
  service: ProductServiceInternals;
  notices: ProductNotices;
  deps: ProductsModuleDeps;
}
