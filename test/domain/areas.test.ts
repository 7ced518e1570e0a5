import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AreaDirectory,
  areasFileSchema,
  withinOneEdit,
  type AreaCandidate,
  type AreaMatch,
} from '../../src/domain/areas.ts';
import { fold } from '../../src/domain/text.ts';

const DATA_FILE = path.resolve(import.meta.dirname, '../../prisma/data/areas.thai-nguyen-2025.json');
const json: unknown = JSON.parse(readFileSync(DATA_FILE, 'utf8'));
const areas = AreaDirectory.parse(json);

/** "Phan Đình Phùng" for a current unit, "Phan Đình Phùng ← Tân Thịnh (05452)" for one named by a former unit. */
const describeCandidate = (c: AreaCandidate) =>
  c.via ? `${c.unit.name} ← ${c.via.name} (${c.via.code})` : c.unit.name;

function summary(match: AreaMatch): string | string[] {
  switch (match.kind) {
    case 'exact':
      return `exact ${match.unit.name}`;
    case 'former':
      return `former ${describeCandidate(match.candidate)}`;
    case 'ambiguous':
      return match.candidates.map(describeCandidate).sort();
    case 'none':
      return 'none';
  }
}

describe('the Thái Nguyên areas file', () => {
  it('loads all 92 communes and wards', () => {
    expect(areas.province).toBe('Thái Nguyên');
    expect(areas.size).toBe(92);
  });

  it('finds a unit by code', () => {
    expect(areas.byCodeOrNull('05443')?.name).toBe('Phan Đình Phùng');
    expect(areas.byCodeOrNull('99999')).toBeNull();
    expect(areas.byCodeOrNull(null)).toBeNull();
    expect(areas.byCodeOrNull('')).toBeNull();
  });
});

describe('AreaDirectory.match', () => {
  it.each([
    'Phan Đình Phùng',
    'phan dinh phung',
    'PHAN ĐÌNH PHÙNG',
    'Phường Phan Đình Phùng',
    'phuong phan dinh phung',
    'p. Phan Đình Phùng',
    'P.Phan Dinh Phung',
    'p phan dinh phung',
    '  Phan   Đình Phùng. ',
    'Phan Đình Phùng'.normalize('NFD'),
  ])('reads the current name %j as exactly Phan Đình Phùng', (input) => {
    expect(summary(areas.match(input))).toBe('exact Phan Đình Phùng');
  });

  it.each([
    ['xã Tân Cương', 'Tân Cương'],
    ['xa tan cuong', 'Tân Cương'],
    ['Xã Đại Từ', 'Đại Từ'],
    ['dai tu', 'Đại Từ'],
    ['Đồng Hỷ', 'Đồng Hỷ'],
    ['dong hy', 'Đồng Hỷ'],
    ['thượng quan', 'Thượng Quan'], // one of the two communes left unchanged
    ['Linh Sơn', 'Linh Sơn'], // also the name of the former commune it came from: not ambiguous
  ])('reads %j as exactly %s', (input, name) => {
    expect(summary(areas.match(input))).toBe(`exact ${name}`);
  });

  it.each(['Túc Duyên', 'tuc duyen', 'phường Túc Duyên', 'P. Tuc Duyen'])(
    'reads the former ward %j as Phan Đình Phùng, to be confirmed',
    (input) => {
      const match = areas.match(input);
      expect(match.kind).toBe('former');
      if (match.kind !== 'former') return;
      expect(match.candidate.unit.name).toBe('Phan Đình Phùng');
      expect(match.candidate.unit.code).toBe('05443');
      expect(match.candidate.via.name).toBe('Túc Duyên');
      expect(match.candidate.via.whole).toBe(true);
    },
  );

  it('asks which unit for a former name shared by two former communes (Tân Thịnh)', () => {
    // Phường Tân Thịnh (Thái Nguyên city) went to Phan Đình Phùng; xã Tân Thịnh (Định Hóa) to Phượng Tiến.
    for (const input of ['Tân Thịnh', 'tan thinh']) {
      const match = areas.match(input);
      expect(match.kind).toBe('ambiguous');
      expect(summary(match)).toEqual(['Phan Đình Phùng ← Tân Thịnh (05452)', 'Phượng Tiến ← Tân Thịnh (05548)']);
    }
  });

  it('asks which unit for a former ward split between two new ones (Cam Giá)', () => {
    const match = areas.match('cam gia');
    expect(summary(match)).toEqual(['Gia Sàng ← Cam Giá (05467)', 'Tích Lương ← Cam Giá (05467)']);
    if (match.kind === 'ambiguous') expect(match.candidates.every((c) => c.via?.whole === false)).toBe(true);
  });

  it('offers both the current ward and the other new ward for "Gia Sàng", which was split', () => {
    // The new ward Gia Sàng kept the name, but part of the former Gia Sàng went to Phan Đình Phùng.
    const match = areas.match('Gia Sàng');
    expect(match.kind).toBe('ambiguous');
    expect(summary(match)).toEqual(['Gia Sàng', 'Phan Đình Phùng ← Gia Sàng (05461)']);
  });

  it('offers the current unit and the other unit a same-named former unit went to (Trung Thành)', () => {
    expect(summary(areas.match('Trung Thành'))).toEqual(['Trung Thành', 'Tích Lương ← Trung Thành (05476)']);
  });

  it.each(['Phan Dinh Phunh', 'Phan Dinh Phug', 'Phan Dinh Phuung', 'Phan Dimh Phung', 'phuong Phan Dinh Phong'])(
    'suggests Phan Đình Phùng (once) for the one-letter typo %j',
    (input) => {
      expect(summary(areas.match(input))).toEqual(['Phan Đình Phùng']);
    },
  );

  it('suggests units whose name starts with a longer partial input', () => {
    expect(summary(areas.match('Phan Đình'))).toEqual(['Phan Đình Phùng']);
    expect(summary(areas.match('tuc duy'))).toEqual(['Phan Đình Phùng ← Túc Duyên (05437)']);
  });

  it.each(['qwxzzy', 'xyz', 'Hà Nội', 'Tân', 'xã', 'a', '', '   ', '?!'])('finds nothing for %j', (input) => {
    expect(areas.match(input)).toEqual({ kind: 'none' });
  });
});

describe('AreaDirectory.match: addresses as members type them (issue 8, item 24)', () => {
  // Commune, then its former district, city or province, with the words and punctuation people use
  // (REFERENCE.md: "Addresses often carry the old district or city").
  it.each([
    ['Túc Duyên, TP Thái Nguyên', 'former Phan Đình Phùng ← Túc Duyên (05437)'],
    ['xa hoa binh huyen dong hy', 'former Văn Lăng ← Hòa Bình (05671)'],
    ['xã Hòa Bình, huyện Đồng Hỷ, tỉnh Thái Nguyên', 'former Văn Lăng ← Hòa Bình (05671)'],
    ['X. Hoà Bình - H. Đồng Hỉ', 'former Văn Lăng ← Hòa Bình (05671)'],
    ['phuong Tuc Duyen thanh pho Thai Nguyen', 'former Phan Đình Phùng ← Túc Duyên (05437)'],
    ['P.Túc Duyên, TPTN', 'former Phan Đình Phùng ← Túc Duyên (05437)'],
    ['Túc Duyên cũ', 'former Phan Đình Phùng ← Túc Duyên (05437)'],
    ['Em ở xã Hòa Bình, Đồng Hỷ ạ', 'former Văn Lăng ← Hòa Bình (05671)'],
    ['thôn 3, xã Hòa Bình, huyện Đồng Hỷ', 'former Văn Lăng ← Hòa Bình (05671)'],
    ['xóm Mới xã Hòa Bình Đồng Hỷ', 'former Văn Lăng ← Hòa Bình (05671)'],
    ['huyện Đồng Hỷ, xã Hòa Bình', 'former Văn Lăng ← Hòa Bình (05671)'],
    ['tuc duyen tp thai nguyn', 'former Phan Đình Phùng ← Túc Duyên (05437)'], // a typo in the city
    // The former district settles a name two former units shared.
    ['Tân Thịnh, Định Hóa', 'former Phượng Tiến ← Tân Thịnh (05548)'],
    ['tan thinh tp thai nguyen', 'former Phan Đình Phùng ← Tân Thịnh (05452)'],
    ['thị trấn Hương Sơn, Phú Bình', 'former Phú Bình ← Hương Sơn (05908)'],
    ['Hương Sơn, TP Thái Nguyên', 'former Gia Sàng ← Hương Sơn (05473)'],
    ['Sông Cầu, tỉnh Bắc Cạn', 'former Bắc Kạn ← Sông Cầu (01837)'],
    ['Phúc Lương Đại Từ', 'former Đức Lương ← Phúc Lương (05767)'],
    ['yen lac na ri', 'former Na Rì ← Yến Lạc (02155)'],
    // … and a current name shared with a former unit elsewhere.
    ['Trung Thành, Phổ Yên', 'exact Trung Thành'],
    ['Trung Thành, TP Thái Nguyên', 'former Tích Lương ← Trung Thành (05476)'],
    ['Văn Lang, Na Rì', 'exact Văn Lang'],
    // "xã" or "phường" settles it too, when the two were of different kinds.
    ['xa tan thinh', 'former Phượng Tiến ← Tân Thịnh (05548)'],
    ['phường Tân Thịnh', 'former Phan Đình Phùng ← Tân Thịnh (05452)'],
    // A current name is still itself, with or without its province, and names that look like address words stay names.
    ['Đồng Hỷ, Thái Nguyên', 'exact Đồng Hỷ'],
    ['Phương Giao', 'former Dân Tiến ← Phương Giao (05749)'],
    ['Dương Thành, Phú Bình', 'former Kha Sơn ← Dương Thành (05965)'],
    ['Bản Thi, Chợ Đồn', 'former Yên Thịnh ← Bản Thi (02035)'],
    ['Tràng Xá', 'exact Tràng Xá'],
    ['Lam Vĩ', 'exact Lam Vỹ'], // i and y at the end of a syllable are one spelling
  ])('reads %j', (input, expected) => {
    expect(summary(areas.match(input))).toBe(expected);
  });

  it('lists both when the place given fits both, or contradicts the name', () => {
    // "Thái Nguyên" is the former city and the province: both Tân Thịnh are in the province.
    expect(summary(areas.match('Tân Thịnh, Thái Nguyên'))).toEqual([
      'Phan Đình Phùng ← Tân Thịnh (05452)',
      'Phượng Tiến ← Tân Thịnh (05548)',
    ]);
    // A district she misremembers narrows nothing away.
    expect(summary(areas.match('Túc Duyên, Đồng Hỷ'))).toBe('former Phan Đình Phùng ← Túc Duyên (05437)');
    // A split ward stays a choice.
    expect(summary(areas.match('Cam Giá, TP Thái Nguyên'))).toEqual([
      'Gia Sàng ← Cam Giá (05467)',
      'Tích Lương ← Cam Giá (05467)',
    ]);
  });

  it('finds every former unit of the data named with its former district, in four spellings', () => {
    const data = json as {
      units: { code: string; formedFrom: { name: string; type: string; formerDistrict: string; whole?: boolean }[] }[];
    };
    const misses: string[] = [];
    for (const unit of data.units) {
      for (const f of unit.formedFrom) {
        const short = f.formerDistrict.replace(/^(Huyện|Thành [pP]hố|Thị xã) /, '');
        for (const input of [
          `${f.name}, ${f.formerDistrict}`,
          fold(`${f.type} ${f.name} ${f.formerDistrict}`),
          `${f.name} ${short}`,
          fold(`${f.name}, ${short}`),
        ]) {
          const match = areas.match(input);
          const codes =
            match.kind === 'exact'
              ? [match.unit.code]
              : match.kind === 'former'
                ? [match.candidate.unit.code]
                : match.kind === 'ambiguous'
                  ? match.candidates.map((c) => c.unit.code)
                  : [];
          const single = match.kind === 'exact' || match.kind === 'former';
          // Only a split unit, or a bare "Thái Nguyên" (the city and the province), may leave a choice.
          const choiceAllowed = f.whole === false || short === 'Thái Nguyên';
          if (!codes.includes(unit.code) || (!single && !choiceAllowed)) misses.push(`${input} → ${match.kind}`);
        }
      }
    }
    expect(misses).toEqual([]);
  });

  it('tells a member who gave only her former district to give her commune', () => {
    expect(areas.match('huyện Đồng Hỷ')).toEqual({
      kind: 'none',
      district: { name: 'Huyện Đồng Hỷ', example: 'Sông Cầu' },
    });
    expect(areas.match('TP Thái Nguyên')).toMatchObject({ kind: 'none', district: { name: 'Thành phố Thái Nguyên' } });
    // "Thái Nguyên" alone is the province as much as the former city; "Đại Từ" is a commune today.
    expect(areas.match('Thái Nguyên')).toEqual({ kind: 'none' });
    expect(summary(areas.match('Đại Từ'))).toBe('exact Đại Từ');
  });

  it('reads a long message quickly and finds nothing in it', () => {
    const started = performance.now();
    expect(areas.match('a'.repeat(5000))).toEqual({ kind: 'none' });
    expect(areas.match('em muốn hỏi về lớp học may ở xã ạ, nhà em ở thôn 3 gần chợ')).toEqual({ kind: 'none' });
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('AreaDirectory.match: "several" only when there are several (issue 8, item 15)', () => {
  it('offers the one close name for "tuc duyn" (a typo of the former ward Túc Duyên) as a single suggestion', () => {
    const match = areas.match('tuc duyn');
    expect(match).toMatchObject({ kind: 'ambiguous', approximate: true });
    expect(summary(match)).toEqual(['Phan Đình Phùng ← Túc Duyên (05437)']);
  });

  it('never calls a single name ambiguous: an exact choice has two candidates or more, for every name of the data', () => {
    const data = json as { units: { name: string; formedFrom: { name: string }[] }[] };
    const names = data.units.flatMap((u) => [u.name, ...u.formedFrom.map((f) => f.name)]);
    const typos = names.map((n) => n.slice(0, -1)); // the last letter missing
    for (const input of [...names, ...typos]) {
      const match = areas.match(input);
      if (match.kind !== 'ambiguous') continue;
      if (match.approximate) expect(match.candidates.length, input).toBeLessThanOrEqual(6);
      else expect(match.candidates.length, input).toBeGreaterThanOrEqual(2);
      expect(match.candidates.length, input).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('withinOneEdit', () => {
  it.each([
    ['phung', 'phung', true],
    ['phung', 'phunh', true],
    ['phung', 'phug', true],
    ['phung', 'phuung', true],
    ['phung', 'hung', true],
    ['phung', 'phu', false],
    ['phung', 'pgunh', false],
    ['phung', 'hpung', false],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});

describe('areasFileSchema', () => {
  const unit = (code: string, name: string) => ({ code, name, type: 'xã' });

  it('accepts a minimal file and defaults formedFrom to an empty list', () => {
    const parsed = areasFileSchema.parse({ province: 'Thái Nguyên', units: [unit('1', 'A')] });
    expect(parsed.units[0]?.formedFrom).toEqual([]);
  });

  it('rejects duplicate codes and says which unit', () => {
    const result = areasFileSchema.safeParse({
      province: 'Thái Nguyên',
      units: [unit('05443', 'Phan Đình Phùng'), unit('05500', 'Tích Lương'), unit('05443', 'Gia Sàng')],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.path).toEqual(['units', 2, 'code']);
    expect(result.error?.issues[0]?.message).toContain('05443');
  });

  it('rejects an empty units list', () => {
    const result = areasFileSchema.safeParse({ province: 'Thái Nguyên', units: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['units']);
  });

  it('rejects a unit without a name and a file without a province', () => {
    expect(areasFileSchema.safeParse({ province: 'X', units: [unit('1', '')] }).success).toBe(false);
    expect(areasFileSchema.safeParse({ units: [unit('1', 'A')] }).success).toBe(false);
  });

  it('makes AreaDirectory.parse throw on a bad file', () => {
    expect(() => AreaDirectory.parse({ province: 'Thái Nguyên', units: [] })).toThrow();
  });
});
