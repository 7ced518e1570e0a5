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
