// `npm run admin -- listings export|list`: listings submitted and reviewed through the bot's ProductService, exported
// by the admin CLI on the same database and FILES_DIR as the stores will get them (CSV for Excel, JSON).
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAdminArgs, runAdmin } from '../../src/cli/admin.ts';
import { parseCsv } from '../../src/domain/csv.ts';
import { createAuditLog } from '../../src/data/auditLog.ts';
import type { Member } from '../../src/domain/member.ts';
import { createRuntime, type Runtime } from '../../src/wiring.ts';
import { AREAS_FILE, HOUR, silentLogger, TestClock, UNLIMITED_RATES } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { approved, provinceOfficer, registerListingPhotos, seller, submitted } from '../helpers/listings.ts';
import { tempFilesDir } from '../helpers/photos.ts';

const FORMULA = "=cmd|' /C calc'!A0";

let db: FreshDatabase;
let rt: Runtime;
let filesDir: string;
const clock = new TestClock();
const ids = { honey: 0, tea: 0, pending: 0 };
let lan: Member;

async function admin(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdmin(argv, {
    prisma: db.prisma,
    areasFile: AREAS_FILE,
    clock,
    filesDir,
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

beforeAll(async () => {
  db = await freshDatabase();
  filesDir = tempFilesDir();
  rt = createRuntime({
    prisma: db.prisma,
    logger: silentLogger,
    areasFile: AREAS_FILE,
    defaultLanguage: 'vi',
    conversationTimeoutMs: 24 * HOUR,
    clock,
    files: { dir: filesDir },
    outbox: { rates: UNLIMITED_RATES },
  });
  await registerListingPhotos(rt);
  const officer = await provinceOfficer(rt, clock.now());
  lan = await seller(rt, clock.now(), { name: 'Nguyễn Thị Lan', phone: '+84912345678' });
  const mai = await seller(rt, clock.now(), { name: 'Trần Thị Mai', phone: '+84987654321', communeCode: '05467' });
  ids.honey = await approved(rt, lan, officer, { name: FORMULA, description: 'Mật ong, "ngon", sạch\nthơm' }, [
    'gps',
    'b',
  ]);
  clock.advance(HOUR);
  ids.tea = await approved(rt, mai, officer, {
    name: 'Trà xanh',
    productGroup: 'beverages',
    communeCode: '05467',
    phone: '+84987654321',
    publishName: false,
    publishCommune: false,
    publishPhone: false,
  });
  ids.pending = await submitted(rt, lan, { name: 'Miến dong' });
});

afterAll(async () => {
  await db.close();
});

describe('admin listings export', () => {
  it('writes CSV for Excel: BOM, one row per published listing, formula-safe cells, photo paths in FILES_DIR', async () => {
    const result = await admin('listings', 'export');
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out.startsWith('\uFEFFMã sản phẩm,Trạng thái,Đang công khai,Còn hàng,Tên sản phẩm,')).toBe(true);
    expect(result.out.endsWith('\r\n')).toBe(true);
    const parsed = parseCsv(result.out);
    if (!parsed.ok) throw new Error(parsed.problem);
    const [header, ...rows] = parsed.records.map((r) => r.cells);
    const column = (name: string) => header!.indexOf(name);
    // Approved and published only (not the pending one), oldest first.
    expect(rows.map((r) => r[0])).toEqual([String(ids.honey), String(ids.tea)]);
    const honey = rows[0]!;
    // Excel would run "=cmd|…" as a formula: the leading ' keeps it text.
    expect(honey[column('Tên sản phẩm')]).toBe(`'${FORMULA}`);
    expect(honey[column('Mô tả / câu chuyện sản phẩm')]).toBe('Mật ong, "ngon", sạch\nthơm');
    expect(honey[column('Nhóm sản phẩm OCOP')]).toBe('Thực phẩm');
    expect(honey[column('Giá (đồng)')]).toBe('250000');
    expect(honey[column('Người bán (nếu đồng ý công khai)')]).toBe('Nguyễn Thị Lan');
    expect(honey[column('Xã/phường (hoặc tỉnh)')]).toBe('Phường Phan Đình Phùng');
    expect(honey[column('Số điện thoại (nếu đồng ý công khai)')]).toBe(`'+84912345678`);
    expect(honey[column('Ngày duyệt')]).toBe('2026-03-02 15:00:00 +07:00');
    const photos = honey[column('Ảnh (đường dẫn)')]!.split(' | ');
    const thumbs = honey[column('Ảnh thu nhỏ (đường dẫn)')]!.split(' | ');
    expect(photos).toHaveLength(2);
    expect(thumbs).toHaveLength(2);
    for (const file of [...photos, ...thumbs]) {
      expect(path.isAbsolute(file)).toBe(true);
      expect(file.startsWith(path.resolve(filesDir) + path.sep)).toBe(true);
      expect(existsSync(file)).toBe(true);
    }
    // The stored photo she sent with a GPS position, and its thumbnail, carry no EXIF.
    for (const file of [photos[0]!, thumbs[0]!]) expect((await sharp(file).metadata()).exif).toBeUndefined();
    // Mai consented to publish none of her name, commune or phone: the province only.
    const tea = rows[1]!;
    expect(tea[column('Người bán (nếu đồng ý công khai)')]).toBe('');
    expect(tea[column('Số điện thoại (nếu đồng ý công khai)')]).toBe('');
    expect(tea[column('Mã xã/phường')]).toBe('');
    expect(tea[column('Xã/phường (hoặc tỉnh)')]).toBe('Thái Nguyên');
    expect(result.out).not.toContain('Trần Thị Mai');
    expect(result.out).not.toContain('987654321');
    // Never the hamlet; her (opaque) member id only as the folder of her files, never in a column of its own.
    expect(result.out).not.toContain('Xóm Bãi Bông');
    const pathColumns = [column('Ảnh (đường dẫn)'), column('Ảnh thu nhỏ (đường dẫn)')];
    expect(honey.filter((_, i) => !pathColumns.includes(i)).join(',')).not.toContain(lan.id);
    expect(await createAuditLog(db.prisma).list()).toContainEqual(
      expect.objectContaining({
        actor: 'cli',
        action: 'listings.exported',
        details: { count: 2, status: 'approved', format: 'csv' },
      }),
    );
  });

  it('writes JSON with --format json to --out (owner-only file), every status with --status all, headers in --lang', async () => {
    const out = path.join(filesDir, 'listings.json');
    const result = await admin('listings', 'export', '--format', 'json', '--status', 'all', '--out', out);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain(`Wrote 3 listing(s) to ${out}`);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const listings = JSON.parse(await readFile(out, 'utf8')) as {
      id: number;
      status: string;
      published: boolean;
      name: string;
      seller: { name: string | null };
      photos: { file: string; thumbnail: string }[];
    }[];
    expect(listings.map((l) => [l.id, l.status, l.published])).toEqual([
      [ids.honey, 'approved', true],
      [ids.tea, 'approved', true],
      [ids.pending, 'pending', false],
    ]);
    expect(listings[0]!.name).toBe(FORMULA); // JSON is not for Excel: as she typed it
    expect(listings[0]!.photos).toHaveLength(2);
    expect(existsSync(listings[0]!.photos[0]!.thumbnail)).toBe(true);
    expect(listings[1]!.seller.name).toBeNull();

    const english = await admin('listings', 'export', '--lang', 'en', '--status', 'pending');
    expect(english.out.startsWith('\uFEFFProduct id,Status,Published,Available,Product name,')).toBe(true);
    expect(english.out).toContain('Pending review');
    expect(english.out).toContain('Miến dong');
  });

  it('leaves out a listing whose owner withdrew her publishing consent (and its contact details everywhere)', async () => {
    await rt.features.consent.decide((await rt.members.findById(lan.id))!, 'productPublishing', false, clock.now());
    try {
      const published = await admin('listings', 'export', '--format', 'json');
      expect((JSON.parse(published.out) as { id: number }[]).map((l) => l.id)).toEqual([ids.tea]);
      const all = await admin('listings', 'export', '--status', 'approved');
      expect(all.out).not.toContain('Nguyễn Thị Lan');
      const everything = JSON.parse((await admin('listings', 'export', '--format', 'json', '--status', 'all')).out) as {
        id: number;
        published: boolean;
        seller: { name: string | null; phone: string | null };
      }[];
      expect(everything.find((l) => l.id === ids.honey)).toMatchObject({
        published: false,
        seller: { name: null, phone: null },
      });
    } finally {
      await rt.features.consent.decide((await rt.members.findById(lan.id))!, 'productPublishing', true, clock.now());
    }
  });

  it('lists listings and shows one for operators, and refuses bad input with exit status 2', async () => {
    const list = await admin('listings', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toContain('Chờ duyệt');
    expect(list.out).toContain('Miến dong');
    const show = await admin('listings', 'show', String(ids.honey));
    expect(show.code).toBe(0);
    expect(show.out).toContain(`Tên sản phẩm:`);
    expect(show.out).toContain(FORMULA); // printed as she typed it (no spreadsheet here)
    expect(show.out).toContain('Phường Phan Đình Phùng');
    expect(show.out).not.toContain('Xóm Bãi Bông');
    const tea = await admin('listings', 'show', String(ids.tea), '--lang', 'en');
    expect(tea.out).toMatch(/Seller \(if consented\):\s*\n/);
    expect(await admin('listings', 'show', '999')).toMatchObject({
      code: 2,
      err: 'No listing #999 (see: npm run admin -- listings list)\n',
    });
    for (const argv of [
      ['listings', 'show'],
      ['listings', 'show', 'abc'],
      ['listings', 'export', '--status', 'sold'],
      ['listings', 'export', '--format', 'xlsx'],
      ['listings', 'export', '--out', ''],
      ['listings', 'publish'],
    ]) {
      expect(parseAdminArgs(argv).ok, argv.join(' ')).toBe(false);
      expect((await admin(...argv)).code).toBe(2);
    }
    expect(parseAdminArgs(['listings', 'export'])).toEqual({
      ok: true,
      command: { name: 'listings export', status: 'approved', format: 'csv', out: undefined, language: undefined },
    });
  });
});
