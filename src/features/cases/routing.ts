// Which officers hear about a case: routing by the member's commune, with the fallbacks that make sure someone does.
import type { Officer, OfficerRepository } from '../../domain/officers.ts';

export interface CaseRouting {
  /** Who hears about a new case (and a member's message while nobody took it): the commune's officers, else the
   * province-wide ones, else the admins. Empty when there is nobody at all yet. */
  recipientsFor(communeCode: string | null): Promise<Officer[]>;
  /** Who gets a case nobody claimed in time: the province-wide officers, else the admins. */
  escalationTargets(): Promise<Officer[]>;
}

export function createCaseRouting(officers: OfficerRepository): CaseRouting {
  const admins = async () => (await officers.list()).filter((o) => o.member.role === 'admin');
  return {
    async recipientsFor(communeCode) {
      const local = communeCode ? await officers.forCommune(communeCode) : [];
      if (local.length > 0) return local;
      const province = await officers.provinceWide();
      if (province.length > 0) return province;
      return admins();
    },
    async escalationTargets() {
      const province = await officers.provinceWide();
      return province.length > 0 ? province : admins();
    },
  };
}
