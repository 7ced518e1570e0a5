// The credit feature: the loan pre-screen (a lead for an officer when it looks eligible), quick questions typed at
// the menu ("lãi suất bao nhiêu"), and the "Xem chi tiết" button of a short answer.
import { NO_ACTIONS, type FeatureModule } from '../module.ts';
import { createCreditFlows, creditMenuEntry, type CreditDeps } from './flow.ts';
import { CREDIT_MORE_ACTION } from './format.ts';
import { creditQuickAnswer, withCreditActions } from './quick.ts';

export function creditFeature(deps: CreditDeps): FeatureModule {
  return {
    name: 'credit',
    flows: createCreditFlows(deps),
    menu: [creditMenuEntry],
    actions: { names: [CREDIT_MORE_ACTION], ...withCreditActions(NO_ACTIONS, deps.programmes) },
    menuAnswer: creditQuickAnswer(deps.programmes),
  };
}
