import { describe, expect, it } from 'vitest';
import { formatVietnamesePhone, parseVietnamesePhone } from '../../src/domain/phone.ts';

describe('parseVietnamesePhone', () => {
  it.each([
    ['0912 345 678', '+84912345678'],
    ['0912345678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['0912-345-678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['912345678', '+84912345678'],
    ['(091) 234-5678', '+84912345678'],
    ['(+84) 912 345 678', '+84912345678'],
    ['  0912 345 678  ', '+84912345678'],
    ['0912\u00a0345\u00a0678', '+84912345678'], // non-breaking spaces, as pasted from a web page
    // "+84 (0) ..." habit: the trunk 0 kept after the country code.
    ['+84 0912 345 678', '+84912345678'],
    ['840912345678', '+84912345678'],
    // Every network's current prefixes.
    ['0321 234 567', '+84321234567'],
    ['0399 999 999', '+84399999999'],
    ['0521 234 567', '+84521234567'],
    ['0551 234 567', '+84551234567'],
    ['0561 234 567', '+84561234567'],
    ['0581 234 567', '+84581234567'],
    ['0591 234 567', '+84591234567'],
    ['0701 234 567', '+84701234567'],
    ['0761 234 567', '+84761234567'],
    ['0791 234 567', '+84791234567'],
    ['0811 234 567', '+84811234567'],
    ['0861 234 567', '+84861234567'],
    ['0891 234 567', '+84891234567'],
    ['0901 234 567', '+84901234567'],
    ['0991 234 567', '+84991234567'],
  ])('reads %j as %s', (input, e164) => {
    expect(parseVietnamesePhone(input)).toEqual({ ok: true, e164 });
  });

  // The 11-digit numbers retired in 2018, old prefix → new prefix (MIC conversion table).
  it.each([
    ['0162', '032'],
    ['0163', '033'],
    ['0164', '034'],
    ['0165', '035'],
    ['0166', '036'],
    ['0167', '037'],
    ['0168', '038'],
    ['0169', '039'],
    ['0120', '070'],
    ['0121', '079'],
    ['0122', '077'],
    ['0126', '076'],
    ['0128', '078'],
    ['0123', '083'],
    ['0124', '084'],
    ['0125', '085'],
    ['0127', '081'],
    ['0129', '082'],
    ['0186', '056'],
    ['0188', '058'],
    ['0199', '059'],
  ])('converts a retired %s number to %s', (old, next) => {
    const expected = { ok: true, e164: `+84${next.slice(1)}9123456` };
    expect(parseVietnamesePhone(`${old} 912 3456`)).toEqual(expected);
    expect(parseVietnamesePhone(`+84 ${old.slice(1)} 912 3456`)).toEqual(expected);
  });

  it('converts "01689 123 456" to the 038 number', () => {
    expect(parseVietnamesePhone('01689 123 456')).toEqual({ ok: true, e164: '+84389123456' });
  });

  it.each([
    '0241234567',
    '024 3825 1234', // Hà Nội landline (11 digits)
    '0208 3855 123', // Thái Nguyên landline (11 digits)
    '+84 24 3825 1234',
    '0281234567', // Hồ Chí Minh City landline
    '02083 123 45', // Thái Nguyên landline
    '0112345678',
    '0512345678',
    '0612345678',
    '0712345678',
    '0801234567',
    '01012345678', // 11 digits, not a retired mobile prefix
    '01611234567',
    '+84 241 234 567',
  ])('rejects %j as not a mobile number', (input) => {
    expect(parseVietnamesePhone(input)).toEqual({ ok: false, reason: 'not_mobile' });
  });

  it.each([
    '',
    '   ',
    'abc',
    '0912 345 67a',
    '09l2345678', // letter l for digit 1
    '0912/345/678',
    '+ 84',
    '84+912345678',
    '091234', // too short
    '09123456', // 8 digits
    '091234567890', // too long
    '0912 345 678 9', // one digit too many
    '+84 912 345 6789',
    '0912 345 678 / 0987 654 321', // two numbers
  ])('rejects %j as badly formed', (input) => {
    expect(parseVietnamesePhone(input)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('formatVietnamesePhone', () => {
  it('shows an E.164 number the way members write it', () => {
    expect(formatVietnamesePhone('+84912345678')).toBe('0912 345 678');
    expect(formatVietnamesePhone('+84389123456')).toBe('0389 123 456');
  });

  it('round-trips every accepted spelling to the same display', () => {
    for (const input of ['0912.345.678', '+84 912 345 678', '84912345678', '(091) 234-5678']) {
      const parsed = parseVietnamesePhone(input);
      expect(parsed.ok && formatVietnamesePhone(parsed.e164)).toBe('0912 345 678');
    }
  });

  it('does not group a number that is not a Vietnamese mobile', () => {
    expect(formatVietnamesePhone('+4420123456')).toBe('+4420123456');
    expect(formatVietnamesePhone('+8424123')).toBe('024123');
  });
});
