// The cases feature, assembled: routing, the use cases (service, relay, jobs), the notices they send through the
// outbox, and the chat layer on top. Built once per runtime; the chat, the jobs and the admin CLI share it.
import type { Translate } from '../../conversation/flow.ts';
import type { Clock, Logger } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { CaseRepository } from '../../domain/cases.ts';
import type { Language, MemberRepository } from '../../domain/member.ts';
import type { AuditLog, OfficerRepository } from '../../domain/officers.ts';
import { createCaseChat } from './chat.ts';
import { createCaseJobs } from './jobs.ts';
import { createCaseNotices } from './notices.ts';
import type { Outbox } from './outbox.ts';
import { createCasePresenter } from './presenter.ts';
import { createCaseRelay } from './relay.ts';
import { createCaseRouting } from './routing.ts';
import { createCaseService } from './service.ts';

export interface CaseFeatureDeps {
  cases: CaseRepository;
  officers: OfficerRepository;
  members: MemberRepository;
  audit: AuditLog;
  outbox: Outbox;
  areas: AreaDirectory;
  translator: (language: Language) => Translate;
  clock: Clock;
  logger: Logger;
  /** An open case nobody claimed for this long goes to the province officers. */
  escalateAfterMs: number;
  /** IANA zone of every date an officer or member reads (TIME_ZONE). */
  timeZone?: string;
}

export function createCaseFeature(deps: CaseFeatureDeps) {
  const routing = createCaseRouting(deps.officers);
  const presenter = createCasePresenter(deps);
  const notices = createCaseNotices({ ...deps, presenter });
  const service = createCaseService({ ...deps, routing, notices });
  const relay = createCaseRelay({ ...deps, service, routing, notices });
  const jobs = createCaseJobs({ ...deps, routing, notices, countWaiting: () => deps.outbox.countPending() });
  const chat = createCaseChat({ service, relay, presenter, translator: deps.translator });
  return { service, relay, jobs, chat, presenter };
}

export type CaseFeature = ReturnType<typeof createCaseFeature>;
