// The courses' member chat (browse, register, my registrations), its menu entries and its intents, built on the
// feature's service (./chat.ts assembles ./browse.ts, ./register.ts, ./mine.ts). The module (./index.ts) takes them
// from here.
import type { Flow } from '../../conversation/flow.ts';
import { createConsentService } from '../consent/purposes.ts';
import type { MenuEntry } from '../menu/flow.ts';
import type { IntentDeclaration } from '../understanding.ts';
import { courseMenuAtEnd as chatMenuAtEnd, createCourseChat, type CourseChatDeps } from './chat.ts';
import type { CourseFeatureParts } from './parts.ts';

/** What the chat needs, from the feature's parts: the service, members, areas, consents, phrases, offer hours. */
function chatDeps(parts: CourseFeatureParts): CourseChatDeps {
  const { deps } = parts;
  return {
    service: parts.service,
    members: deps.members,
    areas: deps.areas,
    phrases: deps.phrases,
    consent: createConsentService({ consents: deps.consents, members: deps.members }),
    offerHours: deps.courseOfferHours ?? 24,
  };
}

/** The courses' flows, built on the service of the feature. */
export function createCourseFlows(parts: CourseFeatureParts): Flow[] {
  return createCourseChat(chatDeps(parts)).flows;
}

/** Its entries in the main menu, in menu order: none (the courses came later, see courseMenuAtEnd). */
export const courseMenuEntries: MenuEntry[] = [];

/**
 * Entries added after the others (FeatureModule.menuAtEnd: the numbers members learnt keep their items): "Học nghề
 * ngắn hạn" (everyone) and "Lớp học của tôi" (members who consented).
 */
export const courseMenuAtEnd: MenuEntry[] = chatMenuAtEnd;

/** What members ask for in their own words that the courses do (examples in locales courses.json "intents"). */
export function courseIntents(parts: CourseFeatureParts): IntentDeclaration[] {
  return createCourseChat(chatDeps(parts)).intents;
}
