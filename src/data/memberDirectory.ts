// Reads for the web console's Members and Data sections (issue 16) that the repositories do not have: searching
// members by name / phone / commune, what a member has asked for (cases, course registrations, listings), and the
// areas datasets' history. Read-only: every change goes through the services (erasure, officers, invitations).
import type { PrismaClient } from './database.ts';
import { fold } from '../domain/text.ts';

/** One member in a search result (no more than the list shows; her phone only when the search was by phone). */
export interface MemberHit {
  id: string;
  displayName: string | null;
  communeCode: string | null;
  phone: string | null;
  role: string;
  channel: string;
  createdAt: Date;
}

export interface MemberSearch {
  /** Part of her name, accents and case ignored ("lan" finds "Nguyễn Thị Lan"). */
  name?: string;
  /** E.164 (the domain's parseVietnamesePhone): an exact match. */
  phone?: string;
  /** Statistics codes of communes/wards: she lives in one of them. */
  communeCodes?: readonly string[];
  /** 1-based. */
  page: number;
  pageSize: number;
}

/**
 * Members matching every given criterion, newest first, one page of them, and how many match in all. The name is
 * matched on the folded text (src/domain/text.ts fold: no accents, lower case) in this process, over the ids and
 * names the other criteria leave (a province's members: tens of thousands of short rows at most), because neither
 * SQLite nor PostgreSQL folds Vietnamese accents by itself.
 */
export async function searchMembers(
  prisma: PrismaClient,
  search: MemberSearch,
): Promise<{ hits: MemberHit[]; total: number }> {
  const where = {
    ...(search.phone === undefined ? {} : { phone: search.phone }),
    ...(search.communeCodes === undefined ? {} : { communeCode: { in: [...search.communeCodes] } }),
  };
  const select = {
    id: true,
    displayName: true,
    communeCode: true,
    phone: true,
    role: true,
    channel: true,
    createdAt: true,
  } as const;
  const order = [{ createdAt: 'desc' as const }, { id: 'asc' as const }];
  const skip = (search.page - 1) * search.pageSize;
  const needle = search.name === undefined ? '' : fold(search.name).replace(/\s+/g, ' ').trim();
  if (needle === '') {
    const [hits, total] = await Promise.all([
      prisma.member.findMany({ where, select, orderBy: order, skip, take: search.pageSize }),
      prisma.member.count({ where }),
    ]);
    return { hits, total };
  }
  const names = await prisma.member.findMany({
    where: { ...where, displayName: { not: null } },
    select: { id: true, displayName: true },
    orderBy: order,
  });
  const ids = names.filter((m) => fold(m.displayName ?? '').includes(needle)).map((m) => m.id);
  const pageIds = ids.slice(skip, skip + search.pageSize);
  const rows = await prisma.member.findMany({ where: { id: { in: pageIds } }, select });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { hits: pageIds.map((id) => byId.get(id)).filter((r) => r !== undefined), total: ids.length };
}

/** What a member asked for, newest first (at most `limit` of each), and how many of each in all. */
export interface MemberRequests {
  cases: { total: number; items: { id: number; type: string; status: string; createdAt: Date }[] };
  registrations: {
    total: number;
    items: { id: number; courseId: number; courseTitle: string; status: string; createdAt: Date }[];
  };
  listings: { total: number; items: { id: number; name: string; status: string; createdAt: Date }[] };
}

export async function memberRequests(prisma: PrismaClient, memberId: string, limit = 10): Promise<MemberRequests> {
  const where = { memberId };
  const newest = { createdAt: 'desc' as const };
  const [cases, caseCount, registrations, registrationCount, listings, listingCount] = await Promise.all([
    prisma.case.findMany({
      where,
      orderBy: newest,
      take: limit,
      select: { id: true, type: true, status: true, createdAt: true },
    }),
    prisma.case.count({ where }),
    prisma.courseRegistration.findMany({
      where,
      orderBy: newest,
      take: limit,
      select: { id: true, courseId: true, status: true, createdAt: true, course: { select: { titleVi: true } } },
    }),
    prisma.courseRegistration.count({ where }),
    prisma.listing.findMany({
      where,
      orderBy: newest,
      take: limit,
      select: { id: true, name: true, status: true, createdAt: true },
    }),
    prisma.listing.count({ where }),
  ]);
  return {
    cases: { total: caseCount, items: cases },
    registrations: {
      total: registrationCount,
      items: registrations.map((r) => ({
        id: r.id,
        courseId: r.courseId,
        courseTitle: r.course.titleVi,
        status: r.status,
        createdAt: r.createdAt,
      })),
    },
    listings: { total: listingCount, items: listings },
  };
}

/** The newest imported areas dataset (without its data), or null when the areas file is in force. */
export async function newestAreaDataset(
  prisma: PrismaClient,
): Promise<{ id: number; source: string; importedBy: string; importedAt: Date } | null> {
  return prisma.areaDataset.findFirst({
    orderBy: { id: 'desc' },
    select: { id: true, source: true, importedBy: true, importedAt: true },
  });
}

/** Display names of members by id (who imported a dataset, who created an invitation); unknown ids are left out. */
export async function memberNames(prisma: PrismaClient, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await prisma.member.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, displayName: true },
  });
  return new Map(rows.map((r) => [r.id, r.displayName]));
}
