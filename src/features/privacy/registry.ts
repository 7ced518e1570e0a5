// The personal-data registry (Law 91/2025/QH15: a member may see everything stored about her and have it erased;
// nothing is kept longer than its purpose needs). Every kind of record about a member is declared once, where it
// belongs (its feature, or its app module), as a PersonalDataKind; "My data", "Delete my data" (and Zalo's
// user_withdraw and the admin's erase, which go through the same MemberRepository.delete) and the daily prune job
// iterate the registry, so a feature that stores something new only declares it here.
// test/features/personalData.test.ts fails when a Prisma model is neither covered by a kind nor listed in
// NOT_PERSONAL with a reason.
import type { FlowContext } from '../../conversation/flow.ts';
import type { Logger } from '../../conversation/ports.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';

const DAY_MS = 86_400_000;

/** How long a kind's records are kept, and how the prune job removes the expired ones. */
export interface Retention {
  /** The configuration variable that sets `days` (documented in README and .env.example). */
  variable: string;
  days: number;
  /** Deletes (or anonymises) the records older than `before`; returns how many. Safe on several instances at once. */
  prune(before: Date): Promise<number>;
  /** Set when another job already prunes this kind on its own schedule (e.g. "files.purge"): the prune job skips it. */
  prunedBy?: string;
}

export interface PersonalDataKind {
  /** Short stable id, used in the prune job's counts ("cases", "creditInquiries"...). */
  id: string;
  /** The Prisma models whose rows this kind covers (the completeness test checks every model is covered). */
  models: readonly string[];
  /** i18n key of the heading shown before the kind's first "my data" entry; none for the profile, which opens it. */
  title?: string;
  /**
   * Her records of this kind for "my data": oldest first, each a few short lines joined by "\n", translated, dates in
   * `ctx.timeZone` (domain/time.ts). [] when she has none. Omitted only for a kind that holds nothing about her that
   * can be shown (then `note` says why).
   */
  summarise?(ctx: FlowContext): Promise<string[]>;
  /**
   * Erases or anonymises her records of this kind. Runs in the caller's unit of work, before her member row is
   * deleted (whose ON DELETE CASCADE removes what hangs on it). Omitted when the cascade does it all.
   */
  erase?(member: Member): Promise<unknown>;
  /** Runs after her member row is gone, outside any guarantee (bytes in a file store); errors are only logged. */
  eraseOutside?(member: Member): Promise<unknown>;
  /** Omitted when records live exactly as long as their member row (a profile, until she deletes it). */
  retention?: Retention;
  /** Why a kind has no summary, no erase or no retention, for the reader of the registry and the README. */
  note?: string;
}

/** Prisma models that hold no data about a member, with the reason (the completeness test requires one). */
export const NOT_PERSONAL: Readonly<Record<string, string>> = {
  ChannelCredential: 'the Official Account’s own OAuth tokens',
  AreaDataset: 'public administrative units imported by an admin (importedBy is the CLI operator’s label)',
  ProgrammeDataset: 'public loan programme data imported by an admin',
  Broadcast:
    'the admins’ announcements (createdById / approvedById name the admins; set null when their rows are deleted); ' +
    'who received one is in BroadcastDelivery',
  Course: 'the public course catalogue (officerId names the officer in charge; set null when her row is deleted)',
};

/**
 * "My data": every kind's entries in registry order, each kind's heading on its first entry. A kind that fails is
 * not skipped silently: the error propagates (she would otherwise be shown an incomplete list as if complete).
 */
export async function personalDataEntries(kinds: readonly PersonalDataKind[], ctx: FlowContext): Promise<string[]> {
  const all: string[] = [];
  for (const kind of kinds) {
    if (!kind.summarise) continue;
    const entries = await kind.summarise(ctx);
    if (entries.length === 0) continue;
    const [first = '', ...rest] = entries;
    all.push(kind.title ? `${ctx.t(kind.title)}\n${first}` : first, ...rest);
  }
  return all;
}

/**
 * The member repository whose `delete` erases every registered kind: each kind's `erase` (her jobs, anonymised audit
 * entries, album parts...), then the member row (its cascade removes consents, conversation, cases, files' records...),
 * then each kind's `eraseOutside` (stored bytes; again, for a file stored in between by another instance). `kinds` is
 * read at each call, so the registry may be completed after this wrapper is built. Every way of erasing a member —
 * "Delete my data", Zalo's user_withdraw, the admin's erase — goes through this.
 */
export function withRegistryErasure(
  members: MemberRepository,
  kinds: () => readonly PersonalDataKind[],
  logger: Logger,
): MemberRepository {
  const outside = async (member: Member) => {
    for (const kind of kinds()) {
      if (!kind.eraseOutside) continue;
      try {
        await kind.eraseOutside(member);
      } catch (error) {
        logger.error(
          { memberId: member.id, kind: kind.id, errName: error instanceof Error ? error.name : typeof error },
          'ERASING A MEMBER’S DATA OUTSIDE THE DATABASE FAILED: remove it by hand',
        );
      }
    }
  };
  return {
    ...members,
    async delete(id) {
      const member = await members.findById(id);
      if (!member) return false;
      await outside(member);
      for (const kind of kinds()) await kind.erase?.(member);
      const deleted = await members.delete(id);
      await outside(member);
      return deleted;
    },
  };
}

/**
 * The prune job's work: for each kind with a retention, removes what is older than its days before `now`. Returns
 * the counts by kind id (reports and logs keep counts only). One kind failing does not stop the others; the first
 * error is rethrown at the end so the job runner retries and records it.
 */
export async function pruneExpired(kinds: readonly PersonalDataKind[], now: Date): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let failure: Error | undefined;
  for (const kind of kinds) {
    if (!kind.retention || kind.retention.prunedBy) continue;
    try {
      counts[kind.id] = await kind.retention.prune(new Date(now.getTime() - kind.retention.days * DAY_MS));
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(`pruning ${kind.id} failed`);
    }
  }
  if (failure !== undefined) throw failure;
  return counts;
}

/**
 * How long the records the features keep with no repository of their own are kept (RETENTION_*_DAYS). The outbox's
 * messages have their own variable, OUTBOX_RETENTION_DAYS (src/app/outbox/personalData.ts).
 */
export interface FeatureRetention {
  casesDays: number;
  creditInquiriesDays: number;
  auditDays: number;
}
