// The understanding is built once at start-up from the modules' intents and the locales' phrases; a declaration that
// could misbehave fails there, not in a member's chat.
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/conversation/flow.ts';
import { createUnderstanding, type IntentDeclaration } from '../../src/features/understanding.ts';

const flow = (id: string, first: Flow['steps'][number]['input'] = { kind: 'yesno' }): Flow => ({
  id,
  steps: [{ id: 'confirm', prompt: { raw: '?' }, input: first }],
  finish: async () => ({ say: [], next: { to: 'home' } }),
});

const phrases = (key: string): string[] =>
  ({
    'demo:intents.erase.examples': ['erase everything', 'wipe my data'],
    'demo:intents.loan.examples': ['i want a loan', 'borrow money'],
    'common:intents.none.examples': ['nice weather'],
  })[key] ?? [];

const build = (intents: IntentDeclaration[], flows: Flow[]) =>
  createUnderstanding({
    intents,
    flows,
    phrases,
    lexicon: { shorthand: {}, filler: [] },
    home: () => 'menu',
    inFirstContact: () => false,
  });

describe('declaring intents', () => {
  it('teaches a new intent with nothing but its phrases', () => {
    const understanding = build(
      [
        { id: 'loan', namespace: 'demo', flowId: 'loan' },
        { id: 'erase', namespace: 'demo', flowId: 'erase', destructive: true },
      ],
      [flow('loan', { kind: 'text' }), flow('erase')],
    );
    expect(understanding.classifier.score('borrow some money')[0]!.intent).toBe('loan');
  });

  it('refuses an intent without phrases, twice the same id, or an unknown flow', () => {
    expect(() => build([{ id: 'missing', namespace: 'demo', flowId: 'loan' }], [flow('loan')])).toThrow(/no example/);
    expect(() =>
      build(
        [
          { id: 'loan', namespace: 'demo', flowId: 'loan' },
          { id: 'loan', namespace: 'demo', flowId: 'loan' },
        ],
        [flow('loan')],
      ),
    ).toThrow(/twice/);
    expect(() => build([{ id: 'loan', namespace: 'demo', flowId: 'nowhere' }], [flow('loan')])).toThrow(/unknown/);
  });

  it('a destructive intent must open a confirmation, and may not answer it', () => {
    expect(() =>
      build(
        [{ id: 'erase', namespace: 'demo', flowId: 'erase', destructive: true }],
        [flow('erase', { kind: 'text' })],
      ),
    ).toThrow(/confirmation/);
    expect(() =>
      build(
        [{ id: 'erase', namespace: 'demo', flowId: 'erase', destructive: true, given: { confirm: 'yes' } }],
        [flow('erase')],
      ),
    ).toThrow(/may not answer/);
  });
});
