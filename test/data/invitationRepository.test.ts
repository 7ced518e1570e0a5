import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.ts';
import { createInvitationRepository } from '../../src/data/invitationRepository.ts';
import type { InvitationRepository } from '../../src/domain/officers.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('invitation repository', (provider) => {
  let db: FreshDatabase;
  let invitations: InvitationRepository;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    invitations = createInvitationRepository(db.prisma);
  });
  afterEach(() => db.close());

  const now = new Date('2025-07-01T08:00:00.000Z');
  const inAnHour = new Date(now.getTime() + 60 * 60 * 1000);

  it('creates an invitation, storing the code hash and the areas as JSON', async () => {
    const created = await invitations.create({
      codeHash: 'hash-1',
      role: 'officer',
      areas: ['05443', '05434'],
      createdBy: 'cli',
      expiresAt: inAnHour,
    });
    expect(created).toEqual({
      id: expect.any(String),
      role: 'officer',
      areas: ['05443', '05434'],
      createdBy: 'cli',
      expiresAt: inAnHour,
      usedAt: null,
    });
    const row = await db.prisma.invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ codeHash: 'hash-1', areas: ['05443', '05434'], usedAt: null, usedBy: null });
  });

  it('redeems once, marking who used it and when', async () => {
    await invitations.create({ codeHash: 'h', role: 'admin', areas: ['*'], createdBy: 'cli', expiresAt: inAnHour });
    const result = await invitations.redeem('h', 'member-1', now);
    expect(result).toEqual({
      ok: true,
      invitation: expect.objectContaining({ role: 'admin', areas: ['*'], usedAt: now }),
    });
    expect(await db.prisma.invitation.findUnique({ where: { codeHash: 'h' } })).toMatchObject({
      usedAt: now,
      usedBy: 'member-1',
    });

    expect(await invitations.redeem('h', 'member-2', now)).toEqual({ ok: false, reason: 'used' });
    // Still used, and still by the first member, even once it has expired.
    expect(await invitations.redeem('h', 'member-2', new Date(inAnHour.getTime() + 1))).toEqual({
      ok: false,
      reason: 'used',
    });
    expect((await db.prisma.invitation.findUnique({ where: { codeHash: 'h' } }))?.usedBy).toBe('member-1');
  });

  it('tells unknown and expired codes apart, and does not mark an expired one', async () => {
    await invitations.create({ codeHash: 'h', role: 'officer', areas: ['1'], createdBy: 'cli', expiresAt: inAnHour });
    expect(await invitations.redeem('other', 'm', now)).toEqual({ ok: false, reason: 'unknown' });
    expect(await invitations.redeem('h', 'm', inAnHour)).toEqual({ ok: false, reason: 'expired' });
    expect(await invitations.redeem('h', 'm', new Date(inAnHour.getTime() + 1000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await db.prisma.invitation.findUnique({ where: { codeHash: 'h' } })).toMatchObject({
      usedAt: null,
      usedBy: null,
    });
  });

  it('is single-use under concurrency, within a process and across two connections', async () => {
    await invitations.create({ codeHash: 'h', role: 'officer', areas: ['1'], createdBy: 'cli', expiresAt: inAnHour });
    const other = await openDatabase(db.url);
    try {
      const otherInvitations = createInvitationRepository(other.prisma);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? invitations : otherInvitations).redeem('h', `m-${i}`, now)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 5 }, () => ({ ok: false, reason: 'used' })));
      const winner = results.findIndex((r) => r.ok);
      expect((await db.prisma.invitation.findUnique({ where: { codeHash: 'h' } }))?.usedBy).toBe(`m-${winner}`);
    } finally {
      await other.close();
    }
  });

  it('refuses a stored row with a role or areas the domain does not know', async () => {
    await db.prisma.invitation.create({
      data: { codeHash: 'bad', role: 'member', areas: ['1'], createdBy: 'cli', expiresAt: inAnHour },
    });
    await expect(invitations.redeem('bad', 'm', now)).rejects.toThrow(/invalid stored value[\s\S]*role/);
    await db.prisma.invitation.create({
      data: { codeHash: 'bad2', role: 'officer', areas: { x: 1 }, createdBy: 'cli', expiresAt: inAnHour },
    });
    await expect(invitations.redeem('bad2', 'm', now)).rejects.toThrow(/invalid stored value[\s\S]*areas/);
  });
});
