import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAdminArgs, runAdmin } from '../../src/cli/admin.ts';
import { createAuditLog } from '../../src/data/auditLog.ts';
import { createCaseRepository } from '../../src/data/caseRepository.ts';
import { loadAreaDirectory } from '../../src/data/areasFile.ts';
import { createInvitationRepository } from '../../src/data/invitationRepository.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import { createOfficerRepository } from '../../src/data/officerRepository.ts';
import type { Member } from '../../src/domain/member.ts';
import { formatTimestamp } from '../../src/domain/time.ts';
import { hashInvitationCode } from '../../src/features/cases/invitations.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const AREAS_FILE = path.join(ROOT, 'prisma/data/areas.thai-nguyen-2025.json');
const NOW = new Date('2026-03-02T08:00:00.000Z');

let db: FreshDatabase;
let dir: string;
beforeEach(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-admin-'));
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs a command line against the test database; what it printed on each stream. */
async function admin(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdmin(argv, {
    prisma: db.prisma,
    areasFile: AREAS_FILE,
    clock: { now: () => NOW },
    filesDir: path.join(dir, 'files'),
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

async function member(channelUserId: string, patch: Partial<Member> = {}): Promise<Member> {
  const members = createMemberRepository(db.prisma);
  const created = await members.create({ channel: 'telegram', channelUserId, language: 'vi' });
  return Object.keys(patch).length === 0 ? created : members.update(created.id, patch);
}

const codeIn = (text: string): string => /HV-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(text)?.[0] ?? '';

describe('admin invite', () => {
  it('prints a code (names without accents resolved) that redeems once, with its expiry', async () => {
    const result = await admin('invite', '--area', 'phan dinh phung,Gia Sang', '--hours', '2');
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('Phường Phan Đình Phùng, Phường Gia Sàng');
    // 10:00 UTC, printed in TIME_ZONE (default Asia/Ho_Chi_Minh), Vietnamese format in Vietnamese.
    expect(result.out).toContain('expires: 17:00 02/03/2026 (Asia/Ho_Chi_Minh; in 2 hours)');
    expect(result.out).not.toContain('T10:00');
    const code = codeIn(result.out);
    expect(code).not.toBe('');

    const invitations = createInvitationRepository(db.prisma);
    const hash = hashInvitationCode(code)!;
    const lan = await member('lan');
    const redeemed = await invitations.redeem(hash, lan.id, NOW);
    expect(redeemed).toMatchObject({ ok: true, invitation: { role: 'officer', areas: ['05443', '05467'] } });
    expect(await invitations.redeem(hash, (await member('mai')).id, NOW)).toEqual({ ok: false, reason: 'used' });
    // Only the hash is stored; the audit log names the CLI.
    const rows = await db.prisma.invitation.findMany();
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(await createAuditLog(db.prisma).list()).toMatchObject([
      { actor: 'cli', action: 'invitation.created', details: { role: 'officer', areas: ['05443', '05467'] } },
    ]);
  });

  it('invites an admin for the whole province, by code or with *', async () => {
    const result = await admin('invite', '--area', '*', '--role', 'admin');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Toàn tỉnh');
    expect(result.out).toContain('15:00 05/03/2026 (Asia/Ho_Chi_Minh; in 72 hours)');
    const byCode = await admin('invite', '--area', '05443', '--area', '05467');
    expect(byCode.code).toBe(0);
    const stored = await db.prisma.invitation.findMany({ orderBy: { createdAt: 'asc' } });
    expect(stored.map((row) => [row.role, row.areas])).toEqual([
      ['admin', ['*']],
      ['officer', ['05443', '05467']],
    ]);
  });

  it('refuses former, ambiguous and unknown areas, listing the candidates, and creates nothing', async () => {
    const result = await admin('invite', '--area', 'Túc Duyên,van lang,song cau,99999,xyz');
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain("'Túc Duyên': Túc Duyên is a former unit, now in Phường Phan Đình Phùng (05443)");
    expect(result.err).toMatch(/'van lang' could be: .*Văn Lăng \(\d+\).*Văn Lang \(\d+\)/);
    expect(result.err).toMatch(/'song cau' could be: .*which includes former Sông Cầu/);
    expect(result.err).toContain("'99999': no commune or ward has this code");
    expect(result.err).toContain("'xyz': not a commune or ward of Thái Nguyên");
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(await db.prisma.invitation.count()).toBe(0);

    expect((await admin('invite', '--area', '*,05443')).err).toContain('cannot be combined');
  });
});

describe('admin officers', () => {
  it('lists, re-scopes and revokes officers, writing the audit log', async () => {
    const officers = createOfficerRepository(db.prisma);
    const lan = await member('lan', { displayName: 'Nguyễn Thị Lan' });
    const hoa = await member('hoa', { displayName: 'Trần Thị Hoa' });
    await officers.assign(lan.id, 'officer', ['05443']);
    await officers.assign(hoa.id, 'admin', ['*']);

    // Headers in --lang, like the cases export; by default the CLI's language (Vietnamese).
    const list = await admin('officers', 'list', '--lang', 'en');
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+ROLE\s+CHANNEL\s+AREAS$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${lan.id}\\s+Nguyễn Thị Lan\\s+officer\\s+telegram\\s+Phan Đình Phùng ward$`),
    );
    expect(lines[2]).toMatch(/Trần Thị Hoa\s+admin\s+telegram\s+Whole province$/);
    // The columns line up.
    expect(lines[1]!.indexOf('officer')).toBe(lines[0]!.indexOf('ROLE'));
    const vietnamese = (await admin('officers', 'list')).out.trimEnd().split('\n');
    expect(vietnamese[0]).toMatch(/^MÃ\s+TÊN\s+VAI TRÒ\s+KÊNH\s+ĐỊA BÀN$/);
    expect(vietnamese[1]).toMatch(
      new RegExp(`^${lan.id}\\s+Nguyễn Thị Lan\\s+officer\\s+telegram\\s+Phường Phan Đình Phùng$`),
    );
    expect(vietnamese[2]).toMatch(/Trần Thị Hoa\s+admin\s+telegram\s+Toàn tỉnh$/);
    expect(vietnamese[1]!.indexOf('officer')).toBe(vietnamese[0]!.indexOf('VAI TRÒ'));

    const rescoped = await admin('officers', 'rescope', lan.id, '--area', 'gia sang,Tích Lương');
    expect(rescoped.code).toBe(0);
    expect(rescoped.out).toContain('before: Phường Phan Đình Phùng');
    expect(rescoped.out).toContain('after:  Phường Gia Sàng, Phường Tích Lương');
    expect(await officers.areasOf(lan.id)).toEqual(['05467', '05500']);

    const revoked = await admin('officers', 'revoke', hoa.id);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('Trần Thị Hoa');
    expect(revoked.out).toContain('plain member again (was admin for Toàn tỉnh)');
    expect(await createMemberRepository(db.prisma).findById(hoa.id)).toMatchObject({ role: 'member' });
    expect(await officers.areasOf(hoa.id)).toEqual([]);
    expect((await officers.list()).map((o) => o.member.id)).toEqual([lan.id]);

    expect(await createAuditLog(db.prisma).list()).toMatchObject([
      {
        actor: 'cli',
        action: 'officer.rescoped',
        subject: lan.id,
        details: { role: 'officer', before: ['05443'], after: ['05467', '05500'] },
      },
      { actor: 'cli', action: 'officer.revoked', subject: hoa.id, details: { previousRole: 'admin', before: ['*'] } },
    ]);
    const history = await admin('audit', '--subject', lan.id);
    expect(history.out).toContain('officer.rescoped');
    expect(history.out).not.toContain('officer.revoked');
  });

  it('refuses an unknown member or a plain member, changing nothing', async () => {
    const plain = await member('plain');
    const unknown = await admin('officers', 'revoke', 'no-such-id');
    expect(unknown).toMatchObject({ code: 2, out: '' });
    expect(unknown.err).toContain('No member with id no-such-id');
    const notOfficer = await admin('officers', 'rescope', plain.id, '--area', '05443');
    expect(notOfficer.code).toBe(2);
    expect(notOfficer.err).toContain('is not an officer or admin');
    expect(await db.prisma.officerArea.count()).toBe(0);
    expect(await db.prisma.auditLog.count()).toBe(0);
    expect((await admin('officers', 'list')).out).toContain('No officers or admins yet');
  });
});

describe('admin areas', () => {
  // Line numbers below refer to this text (1-based): units.1 starts on line 5, units.2's code on line 6.
  const BAD = [
    '{',
    '  "province": "Thái Nguyên",',
    '  "units": [',
    '    { "code": "00001", "name": "Một", "type": "xã" },',
    '    { "code": "00002", "type": "phường" },',
    '    { "code": "00001", "name": "Ba", "type": "xã" }',
    '  ]',
    '}',
  ].join('\n');

  it('refuses a malformed file naming each problem with its line, and imports nothing', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, BAD);
    const result = await admin('areas', 'import', file);
    expect(result).toMatchObject({ code: 1, out: '' });
    expect(result.err).toContain('is not a valid areas file; nothing was imported');
    expect(result.err).toContain(`${file}: line 6, column 15: units.2.code: duplicate code 00001`);
    expect(result.err).toMatch(/line 5, column 5: units\.1\.name: .* \(missing; line of units\.1\)/);
    expect(await db.prisma.areaDataset.count()).toBe(0);

    // Not even JSON: the line of the syntax error.
    await writeFile(file, BAD.replace('"Ba", "type": "xã" }', '"Ba", "type": "xã", }'));
    const syntax = await admin('areas', 'import', file);
    expect(syntax.code).toBe(1);
    expect(syntax.err).toMatch(/line 6, column \d+: expected a property name in double quotes, found "}"/);

    const missing = await admin('areas', 'import', path.join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Cannot read');
    expect(await db.prisma.areaDataset.count()).toBe(0);
  });

  it('imports a good file, which is then the areas data in force', async () => {
    const before = await loadAreaDirectory(db.prisma, AREAS_FILE);
    expect(before.source).toBe(`file ${AREAS_FILE}`);
    expect(before.directory.size).toBe(92);

    const file = path.join(dir, 'areas-2026.json');
    // With a byte-order mark, as Windows editors save it.
    await writeFile(
      file,
      `\uFEFF${BAD.replace('"type": "phường" }', '"name": "Hai", "type": "phường" }').replace('"00001", "name": "Ba"', '"00003", "name": "Ba"')}`,
    );
    const result = await admin('areas', 'import', file);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('Imported areas-2026.json as area dataset #1: Thái Nguyên, 3 units (2 xã, 1 phường).');

    const after = await loadAreaDirectory(db.prisma, AREAS_FILE);
    expect(after.directory.size).toBe(3);
    expect(after.directory.byCodeOrNull('00002')?.name).toBe('Hai');
    expect(after.source).toMatch(/^area dataset #1 \(areas-2026\.json, imported .* by cli\)$/);
    expect(await db.prisma.areaDataset.findFirstOrThrow()).toMatchObject({
      source: 'areas-2026.json',
      importedBy: 'cli',
    });

    const shown = await admin('areas', 'show');
    expect(shown.out).toContain('In force: area dataset #1 (areas-2026.json');
    expect(shown.out).toContain('3 units');
    // The CLI resolves areas against the data in force.
    expect((await admin('invite', '--area', 'hai')).out).toContain('Phường Hai');
    expect((await admin('invite', '--area', '05443')).code).toBe(2);
  });
});

/** A small RFC 4180 reader, to check that what the export writes reads back as written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('admin cases export', () => {
  const NOTE = 'Chị "Hoa" gọi lại, hẹn thứ Hai\nlúc 9h, mang CCCD';

  async function someCases() {
    const cases = createCaseRepository(db.prisma);
    const lan = await member('member-lan', { displayName: 'Lê Thị Lan', phone: '+84912345678', communeCode: '05443' });
    const officer = await member('officer', { displayName: 'Cán bộ, Phường PĐP' });
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    const first = await cases.create({
      type: 'talk',
      memberId: lan.id,
      communeCode: '05443',
      details: { topic: 'vay vốn' },
      createdAt: at(0),
    });
    await cases.claim(first.id, officer.id, at(5));
    await cases.close(first.id, 'done', NOTE, at(30), officer.id);
    const second = await cases.create({
      type: 'product_report',
      memberId: lan.id,
      communeCode: null,
      details: {},
      createdAt: at(60),
    });
    await cases.close(second.id, 'rejected', '=HYPERLINK("http://x")', at(61), officer.id);
    await cases.create({
      type: 'credit_lead',
      memberId: lan.id,
      communeCode: '05467',
      details: { purpose: 'Chăn nuôi' },
      createdAt: at(90),
    });
    return { first, second };
  }

  it('writes RFC 4180 CSV with a BOM, without member names or phones by default', async () => {
    const { first, second } = await someCases();
    const result = await admin('cases', 'export');
    expect(result).toMatchObject({ code: 0, err: '' });
    // Headers in Vietnamese by default (issue 8, item 23), with the subject (message or loan purpose).
    expect(result.out.startsWith('\uFEFFMã yêu cầu,Loại,Trạng thái,Mã xã/phường,Xã/phường,Nội dung / mục đích,')).toBe(
      true,
    );
    expect(result.out.endsWith('\r\n')).toBe(true);
    expect(result.out).toContain('"Chị ""Hoa"" gọi lại, hẹn thứ Hai\nlúc 9h, mang CCCD"');
    expect(result.out).not.toContain('Lê Thị Lan');
    expect(result.out).not.toContain('912345678');

    const rows = parseCsv(result.out.slice(1));
    expect(rows[0]).toEqual([
      'Mã yêu cầu',
      'Loại',
      'Trạng thái',
      'Mã xã/phường',
      'Xã/phường',
      'Nội dung / mục đích',
      'Gửi lúc',
      'Cán bộ nhận',
      'Nhận lúc',
      'Đóng lúc',
      'Ghi chú',
    ]);
    // Times in TIME_ZONE with their offset (08:00 UTC is 15:00 in Vietnam), never UTC ISO strings (item 8).
    expect(rows.slice(1)).toEqual([
      [
        String(first.id),
        'Muốn trao đổi với cán bộ',
        'đã xong',
        '05443',
        'Phường Phan Đình Phùng',
        'vay vốn',
        '2026-03-02 15:00:00 +07:00',
        'Cán bộ, Phường PĐP',
        '2026-03-02 15:05:00 +07:00',
        '2026-03-02 15:30:00 +07:00',
        NOTE,
      ],
      // A note that Excel would run as a formula is kept as text.
      [
        String(second.id),
        'Giới thiệu sản phẩm',
        'đã từ chối',
        '',
        '',
        '',
        '2026-03-02 16:00:00 +07:00',
        'Cán bộ, Phường PĐP',
        '2026-03-02 16:01:00 +07:00',
        '2026-03-02 16:01:00 +07:00',
        `'=HYPERLINK("http://x")`,
      ],
      [
        expect.any(String),
        'Hỏi vay vốn',
        'chưa có người nhận',
        '05467',
        'Phường Gia Sàng',
        'Chăn nuôi',
        '2026-03-02 16:30:00 +07:00',
        '',
        '',
        '',
        '',
      ],
    ]);
  });

  it('names an officer who has no name readably in "Cán bộ nhận", with her id to find her', async () => {
    const cases = createCaseRepository(db.prisma);
    const lan = await member('member-lan', { communeCode: '05443' });
    const unnamed = await member('officer-unnamed');
    const c = await cases.create({ type: 'talk', memberId: lan.id, communeCode: '05443', details: {}, createdAt: NOW });
    await cases.claim(c.id, unnamed.id, NOW);
    const vietnamese = parseCsv((await admin('cases', 'export')).out.slice(1));
    expect(vietnamese[1]![7]).toBe(`(chưa có tên, mã ${unnamed.id})`);
    const english = parseCsv((await admin('cases', 'export', '--lang', 'en')).out.slice(1));
    expect(english[1]![7]).toBe(`(no name, id ${unnamed.id})`);
  });

  it('follows --lang for headers and labels, and TIME_ZONE for times', async () => {
    await someCases();
    const english = await admin('cases', 'export', '--lang', 'en');
    expect(english.code).toBe(0);
    const rows = parseCsv(english.out.slice(1));
    expect(rows[0]).toEqual([
      'Request',
      'Type',
      'Status',
      'Commune code',
      'Commune/ward',
      'Message / purpose',
      'Sent at',
      'Taken by',
      'Taken at',
      'Closed at',
      'Note',
    ]);
    expect(rows[1]!.slice(1, 7)).toEqual([
      'Wants to talk to an officer',
      'done',
      '05443',
      'Phan Đình Phùng ward',
      'vay vốn',
      '2026-03-02 15:00:00 +07:00',
    ]);
    expect((await admin('cases', 'export', '--lang', 'fr')).err).toContain('--lang must be one of vi, en');

    let out = '';
    const code = await runAdmin(['cases', 'export'], {
      prisma: db.prisma,
      areasFile: AREAS_FILE,
      clock: { now: () => NOW },
      timeZone: 'Europe/Paris',
      out: (text) => (out += text),
      err: () => undefined,
    });
    expect(code).toBe(0);
    expect(parseCsv(out.slice(1))[1]![6]).toBe('2026-03-02 09:00:00 +01:00');
  });

  it('adds names and phones with --with-contact, filters by status and writes a file', async () => {
    await someCases();
    const out = path.join(dir, 'cases.csv');
    const result = await admin('cases', 'export', '--status', 'done,open', '--with-contact', '--out', out);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Wrote 2 case(s) to ${out} with member names and phone numbers`);
    const rows = parseCsv((await readFile(out, 'utf8')).slice(1));
    expect(rows[0]!.slice(-2)).toEqual(['Tên hội viên', 'Điện thoại hội viên']);
    expect(rows.slice(1).map((r) => [r[2], r[11], r[12]])).toEqual([
      ['đã xong', 'Lê Thị Lan', '+84912345678'],
      ['chưa có người nhận', 'Lê Thị Lan', '+84912345678'],
    ]);
    expect(await createAuditLog(db.prisma).list()).toMatchObject([
      { actor: 'cli', action: 'cases.exported', details: { count: 2, statuses: ['done', 'open'], withContact: true } },
    ]);
  });
});

describe('admin audit', () => {
  it('prints the most recent entries, oldest first', async () => {
    const audit = createAuditLog(db.prisma);
    for (const n of [1, 2, 3]) await audit.record({ actor: 'cli', action: `test.${n}`, subject: 's', details: { n } });
    const result = await admin('audit', '--limit', '2', '--lang', 'en');
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AT\s+ACTOR\s+ACTION\s+SUBJECT\s+DETAILS$/);
    // By default, in the CLI's language (DEFAULT_LANGUAGE, Vietnamese).
    expect((await admin('audit', '--limit', '2')).out.split('\n')[0]).toMatch(
      /^LÚC\s+NGƯỜI LÀM\s+THAO TÁC\s+ĐỐI TƯỢNG\s+CHI TIẾT$/,
    );
    expect(lines[1]).toMatch(/cli\s+test\.2\s+s\s+\{"n":2\}$/);
    expect(lines[2]).toMatch(/test\.3/);
    expect(lines[3]).toBe('(2 most recent of 3; --limit shows more)');
    // When, in TIME_ZONE with its offset, never a UTC ISO string (issue 8, item 8).
    const stored = await audit.list();
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+07:00\s/);
    expect(lines[1]!.startsWith(formatTimestamp(stored[1]!.at, 'Asia/Ho_Chi_Minh'))).toBe(true);
    expect(result.out).not.toMatch(/\d{4}-\d{2}-\d{2}T\d/);
    expect((await admin('audit', '--subject', 'other')).out).toBe('No audit entries about other.\n');
  });
});

describe('admin command line', () => {
  it.each([
    [[], /No command given/],
    [['bogus'], /Unknown command 'bogus'/],
    [['invite'], /--area is required/],
    [['invite', '--area'], /argument missing/],
    [['invite', '--area', '05443', '--role', 'boss'], /--role must be officer or admin/],
    [['invite', '--area', '05443', '--hours', '0'], /--hours must be a whole number from 1 to 720/],
    [['invite', '--area', '05443', '--colour', 'red'], /Unknown option '--colour'/],
    [['officers'], /'officers' needs a subcommand/],
    [['officers', 'fire', 'x'], /Unknown command 'officers fire'/],
    [['officers', 'rescope', '--area', '05443'], /Missing the member id/],
    [['officers', 'revoke', 'a', 'b'], /Unexpected argument 'b'/],
    [['areas', 'import'], /Missing the areas file/],
    [['cases', 'export', '--status', 'lost'], /unknown status lost \(known: open, claimed, done, approved, rejected\)/],
    [['audit', '--limit', 'many'], /--limit must be a whole number/],
  ])('refuses %j with exit status 2 and the usage', async (argv, problem) => {
    const result = await admin(...argv);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(problem);
    expect(result.err).toContain('Usage: npm run admin -- <command>');
    expect(parseAdminArgs(argv).ok).toBe(false);
  });

  it('prints the usage on request', async () => {
    for (const argv of [['help'], ['--help'], ['invite', '-h']]) {
      const result = await admin(...argv);
      expect(result).toMatchObject({ code: 0, err: '' });
      expect(result.out).toContain('Usage: npm run admin -- <command>');
    }
  });

  it('as a command: a bad command exits with status 2 and a message, not a stack trace', () => {
    const result = spawnSync('npm', ['run', 'admin', '--silent', '--', 'officers', 'fire'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("Unknown command 'officers fire'");
    expect(result.stderr).toContain('Usage: npm run admin -- <command>');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});

describe('admin programmes', () => {
  const SHIPPED = path.join(ROOT, 'prisma/data/credit-programmes.json');

  it('a malformed programme file is refused with its line and changes nothing', async () => {
    const text = await readFile(SHIPPED, 'utf8');
    const data = JSON.parse(text) as { programmes: { id: string }[] };
    data.programmes[1]!.id = data.programmes[0]!.id; // a duplicate id
    const bad = JSON.stringify(data, null, 2);
    const file = path.join(dir, 'bad.json');
    await writeFile(file, bad);
    // The duplicate is reported at the second programme's id, where it stands in the file.
    const idLines = bad.split('\n').flatMap((l, i) => (l.includes(`"id": "${data.programmes[0]!.id}"`) ? [i + 1] : []));
    const line = idLines[1] ?? 0;
    const result = await admin('programmes', 'import', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('nothing was imported and the data in force is unchanged');
    expect(result.err).toContain(`line ${line}`);
    expect(await db.prisma.programmeDataset.count()).toBe(0);
  });

  it('a programme id too long for button data (63 characters) is refused at its line (issue 8, item 10)', async () => {
    const text = await readFile(SHIPPED, 'utf8');
    const long = 'poor_households_loans_of_the_vietnam_bank_for_social_policies_x';
    expect(long).toHaveLength(63);
    const bad = text.replace('"id": "poor_households"', `"id": "${long}"`);
    const line = bad.split('\n').findIndex((l) => l.includes(long)) + 1;
    const file = path.join(dir, 'long-id.json');
    await writeFile(file, bad);
    const result = await admin('programmes', 'import', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('nothing was imported and the data in force is unchanged');
    expect(result.err).toMatch(
      new RegExp(`line ${line}, column \\d+: programmes\\.0\\.id: at most 32 characters \\(ids travel in button data`),
    );
    expect(await db.prisma.programmeDataset.count()).toBe(0);
  });

  it('a good file is imported, recorded in the audit log, and shown as in force with its unconfirmed figures', async () => {
    const result = await admin('programmes', 'import', SHIPPED);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/Imported .* as programme dataset #1: version /);
    expect(result.out).toContain('Not confirmed from a primary source');
    expect(await db.prisma.programmeDataset.count()).toBe(1);
    expect((await db.prisma.auditLog.findFirstOrThrow()).action).toBe('programmes.imported');
    const show = await admin('programmes', 'show');
    expect(show.out).toContain('In force: programme dataset #1');
  });
});

describe('admin members erase', () => {
  it('erases a member the way her "Delete my data" does: consents, jobs about her, photos; audit anonymised', async () => {
    const lan = await member('701', { consentAt: NOW, displayName: 'Nguyễn Thị Lan' });
    await db.prisma.memberConsent.create({ data: { memberId: lan.id, purpose: 'photos', givenAt: NOW } });
    await db.prisma.job.create({
      data: { kind: 'reminder', payload: {}, runAt: NOW, maxAttempts: 3, memberId: lan.id },
    });
    await createAuditLog(db.prisma).record({ actor: 'cli', action: 'officer.revoked', subject: lan.id });
    const photo = path.join(dir, 'files', lan.id, 'p.jpg');
    await mkdir(path.dirname(photo), { recursive: true });
    await writeFile(photo, 'jpeg bytes');

    const result = await admin('members', 'erase', lan.id);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('were erased');
    expect(await db.prisma.member.count({ where: { id: lan.id } })).toBe(0);
    expect(await db.prisma.memberConsent.count()).toBe(0);
    expect(await db.prisma.job.count({ where: { memberId: lan.id } })).toBe(0);
    expect(await readFile(photo).catch(() => null)).toBeNull();
    const audit = await db.prisma.auditLog.findMany({ orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.subject])).toEqual([
      ['officer.revoked', 'erased'],
      ['member.erased', null],
    ]);
    expect(JSON.stringify(audit)).not.toContain(lan.id);

    expect((await admin('members', 'erase', lan.id)).code).toBe(2);
  });
});
