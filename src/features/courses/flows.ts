// The courses' member chat (browse, register, my registrations), its menu entries and its intents: filled in by the
// member-chat part (branch courses-chat). The module (./index.ts) takes them from here.
import type { Flow } from '../../conversation/flow.ts';
import type { MenuEntry } from '../menu/flow.ts';
import type { IntentDeclaration } from '../understanding.ts';
import type { CourseFeatureParts } from './parts.ts';

/** The courses' flows, built on the service and presenter of the feature. */
export function createCourseFlows(_parts: CourseFeatureParts): Flow[] {
  return [];
}

/** Its entries in the main menu, in menu order. */
export const courseMenuEntries: MenuEntry[] = [];

/** Entries added after the others (FeatureModule.menuAtEnd: the numbers members learnt keep their items). */
export const courseMenuAtEnd: MenuEntry[] = [];

/** What members ask for in their own words that the courses do (examples in locales courses.json "intents"). */
export const courseIntents: IntentDeclaration[] = [];
