import { describe, expect, it } from 'vitest';
import { fold, matchByName, tidy } from '../../src/domain/text.ts';

describe('fold', () => {
  it.each([
    ['Vay vốn', 'vay von'],
    ['VAY VỐN', 'vay von'],
    ['Đ', 'd'],
    ['đ', 'd'],
    ['Đăng ký học nghề', 'dang ky hoc nghe'],
    ['Phường Phan Đình Phùng', 'phuong phan dinh phung'],
    ['Hội Liên hiệp Phụ nữ', 'hoi lien hiep phu nu'],
    ['ư ơ ă â ê ô', 'u o a a e o'],
  ])('folds %j to %j', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('drops punctuation and collapses spaces, tabs and new lines', () => {
    expect(fold('  Vay   vốn!!! ')).toBe('vay von');
    expect(fold('vay,vốn.')).toBe('vay von');
    expect(fold('"Quay lại"\n\t(ngay)')).toBe('quay lai ngay');
    expect(fold('xã/phường')).toBe('xa phuong');
    expect(fold('0912.345.678')).toBe('0912 345 678');
  });

  it('folds to the empty string when nothing is a letter or digit', () => {
    expect(fold('')).toBe('');
    expect(fold('   ')).toBe('');
    expect(fold('?!…')).toBe('');
  });

  it('treats precomposed (NFC) and decomposed (NFD) input the same', () => {
    for (const word of ['Vay vốn', 'Phường Phan Đình Phùng', 'Trưng Vương', 'Hỷ', 'Đồng ý']) {
      const nfc = word.normalize('NFC');
      const nfd = word.normalize('NFD');
      expect(nfd).not.toBe(nfc);
      expect(fold(nfd)).toBe(fold(nfc));
    }
  });
});

describe('tidy', () => {
  it('collapses white space but keeps the spelling', () => {
    expect(tidy('  Nguyễn   Thị\tLan \n')).toBe('Nguyễn Thị Lan');
  });
});

describe('matchByName', () => {
  const options = ['Vay vốn', 'Học nghề', 'Giới thiệu sản phẩm', 'Hồ sơ của tôi'];
  const match = (input: string, candidates: readonly string[] = options) => matchByName(input, candidates, (c) => [c]);

  it('matches an exact name with or without diacritics, in any case', () => {
    expect(match('Vay vốn')).toEqual(['Vay vốn']);
    expect(match('vay von')).toEqual(['Vay vốn']);
    expect(match('  HỌC   NGHỀ! ')).toEqual(['Học nghề']);
  });

  it('prefers an exact match over a longer name with the same start', () => {
    expect(match('vay von', ['Vay vốn ưu đãi', 'Vay vốn'])).toEqual(['Vay vốn']);
  });

  it('matches a unique prefix', () => {
    expect(match('vay')).toEqual(['Vay vốn']);
    expect(match('gioi thieu')).toEqual(['Giới thiệu sản phẩm']);
  });

  it('matches a unique name that contains the input', () => {
    expect(match('san pham')).toEqual(['Giới thiệu sản phẩm']);
    expect(match('nghe')).toEqual(['Học nghề']);
  });

  it('prefers a prefix match over a contains match', () => {
    expect(match('vay', ['Hỏi về vay vốn', 'Vay vốn'])).toEqual(['Vay vốn']);
  });

  it('returns every tie when the input is ambiguous', () => {
    const loans = ['Vay vốn hộ nghèo', 'Vay vốn học sinh', 'Học nghề'];
    expect(match('vay von', loans)).toEqual(['Vay vốn hộ nghèo', 'Vay vốn học sinh']);
    expect(match('hoc', loans)).toEqual(['Học nghề']); // prefix beats "contains" in "Vay vốn học sinh"
    expect(match('von', loans)).toEqual(['Vay vốn hộ nghèo', 'Vay vốn học sinh']);
  });

  it('matches nothing for 1–2 letter inputs unless they are a whole name', () => {
    expect(match('v')).toEqual([]);
    expect(match('va')).toEqual([]);
    expect(match('ho')).toEqual([]);
    expect(match('co', ['Có', 'Không'])).toEqual(['Có']);
    expect(match('K', ['Có', 'K'])).toEqual(['K']);
  });

  it('matches nothing for empty input or input with no letters', () => {
    expect(match('')).toEqual([]);
    expect(match('?!')).toEqual([]);
  });

  it('matches nothing when no name fits', () => {
    expect(match('xyz')).toEqual([]);
  });

  it('does not read a label inside a longer answer, so a negated answer never picks the positive option', () => {
    // "ko đồng ý" = "don't agree"; "ko có" / "chưa có" = "no" / "not yet": none of these may select the "yes" option.
    expect(match('ko đồng ý', ['Đồng ý', 'Không đồng ý'])).toEqual([]);
    expect(match('chưa đồng ý', ['Đồng ý', 'Không đồng ý'])).toEqual([]);
    expect(match('ko có', ['Có', 'Không'])).toEqual([]);
    expect(match('chua co', ['Có', 'Không'])).toEqual([]);
    expect(match('không đồng ý', ['Đồng ý', 'Không đồng ý'])).toEqual(['Không đồng ý']);
  });

  it('never matches a name that has no letters', () => {
    expect(match('hoc nghe', ['?', 'Vay vốn'])).toEqual([]);
  });

  it('looks at every name of a candidate and returns each candidate once', () => {
    const languages = [
      { code: 'vi', names: ['Tiếng Việt', 'Vietnamese'] },
      { code: 'en', names: ['Tiếng Anh', 'English'] },
    ];
    const pick = (input: string) => matchByName(input, languages, (l) => l.names).map((l) => l.code);
    expect(pick('english')).toEqual(['en']);
    expect(pick('tieng viet')).toEqual(['vi']);
    expect(pick('tieng')).toEqual(['vi', 'en']);
    expect(pick('viet')).toEqual(['vi']); // "Tiếng Việt" and "Vietnamese" both fit: listed once
  });
});
