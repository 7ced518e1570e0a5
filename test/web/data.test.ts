// The console's Data section through its pages (test/web/context.ts): the datasets in force, imports of areas and
// loan programme files with the CLI's line-precise problems (a broken file changes nothing), failed jobs and retry.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMMES_FILE } from '../../src/data/programmeStore.ts';
import type { Member } from '../../src/domain/member.ts';
import type { UploadedFile } from '../../src/web/page.ts';
import { splitProblem } from '../../src/web/pages/data.ts';
import { AREAS_FILE } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { text, webHarness, type WebHarness } from './context.ts';

let db: FreshDatabase;
let web: WebHarness;
let admin: Member;

beforeEach(async () => {
  db = await freshDatabase();
  web = webHarness(db.prisma);
  admin = await web.staff('admin', ['*'], 'Trần Quản Trị');
});
afterEach(async () => {
  await db.close();
});

const upload = (filename: string, content: string): UploadedFile[] => [
  { field: 'file', filename, contentType: 'application/json', bytes: Buffer.from(content) },
];

/** A small areas file (three units of the shipped one), pretty-printed as people edit them. */
function areasFile(edit: (json: { province: string; units: { code: string; name: string }[] }) => void = () => {}) {
  const json = JSON.parse(readFileSync(AREAS_FILE, 'utf8')) as {
    province: string;
    units: { code: string; name: string }[];
  };
  json.units = json.units.slice(0, 3);
  edit(json);
  return JSON.stringify(json, null, 2);
}

/** The 1-based line of the first occurrence of `needle` after `after` in `source`. */
function lineOf(source: string, needle: string, after = 0): number {
  return source.slice(0, source.indexOf(needle, after)).split('\n').length;
}

describe('the Data page', () => {
  it('shows which areas and programme data are in force', async () => {
    const result = await web.call(admin, 'GET', '/console/data');
    expect(result.kind).toBe('page');
    const html = text(result);
    expect(html).toContain('Tệp có sẵn của bot');
    expect(html).toContain('Thái Nguyên');
    expect(html).toContain('Phiên bản');
    expect(html).toContain('Không có việc nào lỗi hay trễ.');
    expect(html).toContain('enctype="multipart/form-data"');
  });

  it('is for admins only', async () => {
    const officer = await web.staff('officer', ['*']);
    expect((await web.call(officer, 'GET', '/console/data')).kind).toBe('forbidden');
    const post = await web.call(officer, 'POST', '/console/data/areas', { files: upload('a.json', areasFile()) });
    expect(post.kind).toBe('forbidden');
    expect(await web.runtime.db.areaDataset.count()).toBe(0);
  });
});

describe('importing an areas file', () => {
  it('lists a broken line with its line, field and problem, and changes nothing', async () => {
    const source = areasFile((json) => {
      json.units[2]!.code = json.units[0]!.code;
    });
    // The third unit's own code line (the first unit's formedFrom also holds 05443: find the unit-level one).
    const thirdUnit = source.indexOf('"name": "Tích Lương"');
    const expectedLine = lineOf(source, '"code": "05443"', source.lastIndexOf('{', thirdUnit));

    const result = await web.call(admin, 'POST', '/console/data/areas', { files: upload('xa-phuong.json', source) });
    expect(result).toMatchObject({ kind: 'page', status: 422 });
    const html = text(result);
    expect(html).toContain('Tệp xa-phuong.json không hợp lệ');
    expect(html).toContain(`<td>${expectedLine}</td>`);
    expect(html).toContain('<code>units.2.code</code>');
    expect(html).toContain('duplicate code 05443');
    expect(await web.runtime.db.areaDataset.count()).toBe(0);
    expect(html).toContain('Tệp có sẵn của bot');
  });

  it('reports a JSON syntax error with its line', async () => {
    const source = '{\n  "province": "Thái Nguyên",\n  "units": [\n    { "code": "1" ,, }\n  ]\n}\n';
    const result = await web.call(admin, 'POST', '/console/data/areas', { files: upload('bad.json', source) });
    expect(result).toMatchObject({ kind: 'page', status: 422 });
    expect(text(result)).toContain('<td>4</td>');
    expect(text(result)).toContain('not valid JSON');
    expect(await web.runtime.db.areaDataset.count()).toBe(0);
  });

  it('says so when no file was chosen or it is not UTF-8', async () => {
    const none = await web.call(admin, 'POST', '/console/data/areas');
    expect(text(none)).toContain('Hãy chọn một tệp để nhập.');
    const latin1 = await web.call(admin, 'POST', '/console/data/areas', {
      files: [
        { field: 'file', filename: 'x.json', contentType: 'application/json', bytes: Buffer.from([0x7b, 0xe9, 0x7d]) },
      ],
    });
    expect(text(latin1)).toContain('không phải văn bản UTF-8');
  });

  it('makes a valid file the dataset in force, saying who imported it and that a restart is needed', async () => {
    const result = await web.call(admin, 'POST', '/console/data/areas', {
      files: upload('xa-phuong-2026.json', areasFile()),
    });
    expect(result).toMatchObject({ kind: 'redirect', to: '/console/data', flash: { tone: 'ok' } });
    const flash = result.kind === 'redirect' ? result.flash!.text : '';
    expect(flash).toContain('Thái Nguyên, 3 xã, phường');
    expect(flash).toContain('sau khi khởi động lại');

    const inForce = await web.deps.admin.areaData.inForce();
    expect(inForce.directory.size).toBe(3);
    const html = text(await web.call(admin, 'GET', '/console/data'));
    expect(html).toContain('Bộ dữ liệu số 1 (tệp xa-phuong-2026.json)');
    expect(html).toContain('Trần Quản Trị');
    const audit = await web.runtime.db.auditLog.findMany({ where: { action: 'web.areas.imported' } });
    expect(audit).toMatchObject([{ actor: admin.id, subject: 'areaDataset:1' }]);
  });
});

describe('importing a loan programme file', () => {
  const shipped = readFileSync(DEFAULT_PROGRAMMES_FILE, 'utf8');

  it('lists a broken line and keeps the data in force', async () => {
    const broken = shipped.replace(/"publishedOn": "[^"]*"/, '"publishedOn": 20261127');
    const expectedLine = lineOf(broken, '"publishedOn"');
    const result = await web.call(admin, 'POST', '/console/data/programmes', { files: upload('vay.json', broken) });
    expect(result).toMatchObject({ kind: 'page', status: 422 });
    const html = text(result);
    expect(html).toContain('Tệp vay.json không hợp lệ');
    expect(html).toContain(`<td>${expectedLine}</td>`);
    expect(html).toContain('<code>publishedOn</code>');
    expect(await web.runtime.db.programmeDataset.count()).toBe(0);
  });

  it('makes a valid file the data in force', async () => {
    const next = shipped.replace(/"version": "[^"]*"/, '"version": "2026-12-07"');
    const result = await web.call(admin, 'POST', '/console/data/programmes', { files: upload('vay-2026.json', next) });
    expect(result).toMatchObject({ kind: 'redirect', flash: { tone: 'ok' } });
    const loaded = await web.deps.admin.programmeData.inForce();
    expect(loaded).toMatchObject({
      version: '2026-12-07',
      dataset: { id: 1, source: 'vay-2026.json', importedBy: admin.id },
    });
    const html = text(await web.call(admin, 'GET', '/console/data'));
    expect(html).toContain('Bộ dữ liệu số 1 (tệp vay-2026.json)');
    expect(html).toContain('2026-12-07');
  });
});

describe('failed jobs', () => {
  it('lists a failed job with its tries, error and time, and retries a one-off job', async () => {
    const now = web.clock.now();
    const job = await web.runtime.db.job.create({
      data: {
        kind: 'courses.reminder',
        payload: {},
        status: 'failed',
        runAt: now,
        attempts: 5,
        maxAttempts: 5,
        lastError: 'Error: connect ECONNREFUSED 10.0.0.1:443',
        finishedAt: now,
      },
    });
    await web.runtime.db.job.create({
      data: {
        kind: 'cases.digest',
        schedule: 'daily 07:00',
        payload: {},
        status: 'failed',
        runAt: now,
        attempts: 3,
        maxAttempts: 3,
        lastError: 'boom',
        finishedAt: now,
      },
    });
    const html = text(await web.call(admin, 'GET', '/console/data'));
    expect(html).toContain('courses.reminder');
    expect(html).toContain('5/5');
    expect(html).toContain('ECONNREFUSED');
    expect(html).toContain('Lỗi: 2; trễ: 0');
    expect(html).toContain(`/console/data/jobs/${job.id}/retry`);
    expect(html).toContain('Việc định kỳ: tự chạy lại theo lịch');

    const retried = await web.call(admin, 'POST', `/console/data/jobs/${job.id}/retry`);
    expect(retried).toMatchObject({ kind: 'redirect', flash: { tone: 'ok' } });
    expect(await web.runtime.db.job.findUnique({ where: { id: job.id } })).toMatchObject({
      status: 'queued',
      attempts: 0,
    });
    const again = await web.call(admin, 'POST', `/console/data/jobs/${job.id}/retry`);
    expect(again).toMatchObject({ kind: 'redirect', flash: { tone: 'error' } });
    expect(await web.runtime.db.auditLog.count({ where: { action: 'web.job.retried' } })).toBe(1);
  });
});

describe('splitProblem', () => {
  it('splits the validators problem lines into line, column, field and text', () => {
    expect(splitProblem('line 141, column 15: units.12.code: duplicate code 05443')).toEqual({
      line: '141',
      column: '15',
      field: 'units.12.code',
      problem: 'duplicate code 05443',
    });
    expect(splitProblem('... and 3 more problems')).toEqual({
      line: '',
      column: '',
      field: '',
      problem: '... and 3 more problems',
    });
  });
});
