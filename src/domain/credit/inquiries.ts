// A member's saved pre-screen: what she answered, what the bot said, on which data and for which date.
export interface CreditInquiry {
  id: string;
  memberId: string;
  answers: Record<string, unknown>;
  result: Record<string, unknown>;
  dataVersion: string;
  /** ISO date the rules were evaluated for. */
  evaluatedOn: string;
  caseId: number | null;
  createdAt: Date;
}

export interface CreditInquiryRepository {
  create(input: Omit<CreditInquiry, 'id' | 'createdAt'>): Promise<CreditInquiry>;
  listByMember(memberId: string): Promise<CreditInquiry[]>;
}
