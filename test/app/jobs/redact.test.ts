// A failed job's error is stored and shown to admins: personal data is masked before it is stored.
import { describe, expect, it } from 'vitest';
import { redactError, redactText } from '../../../src/app/jobs/index.ts';

describe('redactError', () => {
  it('keeps the error name, its code and the shape of the message', () => {
    const error = Object.assign(new Error('Unique constraint failed on the fields: (`key`)'), { code: 'P2002' });
    expect(redactError(error)).toBe('Error [P2002]: Unique constraint failed on the fields: ([…])');
    expect(redactError(new TypeError('boom'))).toBe('TypeError: boom');
    expect(redactError(new RangeError(''))).toBe('RangeError');
  });

  it('masks names, phone numbers, texts, e-mails, URLs and tokens', () => {
    const cases: [string, string][] = [
      ['cannot reach Nguyen Van An at 0912 345 678', 'cannot reach […] at [number]'],
      ['member Nguyễn Thị Hoa wrote "vay vốn 30 triệu"', 'member […] wrote […]'],
      ["commune 'Phan Đình Phùng' unknown", 'commune […] unknown'],
      ['mail hoa.nguyen@example.vn bounced', 'mail [email] bounced'],
      ['GET https://openapi.zalo.me/v3.0/oa/message?access_token=abc failed', 'GET [url] failed'],
      ['token AbCdEfGhIjKlMnOpQrStUvWxYz012345 refused', 'token [token] refused'],
      ['+84912345678 blocked the bot', '[number] blocked the bot'],
      ['chị Lan ơi', '[…] […] […]'],
      ['no officer for Hoa. Retry later', 'no officer for […]. Retry later'],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
  });

  it('stores at most 500 characters, and only the type of what is not an Error', () => {
    expect(redactError(new Error('x'.repeat(2000))).length).toBeLessThanOrEqual(500);
    expect(redactError('Nguyen Van An')).toBe('thrown string');
    expect(redactError({ phone: '0912345678' })).toBe('thrown object');
  });
});
