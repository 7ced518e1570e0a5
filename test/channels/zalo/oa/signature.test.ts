import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../../../src/channels/zalo/oa/signature.ts';

const APP = '123456';
const SECRET = 'oa-secret';
const BODY = Buffer.from('{"event_name":"follow","timestamp":"1700000000000"}');
const TS = '1700000000000';

describe('X-ZEvent-Signature', () => {
  it('is mac=sha256(app_id + raw body + timestamp + OA secret key), hex', () => {
    const hex = createHash('sha256').update(`${APP}${BODY.toString()}${TS}${SECRET}`).digest('hex');
    expect(signatureHeader(APP, BODY, TS, SECRET)).toBe(`mac=${hex}`);
    expect(verifySignature(`mac=${hex}`, APP, BODY, TS, SECRET)).toBe(true);
    expect(verifySignature(`mac=${hex.toUpperCase()}`, APP, BODY, TS, SECRET)).toBe(true);
  });

  it('refuses a missing, malformed or wrong mac', () => {
    const good = signatureHeader(APP, BODY, TS, SECRET);
    for (const header of [
      undefined,
      '',
      'mac=',
      good.slice(4),
      `${good}00`,
      'mac=xyz',
      signatureHeader(APP, BODY, TS, 'other'),
    ]) {
      expect(verifySignature(header, APP, BODY, TS, SECRET)).toBe(false);
    }
    expect(verifySignature(good, APP, Buffer.from(`${BODY.toString()} `), TS, SECRET)).toBe(false);
    expect(verifySignature(good, APP, BODY, '1700000000001', SECRET)).toBe(false);
    expect(verifySignature(good, '654321', BODY, TS, SECRET)).toBe(false);
  });
});
