// A buyer's enquiry in the web console's Cases inbox: listed for the officers of the seller's commune (not the
// buyer's), with its type and her question; its page shows the product and the question.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { text, webHarness, type WebHarness } from './context.ts';

const DAN_TIEN = '05755';
const PHAN_DINH_PHUNG = '05443';

let db: FreshDatabase;
let web: WebHarness;
beforeEach(async () => {
  db = await freshDatabase();
  web = webHarness(db.prisma);
});
afterEach(() => db.close());

describe("a buyer's enquiry in the Cases inbox", () => {
  it('reaches the officers of the seller’s commune, with the product and her question', async () => {
    const local = await web.staff('officer', [DAN_TIEN], 'Cán bộ Dân Tiến');
    const far = await web.staff('officer', [PHAN_DINH_PHUNG], 'Cán bộ PĐP');
    const created = await web.runtime.members.create({ channel: 'telegram', channelUserId: 'buyer', language: 'vi' });
    const buyer = await web.runtime.members.update(created.id, { communeCode: PHAN_DINH_PHUNG });
    const { case: c } = await web.runtime.features.caseService.open(
      buyer,
      'buyer_enquiry',
      { listingId: '12', product: 'Mật ong rừng', question: 'Còn 10 chai không ạ?' },
      { communeCode: DAN_TIEN },
    );

    const inbox = text(await web.call(local, 'GET', '/console/cases'));
    expect(inbox).toContain(`href="/console/cases/${c.id}"`);
    expect(inbox).toContain('Người mua hỏi sản phẩm');
    const elsewhere = text(await web.call(far, 'GET', '/console/cases'));
    expect(elsewhere).not.toContain(`href="/console/cases/${c.id}"`);

    const page = text(await web.call(local, 'GET', `/console/cases/${c.id}`));
    expect(page).toContain('Sản phẩm');
    expect(page).toContain('Mật ong rừng');
    expect(page).toContain('Câu hỏi của người mua');
    expect(page).toContain('Còn 10 chai không ạ?');
  });
});
