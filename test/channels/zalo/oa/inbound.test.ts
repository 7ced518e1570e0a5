import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../../src/channels/zalo/oa/inbound.ts';
import { createPayloadMemory } from '../../../../src/channels/zalo/oa/payloads.ts';
import { APP_ID, followEvent, imageEvent, textEvent, withdrawEvent } from './fake-zalo.ts';

const NOW = new Date('2026-03-02T09:00:00Z');
const TS = String(Date.UTC(2026, 2, 2, 8, 30));
const noTaps = () => null;

describe('parseEvent', () => {
  it('turns user_send_text into a text message with the msg_id as message id and reply target', () => {
    expect(parseEvent(textEvent('42', 'Chào em', 'mid-1', TS), NOW, noTaps)).toEqual({
      kind: 'message',
      eventName: 'user_send_text',
      userId: '42',
      replyTo: 'mid-1',
      message: {
        channel: 'zalo',
        userId: '42',
        messageId: 'mid-1',
        content: { kind: 'text', text: 'Chào em' },
        receivedAt: new Date(Number(TS)),
      },
    });
  });

  it('turns a text that is a button payload into a choice', () => {
    const memory = createPayloadMemory();
    const event = parseEvent(textEvent('42', 'AbCd_-12|vi', 'mid-2', TS), NOW, memory.recognise);
    expect(event.kind === 'message' && event.message.content).toEqual({ kind: 'choice', data: 'AbCd_-12|vi' });
  });

  it("recognises the engine's choice data with its turn number as a tap, in a process that never sent it", () => {
    // The shape questions.ts gives a button today ("<question id>.<turn>|<index>"): a tap on a button sent before a
    // restart, or read by the member before this process remembered it, is still a tap (found by the crash test).
    const memory = createPayloadMemory();
    const event = parseEvent(textEvent('42', 'AbCd_-12.1k|0', 'mid-4', TS), NOW, memory.recognise);
    expect(event.kind === 'message' && event.message.content).toEqual({ kind: 'choice', data: 'AbCd_-12.1k|0' });
  });

  it('turns user_send_image into a photo whose ref is the image URL', () => {
    const event = parseEvent(imageEvent('42', 'https://photo.zdn.vn/x.jpg', 'mid-3', TS), NOW, noTaps);
    expect(event.kind === 'message' && event.message.content).toEqual({
      kind: 'photo',
      refs: ['https://photo.zdn.vn/x.jpg'],
    });
  });

  it('turns follow into a start, with a stable id and no message to quote', () => {
    const event = parseEvent(followEvent('follow', '42', TS), NOW, noTaps);
    expect(event).toMatchObject({
      kind: 'message',
      userId: '42',
      message: { messageId: `follow:42:${TS}`, content: { kind: 'start' } },
    });
    expect(event.kind === 'message' && event.replyTo).toBeUndefined();
  });

  it('turns unfollow and user_withdraw into their actions with stable ids', () => {
    expect(parseEvent(followEvent('unfollow', '42', TS), NOW, noTaps)).toEqual({
      kind: 'unfollow',
      eventName: 'unfollow',
      userId: '42',
      eventId: `unfollow:42:${TS}`,
    });
    expect(parseEvent(withdrawEvent('42', TS), NOW, noTaps)).toEqual({
      kind: 'withdraw',
      eventName: 'user_withdraw',
      userId: '42',
      eventId: `user_withdraw:42:${TS}`,
    });
    const byFollower = { app_id: APP_ID, event_name: 'user_withdraw', timestamp: TS, follower: { id: '43' } };
    expect(parseEvent(byFollower, NOW, noTaps)).toMatchObject({ kind: 'withdraw', userId: '43' });
  });

  it('answers other member messages (sticker, voice...) as unsupported content', () => {
    const sticker = {
      app_id: APP_ID,
      event_name: 'user_send_sticker',
      timestamp: TS,
      sender: { id: '42' },
      message: { msg_id: 'm' },
    };
    expect(parseEvent(sticker, NOW, noTaps)).toMatchObject({
      kind: 'message',
      message: { content: { kind: 'unsupported', what: 'sticker' } },
    });
  });

  it('ignores unknown events and known events without their fields', () => {
    expect(parseEvent({ event_name: 'user_seen_message', timestamp: TS }, NOW, noTaps)).toMatchObject({
      kind: 'ignored',
      eventName: 'user_seen_message',
    });
    expect(
      parseEvent({ event_name: 'user_send_text', timestamp: TS, sender: { id: '42' } }, NOW, noTaps),
    ).toMatchObject({ kind: 'ignored' });
    expect(parseEvent({ event_name: 'follow', timestamp: TS }, NOW, noTaps)).toMatchObject({ kind: 'ignored' });
    expect(parseEvent('nonsense', NOW, noTaps)).toMatchObject({ kind: 'ignored' });
  });

  it('uses the time of the event, or now when the timestamp is implausible', () => {
    const later = parseEvent(textEvent('42', 'x', 'm', String(NOW.getTime() + 5 * 86_400_000)), NOW, noTaps);
    expect(later.kind === 'message' && later.message.receivedAt).toEqual(NOW);
  });
});

describe('payload memory', () => {
  it('recognises payloads sent to that member, and the engine’s choice data from before a restart', () => {
    const memory = createPayloadMemory();
    memory.remember('42', ['claim:12']);
    expect(memory.recognise('42', 'claim:12')).toBe('claim:12');
    expect(memory.recognise('43', 'claim:12')).toBeNull();
    expect(memory.recognise('43', 'Q1w2E3r4|yes')).toBe('Q1w2E3r4|yes');
    for (const typed of ['Nguyễn Thị Lan', '0912 345 678', 'có', 'a|b', 'tuc duyen|x y']) {
      expect(memory.recognise('42', typed)).toBeNull();
    }
  });

  it('forgets the least recent members beyond its limit', () => {
    const memory = createPayloadMemory({ users: 2, perUser: 2 });
    memory.remember('1', ['p:1']);
    memory.remember('2', ['p:2']);
    memory.remember('3', ['p:3']);
    expect(memory.recognise('1', 'p:1')).toBeNull();
    expect(memory.recognise('3', 'p:3')).toBe('p:3');
    memory.remember('3', ['p:4', 'p:5']);
    expect(memory.recognise('3', 'p:3')).toBeNull();
  });
});
