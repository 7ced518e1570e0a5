// The admins' part of the broadcasts feature (issue 14): the guided "Gửi thông báo" (compose.ts), the buttons and
// typed commands approve / reject / cancel / progress / the list (adminActions.ts), and their two menu entries. The
// feature module (index.ts, the core helper's) composes it with the member's part. Texts: locales broadcastAdmin.
import type { Flow } from '../../conversation/flow.ts';
import type { FeatureActions } from '../module.ts';
import type { MenuEntry } from '../menu/flow.ts';
import {
  createBroadcastAdminActions,
  createBroadcastAdminFlows,
  sentMenuEntry,
  type AdminActionDeps,
} from './adminActions.ts';
import { composeMenuEntry, createComposeFlows, type ComposeDeps } from './compose.ts';

export type BroadcastAdminDeps = ComposeDeps & Omit<AdminActionDeps, 'approvalThreshold' | 'timeZone' | 'hours'>;

export interface BroadcastAdminPart {
  flows: Flow[];
  /** After every feature's entries (the numbers members learnt keep their items). */
  menuAtEnd: MenuEntry[];
  actions: FeatureActions;
}

/** The admin part as the module composes it (src/features/broadcasts/index.ts ADMIN_PART). */
export function broadcastAdminPart(deps: BroadcastAdminDeps): BroadcastAdminPart {
  const actionDeps: AdminActionDeps = {
    service: deps.service,
    timeZone: deps.timeZone,
    approvalThreshold: deps.settings.approvalThreshold,
    hours: deps.settings.hours,
    phrases: deps.phrases,
    ...(deps.formatProgress ? { formatProgress: deps.formatProgress } : {}),
  };
  return {
    flows: [...createComposeFlows(deps), ...createBroadcastAdminFlows(actionDeps)],
    menuAtEnd: [composeMenuEntry, sentMenuEntry],
    actions: createBroadcastAdminActions(actionDeps),
  };
}
