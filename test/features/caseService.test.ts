// The case services as a CLI or a web console would call them: domain results (ok with the record, or a refusal
// with its reason), no chat types; the chat's words come from the presenter on top. And the feature modules compose:
// one owner per action name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionHandler } from '../../src/conversation/flow.ts';
import type { ChannelName } from '../../src/conversation/messages.ts';
import type { Member } from '../../src/domain/member.ts';
import { composeActions, NO_ACTIONS } from '../../src/features/module.ts';
import type { Runtime } from '../../src/wiring.ts';
import { realRuntime, TestClock } from '../helpers/chat.ts';
import { deliveryFrom } from '../helpers/fakes.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const DAN_TIEN = '05755';
const PHAN_DINH_PHUNG = '05443';

let db: FreshDatabase;
let rt: Runtime;
beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma, new TestClock());
  for (const channel of ['telegram', 'zalo'] as ChannelName[])
    rt.bot.connect(
      channel,
      deliveryFrom(async () => 'sent'),
    );
});
afterEach(() => db.close());

async function person(id: string, patch: Partial<Member> = {}, areas?: string[]): Promise<Member> {
  const created = await rt.members.create({ channel: 'telegram', channelUserId: id, language: 'vi' });
  const member = await rt.members.update(created.id, { consentAt: new Date(), communeCode: DAN_TIEN, ...patch });
  if (areas) await rt.officers.assign(member.id, patch.role ?? 'officer', areas);
  return member;
}

describe('case services', () => {
  it('answer with domain results: the record, or a refusal with its reason', async () => {
    const service = rt.features.caseService;
    const lan = await person('lan', { displayName: 'Lan' });
    const hoa = await person('hoa', { role: 'officer', displayName: 'Hoa' }, [DAN_TIEN]);
    const mai = await person('mai', { role: 'officer', displayName: 'Mai' }, [DAN_TIEN]);
    const far = await person('far', { role: 'officer' }, [PHAN_DINH_PHUNG]);

    const { case: opened, notified } = await service.open(lan, 'talk', { topic: 'vay vốn' });
    expect(notified).toBe(2);

    expect(await service.claim(lan, opened.id)).toEqual({ ok: false, refusal: { reason: 'notOfficer' } });
    expect(await service.claim(far, opened.id)).toEqual({ ok: false, refusal: { reason: 'notYourArea' } });
    expect(await service.claim(hoa, 999_999)).toEqual({ ok: false, refusal: { reason: 'notFound' } });
    expect(await service.refusal(hoa, opened.id, 'reply')).toEqual({ reason: 'claimFirst' });

    const claimed = await service.claim(hoa, opened.id);
    expect(claimed).toMatchObject({ ok: true, already: false, detail: { case: { status: 'claimed' }, full: true } });
    expect(await service.claim(hoa, opened.id)).toMatchObject({ ok: true, already: true });
    expect(await service.claim(mai, opened.id)).toMatchObject({
      ok: false,
      refusal: { reason: 'claimedByOther', by: { id: hoa.id, displayName: 'Hoa' } },
    });
    // A talk is closed as done, not approved.
    expect(await service.close(hoa, opened.id, 'approved', null)).toEqual({
      ok: false,
      refusal: { reason: 'wrongAction' },
    });
    expect(await service.close(hoa, opened.id, 'done', 'đã gọi')).toEqual({ ok: true });
    expect(await service.close(hoa, opened.id, 'done', null)).toEqual({ ok: false, refusal: { reason: 'closed' } });
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: opened.id } })).toMatchObject({
      status: 'done',
      note: 'đã gọi',
    });
    expect(await service.memberCase(lan, opened.id)).toBe('closed');
  });
});

describe('feature modules', () => {
  it('compose into one action handler: each name runs in its owner, an unknown one is an old button', async () => {
    const ran: string[] = [];
    const owner = (tag: string): ActionHandler => ({
      ...NO_ACTIONS,
      run: async (_ctx, name) => {
        ran.push(`${tag}:${name}`);
        return { say: [], next: { to: 'stay' } };
      },
    });
    const actions = composeActions([
      { name: 'a', flows: [], actions: { names: ['one'], ...owner('a') } },
      { name: 'b', flows: [], actions: { names: ['two'], ...owner('b') } },
    ]);
    const ctx = {} as Parameters<ActionHandler['run']>[0];
    await actions.run(ctx, 'two', '1');
    await actions.run(ctx, 'one', '1');
    expect(ran).toEqual(['b:two', 'a:one']);
    expect(await actions.run(ctx, 'three', '1')).toEqual({
      say: [{ key: 'common:errors.staleButton' }],
      next: { to: 'stay' },
    });
    expect(() =>
      composeActions([
        { name: 'a', flows: [], actions: { names: ['one'], ...NO_ACTIONS } },
        { name: 'b', flows: [], actions: { names: ['one'], ...NO_ACTIONS } },
      ]),
    ).toThrow(/action one is declared by two features/);
  });

  it('declare the menu in order and the cases jobs', () => {
    expect(rt.features.modules.map((m) => m.name)).toEqual([
      'credit',
      'cases',
      'profile',
      'consent',
      'privacy',
      'admin',
      'courseAdmin',
      'language',
      'help',
      // Last: its menu entries come after "Quyền dùng dữ liệu", whose number members know.
      'courses',
      // After the courses: its entries come after theirs.
      'products',
      // After the products: the announcements entry (members) and the broadcasts entries (admins).
      'broadcasts',
      // Last: the web console's sign-in link, the officers' and admins' last menu item.
      'webAccess',
    ]);
    expect(rt.features.jobs.map((j) => j.kind)).toEqual([
      'cases.escalate',
      'cases.digest',
      'courses.lapseOffers',
      'courses.officerBatch',
      'courses.reminders',
      'courses.outcomes',
      'products.draftPurge',
      'products.ocopExpiry',
      'products.forgetReporters',
      'broadcasts.prepare',
      'broadcasts.tick',
    ]);
  });
});
