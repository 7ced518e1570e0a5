// What "My data" shows of the records the core features keep (profile, role, requests, credit pre-screens), each a
// PersonalDataKind of the registry (registry.ts) with its retention, laid out in short pages (a cheap phone shows a
// few hundred characters at a time). Other features and app modules declare their own kinds next to their records.
import { z } from 'zod';
import type { FlowContext } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { PersonalRecords } from '../../domain/privacy.ts';
import type { CaseRepository } from '../../domain/cases.ts';
import type { CreditInquiry, CreditInquiryRepository } from '../../domain/credit/index.ts';
import { WHOLE_PROVINCE, type OfficerRepository } from '../../domain/officers.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { formatDate } from '../../domain/time.ts';
import type { PersonalDataKind } from './registry.ts';
import { unitLabel } from '../profile/areaInput.ts';
import { formatVnd } from '../credit/format.ts';

/** How long closed requests and credit pre-screens are kept (RETENTION_CASES_DAYS, RETENTION_CREDIT_INQUIRIES_DAYS). */
export interface CoreRetention {
  casesDays: number;
  creditInquiriesDays: number;
}

export interface DataSectionDeps {
  areas: AreaDirectory;
  cases: CaseRepository;
  creditInquiries: CreditInquiryRepository;
  officers: OfficerRepository;
  records: PersonalRecords;
  retention: CoreRetention;
}

/** The core features' kinds, in the order "my data" shows them (the profile opens it). */
export function createCoreDataKinds(deps: DataSectionDeps): PersonalDataKind[] {
  return [profileSection(deps), roleSection(deps), requestsSection(deps), creditSection(deps)];
}

/** A page holds at most this many characters (a few screens of a small phone), unless one entry alone is longer. */
export const PAGE_CHARS = 600;

/**
 * Packs entries into pages of at most `maxChars` characters (lines joined by "\n"), in order, never splitting an
 * entry unless the entry alone is longer than a page (it is then split between its lines).
 */
export function paginate(entries: readonly string[], maxChars: number = PAGE_CHARS): string[] {
  const pieces = entries.flatMap((entry) => (entry.length <= maxChars ? [entry] : splitLines(entry, maxChars)));
  const pages: string[] = [];
  let page = '';
  for (const piece of pieces) {
    if (page !== '' && page.length + 1 + piece.length > maxChars) {
      pages.push(page);
      page = '';
    }
    page = page === '' ? piece : `${page}\n${piece}`;
  }
  if (page !== '') pages.push(page);
  return pages;
}

function splitLines(entry: string, maxChars: number): string[] {
  return paginate(entry.split('\n'), maxChars);
}

/** A date as the member reads it, in TIME_ZONE and her language. */
export const dateOf = (d: Date, ctx: FlowContext): string => formatDate(d, ctx.timeZone, ctx.member.language);

/** Her profile (the member row and the basic consent); kept until she deletes it. */
function profileSection(deps: DataSectionDeps): PersonalDataKind {
  return {
    id: 'profile',
    models: ['Member'],
    note: 'kept while she is a member: erased by "delete my data" (the row, and all that cascades from it)',
    summarise: async (ctx) => {
      const { member, t } = ctx;
      const none = t('privacy:notStored');
      const commune = deps.areas.byCodeOrNull(member.communeCode);
      return [
        t('privacy:profile', {
          channel: t(`common:channels.${member.channel}`),
          language: t(`common:languages.${member.language}`),
          name: member.displayName ?? none,
          commune: commune ? unitLabel(commune, t) : none,
          phone: member.phone ? formatVietnamesePhone(member.phone) : none,
          consent: member.consentAt
            ? t('privacy:consentGiven', { date: dateOf(member.consentAt, ctx) })
            : t('privacy:consentNotGiven'),
          since: dateOf(member.createdAt, ctx),
        }) +
          // Her birth year, asked when she registers for a course (the working-age rule): shown only once given.
          (member.birthYear === null ? '' : `\n${t('privacy:birthYear', { year: member.birthYear })}`),
      ];
    },
  };
}

/** Officers and admins: their role and the communes they look after. */
function roleSection(deps: DataSectionDeps): PersonalDataKind {
  return {
    id: 'role',
    models: ['OfficerArea'],
    title: 'privacy:sections.role',
    note: 'kept while she is an officer (removed with her role or her member row)',
    summarise: async (ctx) => {
      const { member, t } = ctx;
      if (member.role === 'member') return [];
      const areas = await deps.officers.areasOf(member.id);
      const names = areas.map((code) =>
        code === WHOLE_PROVINCE ? t('officers:wholeProvince') : communeName(code, deps.areas, t),
      );
      return [
        t('privacy:role', {
          role: t(`officers:roles.${member.role}`),
          areas: names.length > 0 ? names.join(', ') : t('privacy:notStored'),
        }),
      ];
    },
  };
}

/** Her requests (cases): type, date, status, what she gave, the officer's note, when it was closed. */
function requestsSection(deps: DataSectionDeps): PersonalDataKind {
  return {
    id: 'cases',
    models: ['Case', 'CaseMessage'],
    title: 'privacy:sections.requests',
    // Erased by the member row's cascade (her cases, and their messages); an officer's messages lose her id.
    retention: {
      variable: 'RETENTION_CASES_DAYS',
      days: deps.retention.casesDays,
      prune: (before) => deps.records.pruneClosedCases(before),
    },
    summarise: async (ctx) => {
      const { member, t } = ctx;
      const cases = await deps.cases.listByMember(member.id);
      const conversations = await Promise.all(cases.map((c) => deps.cases.messages(c.id)));
      return cases.map((c, i) =>
        [
          t('privacy:request.line', {
            id: c.id,
            type: t(`cases:types.${c.type}`),
            date: dateOf(c.createdAt, ctx),
            status: t(`cases:memberStatuses.${c.status}`),
          }),
          ...(c.communeCode ? [detail(t('profile:fields.commune'), communeName(c.communeCode, deps.areas, t), t)] : []),
          ...Object.entries(c.details).map(([key, value]) =>
            detail(t(`cases:details.${key}`, { defaultValue: key }), value, t),
          ),
          ...(c.note ? [detail(t('privacy:request.note'), c.note, t)] : []),
          ...(c.closedAt ? [detail(t('privacy:request.closed'), dateOf(c.closedAt, ctx), t)] : []),
          // What she and the officers wrote on it, oldest first (stored on the case, erased with it).
          ...(conversations[i] ?? []).map((m) =>
            t(`privacy:request.message.${m.author}`, { date: dateOf(m.createdAt, ctx), text: m.text }),
          ),
        ].join('\n'),
      );
    },
  };
}

/** Her saved loan pre-screens: date, the request it went with, every answer (amounts in words), what may fit. */
function creditSection(deps: DataSectionDeps): PersonalDataKind {
  return {
    id: 'creditInquiries',
    models: ['CreditInquiry'],
    title: 'privacy:sections.credit',
    retention: {
      variable: 'RETENTION_CREDIT_INQUIRIES_DAYS',
      days: deps.retention.creditInquiriesDays,
      prune: (before) => deps.records.pruneCreditInquiries(before),
    },
    summarise: async (ctx) => {
      const inquiries = await deps.creditInquiries.listByMember(ctx.member.id);
      return inquiries.map((inquiry) => inquiryEntry(inquiry, ctx));
    },
  };
}

/** What the stored result says of each programme (read leniently: the result is stored JSON of its day). */
const storedResultSchema = z.object({
  programmes: z
    .array(z.object({ id: z.string(), status: z.string(), names: z.record(z.string(), z.string()) }))
    .catch([]),
});

function inquiryEntry(inquiry: CreditInquiry, ctx: FlowContext): string {
  const { t, member } = ctx;
  const parsed = storedResultSchema.safeParse(inquiry.result);
  const programmes = (parsed.success ? parsed.data.programmes : []).map((p) => ({
    id: p.id,
    status: p.status,
    name: p.names[member.language] ?? p.names['vi'] ?? p.id,
  }));
  const date = dateOf(inquiry.createdAt, ctx);
  const head =
    inquiry.caseId === null
      ? t('privacy:credit.line', { date })
      : t('privacy:credit.lineWithRequest', { date, id: inquiry.caseId });
  const answers = Object.entries(inquiry.answers).map(([key, value]) =>
    detail(t(`credit:fields.${key}`, { defaultValue: key }), creditAnswer(key, value, programmes, ctx), t),
  );
  const named = (status: string) =>
    programmes
      .filter((p) => p.status === status)
      .map((p) => p.name)
      .join(', ');
  const result = [
    ...(named('likely') ? [detail(t('privacy:credit.likely'), named('likely'), t)] : []),
    ...(named('needs_check') ? [detail(t('privacy:credit.needsCheck'), named('needs_check'), t)] : []),
  ];
  if (result.length === 0) result.push(detail(t('privacy:credit.result'), t('privacy:credit.nothingFits'), t));
  return [head, ...answers, ...result].join('\n');
}

/** The labels of a credit answer's values, by question. */
const CREDIT_VALUE_LABELS: Record<string, string> = {
  purpose: 'credit:purposes',
  householdStatus: 'credit:household',
  area: 'credit:area',
  outstandingLoans: 'credit:loans',
};

/** One stored credit answer as the member reads it: "Hộ nghèo", "30 triệu đồng", "Không biết". */
function creditAnswer(
  key: string,
  value: unknown,
  programmes: { id: string; name: string }[],
  ctx: FlowContext,
): string {
  const { t, member } = ctx;
  if (value === 'unknown') return t('credit:dontKnow');
  if (typeof value === 'number') return key === 'amountNeeded' ? formatVnd(value, member.language, t) : String(value);
  if (Array.isArray(value)) {
    return value
      .map((item) =>
        item === 'other' ? t('credit:loans.other') : (programmes.find((p) => p.id === item)?.name ?? String(item)),
      )
      .join(', ');
  }
  if (typeof value !== 'string') return JSON.stringify(value);
  const table = CREDIT_VALUE_LABELS[key];
  if (table) return t(`${table}.${value}`, { defaultValue: value });
  if (value === 'yes') return t('common:yes');
  if (value === 'no') return t('common:no');
  return value;
}

function communeName(code: string, areas: AreaDirectory, t: FlowContext['t']): string {
  const unit = areas.byCodeOrNull(code);
  return unit ? unitLabel(unit, t) : code;
}

function detail(label: string, value: string, t: FlowContext['t']): string {
  return t('privacy:detail', { label, value });
}
