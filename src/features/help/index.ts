// The help feature: what the bot does and how to reach the Union.
import type { FeatureModule } from '../module.ts';
import { ACK_FLOW, createAckFlow, createHelpFlow, HELP_FLOW, helpMenuEntry } from './flow.ts';

export function helpFeature(): FeatureModule {
  return {
    name: 'help',
    flows: [createHelpFlow(), createAckFlow()],
    menu: [helpMenuEntry],
    intents: [
      { id: 'help', namespace: 'common', flowId: HELP_FLOW },
      { id: 'ack', namespace: 'common', flowId: ACK_FLOW, smallTalk: true },
    ],
  };
}
