import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAuditLog } from '../../src/data/auditLog.ts';
import type { AuditLog } from '../../src/domain/officers.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('audit log', (provider) => {
  let db: FreshDatabase;
  let audit: AuditLog;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    audit = createAuditLog(db.prisma);
  });
  afterEach(() => db.close());

  it('records entries and lists them oldest first, with optional fields left out when absent', async () => {
    const before = new Date();
    await audit.record({ actor: 'cli', action: 'invitation.create', details: { role: 'officer', areas: ['05443'] } });
    await audit.record({ actor: 'admin-1', action: 'role.assign', subject: 'member-1', details: { role: 'admin' } });
    await audit.record({ actor: 'officer-1', action: 'case.close', subject: 'case:3' });

    const entries = await audit.list();
    expect(entries).toEqual([
      {
        at: expect.any(Date),
        actor: 'cli',
        action: 'invitation.create',
        details: { role: 'officer', areas: ['05443'] },
      },
      {
        at: expect.any(Date),
        actor: 'admin-1',
        action: 'role.assign',
        subject: 'member-1',
        details: { role: 'admin' },
      },
      { at: expect.any(Date), actor: 'officer-1', action: 'case.close', subject: 'case:3' },
    ]);
    expect(Object.keys(entries[2] ?? {})).toEqual(['at', 'actor', 'action', 'subject']);
    expect(entries[0]?.at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await db.prisma.auditLog.count()).toBe(3);
  });

  it('filters by subject', async () => {
    await audit.record({ actor: 'a', action: 'x', subject: 'member-1' });
    await audit.record({ actor: 'a', action: 'y', subject: 'member-2' });
    await audit.record({ actor: 'b', action: 'z', subject: 'member-1' });
    expect((await audit.list({ subject: 'member-1' })).map((e) => e.action)).toEqual(['x', 'z']);
    expect(await audit.list({ subject: 'nobody' })).toEqual([]);
    expect(await audit.list({})).toHaveLength(3);
  });

  it('stores details as JSON values (a date becomes its ISO string)', async () => {
    const when = new Date('2025-07-01T00:00:00.000Z');
    await audit.record({ actor: 'cli', action: 'x', details: { when, skipped: undefined, n: 2 } });
    const [entry] = await audit.list();
    expect(entry?.details).toEqual({ when: '2025-07-01T00:00:00.000Z', n: 2 });
  });
});
