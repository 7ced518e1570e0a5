// The web console's case inbox (issue 16): a filtered, paged list of cases for an officer's areas (every case for an
// admin), with the counts its filters show. Read-only; every action on a case still goes through the CaseService.
// Queries use the [status, communeCode] index; the page size is bounded by the caller. No message text is read here.
import type { Case, CaseStatus, CaseType } from '../domain/cases.ts';
import { WHOLE_PROVINCE } from '../domain/officers.ts';
import { toCase } from './caseRepository.ts';
import type { PrismaClient } from './database.ts';

/** Status filters of the inbox: not closed, nobody has it, someone has it, the viewer has it, closed, everything. */
export const INBOX_STATUSES = ['active', 'open', 'claimed', 'mine', 'closed', 'all'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export interface InboxFilter {
  /** The viewer's commune codes, or [WHOLE_PROVINCE]. Empty: she sees nothing. */
  areas: readonly string[];
  /** The viewer (for "mine"). */
  viewerId: string;
  /** One commune (must be within `areas` to match anything); null = all of hers. */
  commune: string | null;
  type: CaseType | null;
  /** Created before this time (the age filter); null = any age. */
  createdBefore: Date | null;
}

/** A case as a row of the inbox: the case and the display name of the officer who took it (null: nobody, erased). */
export interface InboxRow {
  case: Case;
  claimedByName: string | null;
}

const CLOSED: CaseStatus[] = ['done', 'approved', 'rejected'];
const ACTIVE: CaseStatus[] = ['open', 'claimed'];

/** The where clause of a filter and status (a Prisma CaseWhereInput). */
function where(filter: InboxFilter, status: InboxStatus) {
  const whole = filter.areas.includes(WHOLE_PROVINCE);
  const communes = filter.commune === null ? null : [filter.commune];
  const allowed = whole ? communes : (communes ?? [...filter.areas]).filter((c) => filter.areas.includes(c));
  return {
    ...(allowed === null ? {} : { communeCode: { in: allowed } }),
    ...(filter.type === null ? {} : { type: filter.type }),
    ...(filter.createdBefore === null ? {} : { createdAt: { lt: filter.createdBefore } }),
    ...statusWhere(status, filter.viewerId),
  };
}

function statusWhere(status: InboxStatus, viewerId: string) {
  switch (status) {
    case 'active':
      return { status: { in: ACTIVE } };
    case 'open':
      return { status: 'open' };
    case 'claimed':
      return { status: 'claimed' };
    case 'mine':
      return { status: 'claimed', claimedById: viewerId };
    case 'closed':
      return { status: { in: CLOSED } };
    case 'all':
      return {};
  }
}

export function createCaseInbox(prisma: PrismaClient) {
  return {
    /**
     * One page of cases matching the filter and status, newest (highest id) or oldest first. `page` is 1-based;
     * `total` is the number of matching cases. A case whose stored type, status or details are invalid is skipped.
     */
    async page(
      filter: InboxFilter,
      status: InboxStatus,
      options: { page: number; pageSize: number; order: 'newest' | 'oldest' },
    ): Promise<{ rows: InboxRow[]; total: number }> {
      if (filter.areas.length === 0) return { rows: [], total: 0 };
      const clause = where(filter, status);
      const [total, found] = await Promise.all([
        prisma.case.count({ where: clause }),
        prisma.case.findMany({
          where: clause,
          orderBy: { id: options.order === 'newest' ? 'desc' : 'asc' },
          skip: (options.page - 1) * options.pageSize,
          take: options.pageSize,
          include: { claimedBy: { select: { displayName: true } } },
        }),
      ]);
      const rows: InboxRow[] = [];
      for (const row of found) {
        let stored: Case;
        try {
          stored = toCase(row);
        } catch {
          continue; // a row with an invalid stored value is left out of the list (the case page says so)
        }
        rows.push({
          case: stored,
          claimedByName: row.claimedBy?.displayName ?? null,
        });
      }
      return { rows, total };
    },

    /** How many cases match the filter under each status filter (the counts beside the status choices). */
    async statusCounts(filter: InboxFilter): Promise<Record<InboxStatus, number>> {
      const counts = { active: 0, open: 0, claimed: 0, mine: 0, closed: 0, all: 0 };
      if (filter.areas.length === 0) return counts;
      const [groups, mine] = await Promise.all([
        prisma.case.groupBy({ by: ['status'], where: where(filter, 'all'), _count: { _all: true } }),
        prisma.case.count({ where: where(filter, 'mine') }),
      ]);
      for (const group of groups) {
        const n = group._count._all;
        counts.all += n;
        if (group.status === 'open') counts.open += n;
        if (group.status === 'claimed') counts.claimed += n;
        if (ACTIVE.includes(group.status as CaseStatus)) counts.active += n;
        if (CLOSED.includes(group.status as CaseStatus)) counts.closed += n;
      }
      counts.mine = mine;
      return counts;
    },

    /**
     * The communes with cases the viewer may see, with how many match the rest of the filter (commune left out) under
     * this status: for the commune choice. Null code = cases of members without a commune (admins only).
     */
    async communeCounts(
      filter: InboxFilter,
      status: InboxStatus,
    ): Promise<{ communeCode: string | null; count: number }[]> {
      if (filter.areas.length === 0) return [];
      const groups = await prisma.case.groupBy({
        by: ['communeCode'],
        where: where({ ...filter, commune: null }, status),
        _count: { _all: true },
      });
      return groups.map((g) => ({ communeCode: g.communeCode, count: g._count._all }));
    },
  };
}

export type CaseInbox = ReturnType<typeof createCaseInbox>;
