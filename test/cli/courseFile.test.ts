import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCourseFile, checkCourseFields, type FieldContext } from '../../src/cli/admin/courseFile.ts';
import { csvText, parseCsv } from '../../src/domain/csv.ts';
import { loadAreas } from '../../src/data/areasFile.ts';
import type { Member } from '../../src/domain/member.ts';
import { courseDeadline } from '../../src/features/courseAdmin/fields.ts';
import { createLocalisation } from '../../src/i18n/i18n.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const directory = loadAreas(path.join(ROOT, 'prisma/data/areas.thai-nguyen-2025.json'));
const officer = { id: 'off1', phone: '+84912345678', displayName: 'Lan', role: 'officer' } as Member;
const ctx: FieldContext = {
  directory,
  officers: [{ member: officer, areas: ['05443'] }],
  timeZone: 'Asia/Ho_Chi_Minh',
  t: createLocalisation().translator('en'),
};

describe('parseCsv', () => {
  it('reads Excel quoting, BOM, CRLF, line breaks in quotes, and the line each record starts on', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""",z\r\n2,"two\r\nlines",w\r\n,,\r\n3,,\r\n';
    expect(parseCsv(text)).toEqual({
      ok: true,
      separator: ',',
      records: [
        { line: 1, cells: ['a', 'b', 'c'] },
        { line: 2, cells: ['1', 'x, "y"', 'z'] },
        { line: 3, cells: ['2', 'two\r\nlines', 'w'] },
        { line: 6, cells: ['3', '', ''] },
      ],
    });
  });

  it('reads ";" files (Excel with Vietnamese regional settings) and LF-only files', () => {
    expect(parseCsv('a;b\n1,5;"x;y"\n')).toMatchObject({
      ok: true,
      separator: ';',
      records: [{ cells: ['a', 'b'] }, { line: 2, cells: ['1,5', 'x;y'] }],
    });
  });

  it('names the line of an unclosed quote or text after a closing quote', () => {
    expect(parseCsv('a,b\n1,2\n3,"open\n4,5\n')).toEqual({
      ok: false,
      line: 3,
      problem: 'a quoted field is never closed (missing ")',
    });
    expect(parseCsv('a,b\n1,"x"y\n')).toMatchObject({ ok: false, line: 2 });
  });

  it('round-trips what csvText writes', () => {
    const rows = [
      ['id', 'tên'],
      ['1', 'Nguyễn "Lan", Gia Sàng\nxóm 3'],
    ];
    const written = csvText(rows);
    expect(written.startsWith('\uFEFF')).toBe(true);
    expect(written).toContain('\r\n');
    const parsed = parseCsv(written);
    expect(parsed.ok && parsed.records.map((r) => r.cells)).toEqual(rows);
  });
});

describe('course fields', () => {
  it('reads a deadline as a local date (end of day) or date and time, either order', () => {
    expect(courseDeadline('10/1/2027', 'Asia/Ho_Chi_Minh')?.toISOString()).toBe('2027-01-10T16:59:00.000Z');
    expect(courseDeadline('17:00 10/01/2027', 'Asia/Ho_Chi_Minh')?.toISOString()).toBe('2027-01-10T10:00:00.000Z');
    expect(courseDeadline('2027-01-10T08:30', 'Asia/Ho_Chi_Minh')?.toISOString()).toBe('2027-01-10T01:30:00.000Z');
    expect(courseDeadline('10/1/2027 17h', 'Asia/Ho_Chi_Minh')?.toISOString()).toBe('2027-01-10T10:00:00.000Z');
    expect(courseDeadline('31/2/2027', 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(courseDeadline('25:00 10/1/2027', 'Asia/Ho_Chi_Minh')).toBeNull();
  });

  it('checks an edit: only the fields given, commune by name, officer by phone', () => {
    expect(
      checkCourseFields({ seats: '25', commune: 'gia sang', officer: '0912 345 678', titleEn: '' }, ctx, true),
    ).toEqual({ ok: true, fields: { seats: 25, communeCode: '05467', officerId: 'off1', titleEn: null } });
    expect(checkCourseFields({ seats: '0', officer: '0987654321' }, ctx, true)).toEqual({
      ok: false,
      problems: [
        { column: 'seats', message: 'must be a whole number ≥ 1' },
        {
          column: 'officer',
          message: "no officer or admin has the phone or member id '0987654321' (see: npm run admin -- officers list)",
        },
      ],
    });
  });
});

const HEADER =
  'externalKey,titleVi,occupation,organiser,commune,address,startDate,endDate,schedule,seats,registrationDeadline';
const good = (key: string, seats = '20') =>
  `${key},Chế biến chè,tea,Trung tâm GDNN,Phan Đình Phùng,"Số 1, tổ 3",15/01/2027,15/03/2027,"Thứ 2–6, 7:30",${seats},10/01/2027`;

describe('readCourseFile', () => {
  it('gives every row as a course input, with defaults', () => {
    const read = readCourseFile([HEADER, good('TN-1'), good('TN-2', '30')].join('\r\n'), 'csv', ctx);
    expect(read).toMatchObject({
      ok: true,
      rows: [
        {
          line: 2,
          fields: {
            externalKey: 'TN-1',
            titleVi: 'Chế biến chè',
            titleEn: null,
            occupation: 'tea',
            communeCode: '05443',
            address: 'Số 1, tổ 3',
            startDate: '2027-01-15',
            endDate: '2027-03-15',
            seats: 20,
            support: 'decision46',
            status: 'draft',
            officerId: null,
          },
        },
        { line: 3, fields: { externalKey: 'TN-2', seats: 30 } },
      ],
    });
  });

  it('names the line and column of every problem', () => {
    const rows = [
      HEADER,
      good('A'),
      good('B', 'hai mươi'),
      'C,,cooking,X,Atlantis,addr,15/01/2027,01/01/2027,s,5,20/01/2027',
      good('A'),
    ];
    const read = readCourseFile(rows.join('\n'), 'csv', ctx);
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems).toContain('line 3, column seats: must be a whole number ≥ 1');
    expect(problems).toContain('line 4, column titleVi: is required');
    expect(problems.some((p) => p.startsWith("line 4, column commune: 'Atlantis': not a commune or ward"))).toBe(true);
    expect(problems).toContain("line 5, column externalKey: 'A' is already on line 2");
  });

  it('refuses unknown and missing columns on the header line', () => {
    const read = readCourseFile('titleVi,seatz\nX,1\n', 'csv', ctx);
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems[0]).toMatch(/^line 1, column 2: unknown column 'seatz'/);
    expect(problems[1]).toMatch(/^line 1: missing column\(s\) occupation, organiser/);
  });

  it('reads JSON, naming the line of the field in error', () => {
    const json = [
      '{ "courses": [',
      '  { "titleVi": "May", "occupation": "sewing", "organiser": "HTX", "commune": "05467",',
      '    "address": "xóm 2", "startDate": "2027-02-01", "endDate": "2027-02-20", "schedule": "sáng",',
      '    "seats": 15, "registrationDeadline": "2027-01-25" },',
      '  { "titleVi": "Nuôi gà", "occupation": "chickens", "organiser": "HTX", "commune": "05467",',
      '    "address": "xóm 2", "startDate": "2027-02-01", "endDate": "2027-02-20", "schedule": "sáng",',
      '    "seats": 2.5, "registrationDeadline": "2027-01-25", "colour": "red" }',
      ']}',
    ].join('\n');
    const read = readCourseFile(json, 'json', ctx);
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems).toContain(
      "line 5, column occupation: unknown occupation 'chickens' (known: tea, livestock, aquaculture, veterinary, cooking, sewing, embroidery, weaving, beauty, machinery, forestry, other)",
    );
    expect(problems).toContain('line 7, column seats: must be a whole number ≥ 1');
    expect(problems.some((p) => p.startsWith('line 7, column colour: unknown column'))).toBe(true);
    expect(readCourseFile('[ {"a": }', 'json', ctx)).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^line 1, column \d+: .*not valid JSON/)],
    });
  });
});
