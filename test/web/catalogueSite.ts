// The public catalogue as a visitor reaches it, for test/web/catalogue*.test.ts: the bot's real HTTP server with the
// JSON routes and the HTML pages, on a fresh SQLite database and the real runtime, with listings made the way members
// and officers make them (test/helpers/listings.ts): some approved, one sold out, one pending, one rejected, one
// withdrawn, and a seller who keeps her name, commune and phone private.
import type { Member } from '../../src/domain/member.ts';
import { catalogueRoutes } from '../../src/http/catalogue.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createCataloguePages, type CataloguePagesOptions } from '../../src/web/catalogue/index.ts';
import type { Runtime } from '../../src/wiring.ts';
import { HOUR, realRuntime, silentLogger, TestClock } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { approved, provinceOfficer, registerListingPhotos, seller, submitted } from '../helpers/listings.ts';

export const LAN_PHONE = '+84912345678';
export const MAI_PHONE = '+84987654321';

export interface CatalogueSite {
  /** "http://127.0.0.1:<port>". */
  base: string;
  rt: Runtime;
  clock: TestClock;
  officer: Member;
  lan: Member;
  mai: Member;
  ids: {
    honey: number;
    tea: number;
    rice: number;
    pending: number;
    rejected: number;
    withdrawn: number;
    extra: number[];
  };
  close(): Promise<void>;
}

/**
 * Starts the site. `extra` more approved listings from Lan (food, Phan Đình Phùng) make the list run over one page;
 * `pages` changes the pages' options (chat links, PUBLIC_BASE_URL).
 */
export async function catalogueSite(
  options: { extra?: number; pages?: Partial<CataloguePagesOptions> } = {},
): Promise<CatalogueSite> {
  const db: FreshDatabase = await freshDatabase();
  const clock = new TestClock();
  const rt = realRuntime(db.prisma, clock);
  await registerListingPhotos(rt);
  const officer = await provinceOfficer(rt, clock.now());
  const lan = await seller(rt, clock.now(), { name: 'Nguyễn Thị Lan', phone: LAN_PHONE, communeCode: '05443' });
  const mai = await seller(rt, clock.now(), { name: 'Trần Thị Mai', phone: MAI_PHONE, communeCode: '05467' });
  const next = () => clock.advance(HOUR);

  const extra: number[] = [];
  for (let i = 1; i <= (options.extra ?? 0); i++) {
    extra.push(await approved(rt, lan, officer, { name: `Bánh chưng gù số ${i}`, priceVnd: 50_000 + i * 1_000 }));
    next();
  }
  const honey = await approved(
    rt,
    lan,
    officer,
    {
      name: 'Mật ong rừng',
      description: 'Mật ong hoa rừng Võ Nhai, thu hoạch thủ công.\nĐóng chai tại nhà, không pha đường.',
    },
    ['a', 'b'],
  );
  next();
  // Mai consents to nothing but the listing itself: no name, no commune, no phone.
  const tea = await approved(rt, mai, officer, {
    name: 'Trà xanh Tân Cương',
    productGroup: 'beverages',
    communeCode: '05467',
    phone: MAI_PHONE,
    priceVnd: 1_250_000,
    unit: 'kg',
    ocopStars: 4,
    publishName: false,
    publishCommune: false,
    publishPhone: false,
  });
  next();
  const rice = await approved(rt, lan, officer, { name: 'Gạo nếp cái hoa vàng', ocopStars: null, ocopExpiresOn: null });
  next();
  if (!(await rt.products.setSoldOut(lan, rice, true)).ok) throw new Error('sold out refused');
  const pending = await submitted(rt, lan, { name: 'Miến dong chờ duyệt' });
  const rejected = await submitted(rt, lan, { name: 'Rượu ngô bị từ chối' });
  if (!(await rt.products.review(officer, rejected, { kind: 'reject', reason: 'Không thuộc OCOP' })).ok) {
    throw new Error('reject refused');
  }
  const withdrawn = await approved(rt, mai, officer, { name: 'Măng khô đã rút', communeCode: '05467' });
  if (!(await rt.products.withdraw(mai, withdrawn)).ok) throw new Error('withdraw refused');

  const server: HttpServer = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 64 * 1024,
    logger: silentLogger,
    routes: [],
    readRoutes: catalogueRoutes({
      products: rt.products,
      areas: rt.areas,
      t: rt.localisation.translator('vi'),
      publicBaseUrl: undefined,
      maxAgeSeconds: 30,
    }),
    plugins: [
      createCataloguePages({
        products: rt.products,
        areas: rt.areas,
        translator: rt.localisation.translator,
        publicBaseUrl: undefined,
        maxAgeSeconds: 30,
        ...options.pages,
      }),
    ],
    health: async () => ({ ok: true }),
  });
  const base = `http://127.0.0.1:${(await server.start()).port}`;
  return {
    base,
    rt,
    clock,
    officer,
    lan,
    mai,
    ids: { honey, tea, rice, pending, rejected, withdrawn, extra },
    async close() {
      await server.close();
      await db.close();
    },
  };
}
