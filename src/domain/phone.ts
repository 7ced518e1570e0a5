// Vietnamese mobile numbers. Members type them in many ways: "0912 345 678", "+84 912345678", "84912345678",
// "091.234.5678" and, from habit, the 11-digit numbers retired in 2018 ("0168..."). All become one E.164 form.

/** 11-digit prefixes converted to 10 digits in 2018 (MIC decision), old → new. */
const RETIRED_PREFIXES: Record<string, string> = {
  '0162': '032',
  '0163': '033',
  '0164': '034',
  '0165': '035',
  '0166': '036',
  '0167': '037',
  '0168': '038',
  '0169': '039',
  '0120': '070',
  '0121': '079',
  '0122': '077',
  '0126': '076',
  '0128': '078',
  '0123': '083',
  '0124': '084',
  '0125': '085',
  '0127': '081',
  '0129': '082',
  '0186': '056',
  '0188': '058',
  '0199': '059',
};

/** Mobile prefixes in use (second and third digit after the leading 0). 056 is Vietnamobile (ex-0186). */
const MOBILE = /^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$/;

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: 'format' | 'not_mobile' };

export function parseVietnamesePhone(input: string): PhoneResult {
  const compact = input.replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'format' };
  let local = compact.replace(/^\+/, '');
  // Country code 84, with or without the trunk 0 many people keep after it ("+84 0912 345 678").
  if (local.startsWith('84') && local.length >= 11 && local.length <= 13) {
    local = '0' + local.slice(2).replace(/^0/, '');
  }
  if (!local.startsWith('0')) local = '0' + local;
  // 11 digits: a landline (02x…), a mobile number retired in 2018 (01xx…), or else one digit too many (format).
  if (local.length === 11 && local.startsWith('02')) return { ok: false, reason: 'not_mobile' };
  if (local.length === 11 && local.startsWith('01')) {
    const next = RETIRED_PREFIXES[local.slice(0, 4)];
    if (!next) return { ok: false, reason: 'not_mobile' };
    local = next + local.slice(4);
  }
  if (local.length !== 10) return { ok: false, reason: 'format' };
  if (!MOBILE.test(local)) return { ok: false, reason: 'not_mobile' };
  return { ok: true, e164: '+84' + local.slice(1) };
}

/** How a number is shown to members: 0912 345 678. */
export function formatVietnamesePhone(e164: string): string {
  const local = e164.startsWith('+84') ? '0' + e164.slice(3) : e164;
  return local.length === 10 ? `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}` : local;
}
