// Officers and admins: roles are data (Member.role + OfficerArea rows), never a list of ids in code.
import type { Member, Role } from './member.ts';

/** Marks "the whole province" in an officer's areas. */
export const WHOLE_PROVINCE = '*';

export interface Officer {
  member: Member;
  /** Commune codes, or [WHOLE_PROVINCE]. */
  areas: string[];
}

export function covers(areas: readonly string[], communeCode: string | null): boolean {
  return areas.includes(WHOLE_PROVINCE) || (communeCode !== null && areas.includes(communeCode));
}

export interface OfficerRepository {
  /** Officers and admins with their areas. */
  list(): Promise<Officer[]>;
  areasOf(memberId: string): Promise<string[]>;
  /** Officers (role officer or admin) whose areas include this commune exactly (not the province-wide ones). */
  forCommune(communeCode: string): Promise<Officer[]>;
  /** Officers covering the whole province. */
  provinceWide(): Promise<Officer[]>;
  /** Sets role and areas in one transaction (areas [] for a plain member). */
  assign(memberId: string, role: Role, areas: readonly string[]): Promise<void>;
}

export interface Invitation {
  id: string;
  role: Extract<Role, 'officer' | 'admin'>;
  areas: string[];
  createdBy: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export type RedeemResult = { ok: true; invitation: Invitation } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface InvitationRepository {
  create(input: Omit<Invitation, 'id' | 'usedAt'> & { codeHash: string }): Promise<Invitation>;
  /** Marks the invitation used by this member, atomically: of two redeemers at once, exactly one succeeds. */
  redeem(codeHash: string, memberId: string, now: Date): Promise<RedeemResult>;
}

export interface AuditEntry {
  /** A member id, or "cli". */
  actor: string;
  action: string;
  subject?: string;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  list(filter?: { subject?: string }): Promise<(AuditEntry & { at: Date })[]>;
}
