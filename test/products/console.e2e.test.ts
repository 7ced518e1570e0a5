// The full path of a product listing on the console channel, at the runtime's seam (the bot as main.ts builds it): the
// member and the officer each at a terminal; what the outbox sends either of them is printed by the console's own
// delivery (stored photos named "[ảnh] <id>").
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, it } from 'vitest';
import { consoleDelivery, STORED_PHOTO_LINE } from '../../src/channels/console/console.ts';
import type { Delivery } from '../../src/conversation/messages.ts';
import type { Runtime } from '../../src/wiring.ts';
import { realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { fakeMedia } from '../helpers/photos.ts';
import { memberWithProfile, reportChangesResubmitApprove, type Party } from './fullPath.ts';

let db: FreshDatabase;
let rt: Runtime;
let seq = 0;
/** Each terminal's printed output, by console user id. */
const terminals = new Map<string, { printed: string; read: number; photosRead: number; delivery: Delivery }>();

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, new TestClock(new Date('2026-03-02T08:00:00Z')));
  rt.media.register('console', fakeMedia());
  terminals.clear();
  // One console delivery per person, as each runs her own terminal; the outbox sends each her messages.
  rt.bot.connect('console', {
    deliver: (to, message) => terminals.get(to.userId)!.delivery.deliver(to, message),
  });
});
afterEach(() => db.close());

function terminal(userId: string): Party {
  const output = new PassThrough();
  const screen = { printed: '', read: 0, photosRead: 0, delivery: consoleDelivery(output, userId, rt.storedPhotos) };
  output.on('data', (chunk: Buffer) => (screen.printed += chunk.toString('utf8')));
  terminals.set(userId, screen);
  const handle = async (content: Parameters<Runtime['bot']['handle']>[0]['content']) => {
    await rt.bot.handle({ channel: 'console', userId, messageId: `c${++seq}`, content, receivedAt: new Date() });
  };
  return {
    say: (text) => handle({ kind: 'text', text }),
    async tap(label) {
      // The terminal has no buttons: she types the option's number ("  3) Label") or the action's words ("[x] Label").
      const lines = screen.printed.split('\n');
      for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i]!;
        const numbered = /^\s+(\d+)\) (.+)$/.exec(line);
        if (numbered?.[2] === label) return handle({ kind: 'text', text: numbered[1]! });
        const typed = /^\s+\[(.+?)\] (.+)$/.exec(line);
        if (typed?.[2] === label) return handle({ kind: 'text', text: typed[1]! });
      }
      throw new Error(`no "${label}" on ${userId}'s terminal:\n${screen.printed.slice(-1500)}`);
    },
    async photos(count) {
      for (let i = 0; i < count; i++) await handle({ kind: 'photo', refs: [`/tmp/san-pham-${i}.jpg`] });
    },
    async shown() {
      const text = screen.printed.slice(screen.read);
      screen.read = screen.printed.length;
      return text;
    },
    async photosShown() {
      const text = screen.printed.slice(screen.photosRead);
      screen.photosRead = screen.printed.length;
      return text.split('\n').filter((l) => l.startsWith(`${STORED_PHOTO_LINE} `)).length;
    },
  };
}

it('report → ask for changes → resubmit → approve, on the console', async () => {
  const member = terminal('local-member');
  await memberWithProfile(member);
  const { code } = await rt.features.invitations.create({
    role: 'officer',
    areas: ['05755'],
    createdBy: 'cli',
    ttlHours: 72,
  });
  const officer = terminal('local-officer');
  await officer.say(code);
  await officer.shown();
  await reportChangesResubmitApprove(rt, member, officer);
});
