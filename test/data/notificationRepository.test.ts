import { afterEach, beforeEach, expect, it } from 'vitest';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import { createNotificationRepository } from '../../src/data/notificationRepository.ts';
import type { OutboundMessage } from '../../src/conversation/messages.ts';
import type { NotificationRepository } from '../../src/domain/cases.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('notification repository', (provider) => {
  let db: FreshDatabase;
  let notifications: NotificationRepository;
  let lan: string;
  let mai: string;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    notifications = createNotificationRepository(db.prisma);
    const members = createMemberRepository(db.prisma);
    lan = (await members.create({ channel: 'telegram', channelUserId: 'lan', language: 'vi' })).id;
    mai = (await members.create({ channel: 'zalo', channelUserId: 'mai', language: 'en' })).id;
  });
  afterEach(() => db.close());

  const messages: OutboundMessage[] = [
    { kind: 'text', text: 'Có ca mới ở phường Phan Đình Phùng' },
    {
      kind: 'choices',
      text: 'Nhận ca?',
      choices: [
        { label: 'Nhận', typed: 'nhan 1', data: 'c:1:claim' },
        { label: 'Bỏ qua', data: 'c:1:skip' },
      ],
      freeText: false,
    },
    { kind: 'photo', ref: 'file-1', caption: 'Ảnh sản phẩm' },
    { kind: 'photo', ref: 'file-2' },
  ];

  it('enqueues a pending notification with its messages stored as JSON', async () => {
    const created = await notifications.enqueue({ recipientId: lan, caseId: null, kind: 'relay', messages });
    expect(created).toEqual({
      id: expect.any(String),
      recipientId: lan,
      caseId: null,
      kind: 'relay',
      messages,
      status: 'pending',
      createdAt: expect.any(Date),
    });
    const row = await db.prisma.notification.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ messages, status: 'pending', attempts: 0, lastError: null, sentAt: null });
    expect(await notifications.pendingFor(lan)).toEqual([created]);
  });

  it('lists a recipient’s pending notifications oldest first, and markSent takes them out', async () => {
    const first = await notifications.enqueue({ recipientId: lan, caseId: null, kind: 'digest', messages: [] });
    const forMai = await notifications.enqueue({ recipientId: mai, caseId: null, kind: 'relay', messages });
    const second = await notifications.enqueue({ recipientId: lan, caseId: null, kind: 'escalation', messages });
    const third = await notifications.enqueue({ recipientId: lan, caseId: null, kind: 'relay', messages });
    // Same creation time: still in the order they were enqueued.
    await db.prisma.notification.updateMany({ data: { createdAt: new Date('2025-07-01T08:00:00.000Z') } });

    expect((await notifications.pendingFor(lan)).map((n) => n.id)).toEqual([first.id, second.id, third.id]);
    expect(await notifications.countPending()).toBe(4);

    const sentAt = new Date('2025-07-01T09:00:00.000Z');
    await notifications.markSent([first.id, third.id], sentAt);
    expect((await notifications.pendingFor(lan)).map((n) => n.id)).toEqual([second.id]);
    expect((await notifications.pendingFor(mai)).map((n) => n.id)).toEqual([forMai.id]);
    expect(await notifications.countPending()).toBe(2);
    expect(await db.prisma.notification.findUnique({ where: { id: first.id } })).toMatchObject({
      status: 'sent',
      sentAt,
    });

    // Marking again changes nothing (the first delivery time stays); an empty list is fine.
    await notifications.markSent([first.id], new Date('2025-07-02T00:00:00.000Z'));
    await notifications.markSent([], sentAt);
    expect((await db.prisma.notification.findUnique({ where: { id: first.id } }))?.sentAt).toEqual(sentAt);
    expect(await notifications.countPending()).toBe(2);
  });

  it('counts failed attempts and keeps the last error, trimmed; the notification stays pending', async () => {
    const n = await notifications.enqueue({ recipientId: lan, caseId: null, kind: 'relay', messages });
    await notifications.markAttempt(n.id, '429 Too Many Requests');
    await notifications.markAttempt(n.id, `500 ${'x'.repeat(5_000)}`);
    const row = await db.prisma.notification.findUniqueOrThrow({ where: { id: n.id } });
    expect(row.attempts).toBe(2);
    expect(row.lastError?.startsWith('500 xxx')).toBe(true);
    expect(row.lastError?.length).toBe(1_000);
    expect(row.status).toBe('pending');
    expect(await notifications.pendingFor(lan)).toHaveLength(1);
    await expect(notifications.markAttempt('missing', 'x')).resolves.toBeUndefined();
  });

  it('refuses stored messages that are not OutboundMessages', async () => {
    await db.prisma.notification.create({
      data: {
        recipientId: lan,
        kind: 'relay',
        messages: [
          { kind: 'text', text: 'ok' },
          { kind: 'video', url: 'x' },
        ],
      },
    });
    await expect(notifications.pendingFor(lan)).rejects.toThrow(/invalid stored value[\s\S]*messages/);
    await db.prisma.notification.deleteMany();
    await db.prisma.notification.create({
      data: { recipientId: lan, kind: 'relay', messages: [{ kind: 'choices', text: 'q', choices: [] }] },
    });
    await expect(notifications.pendingFor(lan)).rejects.toThrow(/invalid stored value[\s\S]*freeText/);
  });

  it('deleting the recipient deletes her notifications', async () => {
    await notifications.enqueue({ recipientId: lan, caseId: null, kind: 'relay', messages });
    await notifications.enqueue({ recipientId: mai, caseId: null, kind: 'relay', messages });
    await createMemberRepository(db.prisma).delete(lan);
    expect(await notifications.pendingFor(lan)).toEqual([]);
    expect(await db.prisma.notification.count({ where: { recipientId: lan } })).toBe(0);
    expect(await notifications.countPending()).toBe(1);
  });
});
