// How a feature shows and decides the case types it owns (products: a listing's review case `product_report`, a
// problem report `listing_problem`), so the officer's case list and case view show the record itself — the listing
// with its photos and its own decision buttons — instead of the generic approve / reject, which would close the case
// without deciding the record. Declared by the owning feature's module (FeatureModule.caseTypes) and read by the cases
// feature when an officer views, claims or decides a case.
import type { FlowOutcome, Said } from '../../conversation/flow.ts';
import type { Case, CaseType } from '../../domain/cases.ts';
import type { Member } from '../../domain/member.ts';

export interface CaseTypeHandler {
  /**
   * What follows the case card when an officer (already authorised for the case) views or claims it: the record, its
   * photos and its own buttons. Empty when there is nothing more to show.
   */
  view(c: Case, viewer: Member): Promise<Said[]>;
  /**
   * The generic actions this type replaces (hidden from its case card: `view` shows the record's own buttons
   * instead; the card's claim and reply stay). `decide` runs when one of them is nonetheless tapped or typed (an old
   * button, "duyet 12"): it routes to the record's own decision, or refuses; the case is never closed without it.
   */
  replacesDecisions: readonly ('approve' | 'reject' | 'done')[];
  decide(c: Case, actor: Member, action: 'approve' | 'reject' | 'done'): Promise<FlowOutcome>;
}

export type CaseTypeHandlers = Partial<Record<CaseType, CaseTypeHandler>>;
