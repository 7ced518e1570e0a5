// Free text leads to the right feature (issue 11), on the console: at the menu (a clear request starts its feature,
// two close ones are a choice, nothing close gets the nearest items and the officer), as a newcomer's first message
// (through language and consent, keeping only the intent and its values), and in the middle of a flow ("leave this
// step?", never for a name or a commune). Telegram: test/channels/telegram/understanding.e2e.test.ts.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/member.ts';
import type { Runtime } from '../../src/wiring.ts';
import { AREAS_FILE, Chat, realRuntime } from '../helpers/chat.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { INTENT_NAMESPACES } from '../domain/understanding/evaluate.ts';

let db: FreshDatabase;
let rt: Runtime;
let chat: Chat;

beforeEach(async () => {
  db = await freshDatabase();
  rt = realRuntime(db.prisma);
  chat = new Chat(rt.bot);
});
afterEach(() => db.close());

const member = () => db.prisma.member.findFirstOrThrow({ where: { channelUserId: chat.userId } });
const storedState = async () =>
  JSON.stringify(
    (await db.prisma.conversationState.findFirst({ where: { member: { channelUserId: chat.userId } } }))?.data,
  );

/** Through first contact and the whole profile, to the menu. */
async function registered(): Promise<void> {
  await chat.send('alo');
  await chat.tap('Tiếng Việt');
  await chat.tap('Đồng ý');
  await finishProfile();
  expect(chat.text()).toContain('Chị cần gì ạ?');
}

async function finishProfile(): Promise<void> {
  expect(chat.text()).toContain('Họ và tên của chị là gì?');
  await chat.send('Nguyễn Thị Lan');
  await chat.send('Dan Tien');
  await chat.send('0912345678');
  await chat.tap('Xác nhận');
}

/** The "Why": what members typed at the menu, and what each must open. */
const WHY: [typed: string, opens: string][] = [
  ['cho em hỏi vay vốn', 'Chị cần vay vốn để làm gì?'],
  ['em muon vay tien', 'Chị cần vay vốn để làm gì?'],
  // "làm ăn" names the purpose: it is filled in, to confirm.
  ['vay von lam an duoc ko', 'Mục đích: Sản xuất, kinh doanh — đúng không ạ?'],
  ['cho toi gap can bo', 'Chị muốn trao đổi với cán bộ Hội về việc gì?'],
  ['sửa tên của tôi', 'Họ và tên của chị là gì?'],
  ['doi so dien thoai', 'Số điện thoại di động mới của chị?'],
  ['xoa het du lieu cua em', 'Chị có chắc muốn xóa toàn bộ thông tin Hội đang lưu về chị'],
  ['switch to English', 'Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?'],
  ['tieng anh', 'Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?'],
];

describe('typed at the menu', () => {
  it('the labelled sets score the intents the features declare', () => {
    expect([...rt.features.understanding.classifier.intents].sort()).toEqual(Object.keys(INTENT_NAMESPACES).sort());
  });

  it('each request of the issue opens its feature; deleting only asks for confirmation', async () => {
    await registered();
    for (const [typed, opens] of WHY) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain(opens);
      expect(chat.text(), typed).not.toContain('chưa hiểu');
      await chat.command('menu');
      expect(chat.text()).toContain('Chị cần gì ạ?');
    }
    // "xoa het du lieu cua em" opened the question only: nothing was erased.
    expect(await member()).toMatchObject({ displayName: 'Nguyễn Thị Lan', phone: '+84912345678' });
  });

  it('passes on what she said: purpose and amount filled in, each to confirm', async () => {
    await registered();
    await chat.send('em can vay 30 trieu de nuoi lon');
    expect(chat.question().text).toBe('Mục đích: Sản xuất, kinh doanh — đúng không ạ?');
    await chat.tap('Có');
    expect(chat.text()).not.toContain('Chị cần vay vốn để làm gì?');
    // The rest of the pre-screen, answered "don't know", until the summary (the amount is confirmed on the way).
    let amountConfirmed = false;
    for (let i = 0; i < 15 && !chat.buttons().includes('Xác nhận'); i++) {
      if (chat.text().includes('30 triệu') && chat.text().includes('đúng không')) {
        amountConfirmed = true;
        await chat.tap('Có');
      } else if (chat.buttons().includes('Không biết')) await chat.tap('Không biết');
      else await chat.tap(chat.buttons()[0]!);
    }
    expect(amountConfirmed).toBe(true);
    expect(chat.text()).toContain('Sản xuất, kinh doanh');
    expect(chat.text()).toContain('30 triệu');
  });

  it('two close candidates: a short choice between them', async () => {
    await registered();
    await chat.send('hỏi cán bộ về vay vốn');
    expect(chat.text()).toContain('Chị muốn làm việc nào ạ?');
    expect(chat.buttons()).toEqual(['Kiểm tra khả năng vay vốn', 'Nói chuyện với cán bộ Hội']);
    await chat.tap('Nói chuyện với cán bộ Hội');
    expect(chat.text()).toContain('Chị muốn trao đổi với cán bộ Hội về việc gì?');
  });

  it('nothing close: the nearest items and "send this to a Union officer", which opens a case with her words', async () => {
    await registered();
    await chat.send('zxcv qwerty blah');
    expect(chat.text()).toContain('Em chưa chắc chị cần gì');
    expect(chat.text()).not.toContain('chưa hiểu');
    const buttons = chat.buttons();
    expect(buttons.at(-1)).toBe('Gửi câu này cho cán bộ Hội');
    expect(buttons.length).toBeGreaterThanOrEqual(3);
    await chat.tap('Gửi câu này cho cán bộ Hội');
    expect(chat.text()).toMatch(/yêu cầu #\d+/);
    const opened = await db.prisma.case.findFirstOrThrow({ where: { memberId: (await member()).id } });
    expect(opened.type).toBe('talk');
    expect(JSON.stringify(opened.details)).toContain('zxcv qwerty blah');
  });

  it('the quick credit answers still come first', async () => {
    await registered();
    await chat.send('lai suat ho ngheo bao nhieu');
    expect(chat.text()).toContain('Lãi suất');
    expect(chat.text()).not.toContain('Chị cần vay vốn để làm gì?');
  });
});

describe('the first message counts', () => {
  it('a newcomer asking for a loan goes through language and consent, then lands in the pre-screen', async () => {
    await chat.send('em can vay 30 trieu de nuoi lon');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    // Only the intent and the values read from it are kept, never her words.
    expect(await storedState()).not.toContain('nuoi lon');
    await chat.tap('Tiếng Việt');
    expect(await storedState()).not.toContain('nuoi lon');
    await chat.tap('Đồng ý');
    await finishProfile();
    expect(chat.text()).toContain('Đã lưu');
    expect(chat.question().text).toBe('Mục đích: Sản xuất, kinh doanh — đúng không ạ?');
  });

  it('a request typed at the language question waits through first contact too; it never skips consent', async () => {
    await chat.send('alo');
    await chat.send('em muon vay tien');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    await chat.send('qwerty zxcv');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    await chat.tap('Tiếng Việt');
    expect(chat.buttons()).toEqual(['Đồng ý', 'Không đồng ý']);
    await chat.tap('Đồng ý');
    await finishProfile();
    expect(chat.text()).toContain('Chị cần vay vốn để làm gì?');
  });

  it('declining consent drops the request: she is at the menu', async () => {
    await chat.send('cho toi gap can bo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Không đồng ý');
    expect(chat.text()).toContain('Chị cần gì ạ?');
    expect(chat.text()).not.toContain('Chị muốn trao đổi với cán bộ Hội về việc gì?');
    expect(await storedState()).not.toContain('talk');
  });

  it.each(['Chào em', 'cảm ơn em', 'ok'])(
    'small talk as the first message (%s) is not carried: after her profile she gets the menu, not a thank-you',
    async (first) => {
      await chat.send(first);
      await chat.tap('Tiếng Việt');
      await chat.tap('Đồng ý');
      await finishProfile();
      expect(chat.text()).toContain('Chị cần gì ạ?');
      expect(chat.text()).not.toContain('Dạ, chị cần gì thêm cứ nhắn em nhé.');
    },
  );

  it('a greeting as the first message is first contact as before', async () => {
    await chat.send('alo');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    await finishProfile();
    expect(chat.text()).toContain('Chị cần gì ạ?');
  });
});

describe('in the middle of a flow', () => {
  async function atNameStep(): Promise<void> {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    expect(chat.text()).toContain('Họ và tên của chị là gì?');
  }

  it('a request at the name step (a valid name by its letters) is asked about; "that is my answer" keeps it', async () => {
    await atNameStep();
    await chat.send('à mà em muốn hỏi vay vốn');
    expect(chat.buttons()).toEqual(['Chuyển sang: Kiểm tra khả năng vay vốn', 'Đó là câu trả lời của tôi']);
    await chat.tap('Đó là câu trả lời của tôi');
    expect(chat.text()).toContain('xã/phường');
    await chat.send('Dan Tien');
    await chat.send('0912345678');
    expect(chat.text()).toContain('à mà em muốn hỏi vay vốn');
  });

  it('leaving keeps what she entered: after the other feature she is back at the step, with her answers', async () => {
    await atNameStep();
    await chat.send('Nguyễn Thị Lan');
    expect(chat.text()).toContain('xã/phường');
    await chat.send('em muốn đổi ngôn ngữ sang tiếng anh');
    await chat.tap('Chuyển sang: Đổi ngôn ngữ / Language');
    expect(chat.question().text).toBe('Chị muốn dùng ngôn ngữ nào? / Which language do you prefer?');
    await chat.tap('Tiếng Việt');
    expect(chat.text()).toContain('Mình quay lại việc chị đang làm dở nhé.');
    expect(chat.text()).toContain('xã/phường');
    await chat.send('Dan Tien');
    await chat.send('0912345678');
    expect(chat.text()).toContain('Nguyễn Thị Lan');
    await chat.tap('Xác nhận');
    expect(await member()).toMatchObject({ displayName: 'Nguyễn Thị Lan', communeCode: expect.any(String) });
  });

  it('names are answers: never asked about', async () => {
    const names = [
      'Nguyễn Thị Lan',
      'Trần Thị Thu Hà',
      'Lê Thị Hồng Nhung',
      'Nguyễn Thị Vân Anh',
      'Hoàng Thị Tiến',
      'Đặng Thị Hỏi',
      'Vũ Thị Bình',
      'Phạm Thị Ngọc Hà',
      'Cán Thị Bộ',
      'Nguyen Thi Van Anh',
      'Dung',
      'Huy',
      'Hội viên Lan',
    ];
    const probe = { ...(await newcomer()), consentAt: new Date() };
    const ctx = { member: probe, answers: {}, t: (k: string) => k, now: new Date(), timeZone: 'Asia/Ho_Chi_Minh' };
    expect(names.filter((text) => rt.features.understanding.readAside(text, ctx) !== null)).toEqual([]);
  });

  it('commune names at the commune step are answers, even those that look like "change my commune"', async () => {
    const units = (JSON.parse(readFileSync(AREAS_FILE, 'utf8')) as { units: { name: string; type: string }[] }).units;
    const probe = { ...(await newcomer()), consentAt: new Date() };
    const ctx = { member: probe, answers: {}, t: (k: string) => k, now: new Date(), timeZone: 'Asia/Ho_Chi_Minh' };
    // The names the classifier alone would read as a request ("xã Phượng Tiến": "xã phường"): the step knows them.
    const lookAlikes = units
      .map((u) => `${u.type} ${u.name}`)
      .filter((text) => rt.features.understanding.readAside(text, ctx) !== null)
      .slice(0, 3);
    expect(lookAlikes.length).toBeGreaterThan(0);
    for (const commune of lookAlikes) {
      chat = new Chat(rt.bot);
      await atNameStep();
      await chat.send('Nguyễn Thị Lan');
      await chat.send(commune);
      expect(chat.buttons(), commune).not.toContain('Đó là câu trả lời của tôi');
      expect(chat.text(), commune).toContain('Số điện thoại');
    }
  });

  it('her words to an officer are never read as a request', async () => {
    await registered();
    await chat.send('cho toi gap can bo');
    await chat.send('em muốn hỏi vay vốn để nuôi lợn');
    expect(chat.text()).toMatch(/yêu cầu #\d+/);
  });
});

async function newcomer(): Promise<Member> {
  await chat.send('alo');
  return (await member()) as unknown as Member;
}

describe('what a member check found (each a kind of fault)', () => {
  it('a global command word typed at the menu is the command, never a feature ("huy" is not "cán bộ Hội")', async () => {
    await registered();
    for (const typed of ['hủy', 'huy', 'Huy', 'menu', 'quay lai']) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain('Chị cần gì ạ?');
      expect(chat.text(), typed).not.toContain('trao đổi với cán bộ Hội');
      expect(chat.text(), typed).not.toContain('Em chưa chắc');
    }
  });
});

describe('deleting everything needs words about her data, account or everything', () => {
  it('erasing one thing, a message or "no more messages" is never read as delete-all', async () => {
    await registered();
    const cases: [string, string | null][] = [
      ['em muốn xoá tên cũ đi', 'Họ và tên của chị là gì?'],
      ['em nhap sai ten xoa di', 'Họ và tên của chị là gì?'],
      ['xoa tin nhan vua gui', null],
      ['e ko muon nhan tin nua', null],
    ];
    for (const [typed, opens] of cases) {
      await chat.send(typed);
      if (opens) expect(chat.text(), typed).toContain(opens);
      expect(chat.text(), typed).not.toContain('Chị có chắc muốn xóa toàn bộ');
      expect(chat.text(), typed).not.toContain('Số điện thoại di động mới');
      await chat.command('menu');
    }
    expect(await member()).toMatchObject({ displayName: 'Nguyễn Thị Lan', phone: '+84912345678' });
  });

  it('no example phrase of another intent is read as delete-all', () => {
    const understanding = rt.features.understanding;
    const someone = { consentAt: new Date(), role: 'member' } as unknown as Member;
    for (const [intent, ns] of Object.entries(INTENT_NAMESPACES)) {
      if (intent === 'deleteData' || intent === 'none') continue;
      for (const lng of ['vi', 'en']) {
        const file = JSON.parse(readFileSync(`locales/${lng}/${ns}.json`, 'utf8')) as {
          intents: Record<string, { examples: string[] }>;
        };
        for (const example of file.intents[intent]?.examples ?? []) {
          const decided = understanding.decision(example, someone);
          const named = decided.kind === 'start' ? [decided.intent] : decided.kind === 'choose' ? decided.intents : [];
          expect(named, example).not.toContain('deleteData');
        }
      }
    }
  });
});

describe("an officer's own work in her words", () => {
  const QUEUE = ['các yêu cầu cần xử lý', 'yêu cầu cần xử lí', 'xem cac yeu cau', 'co yeu cau nao moi ko'];
  const MORE = ['danh sach yeu cau', 'co ai can ho tro ko'];

  it('reaches her queue ("Yêu cầu cần xử lý"), not the member\'s "Yêu cầu của tôi"', async () => {
    await registered();
    await db.prisma.member.update({ where: { id: (await member()).id }, data: { role: 'officer' } });
    for (const typed of [...QUEUE, ...MORE]) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain('Hiện không có yêu cầu nào chưa xong ở địa bàn của chị.');
      expect(chat.text(), typed).not.toContain('Chị chưa gửi yêu cầu nào');
    }
  });

  it('a member is never sent to an officer queue', async () => {
    await registered();
    for (const typed of QUEUE) {
      await chat.send(typed);
      expect(chat.text(), typed).not.toContain('địa bàn của chị');
      await chat.command('menu');
    }
  });
});

describe('withdrawing consent in her words', () => {
  it('opens "Quyền dùng dữ liệu" (a choice of purposes): nothing is withdrawn by the words alone', async () => {
    await registered();
    const before = await db.prisma.memberConsent.count();
    for (const typed of ['rut lai dong y', 'khong dong y nua', 'tôi muốn rút lại sự đồng ý']) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain('Chị muốn xem hoặc thay đổi việc nào?');
      await chat.command('menu');
    }
    expect(await db.prisma.memberConsent.count()).toBe(before);
    expect((await member()).consentAt).not.toBeNull();
  });
});

describe('thanks and closings', () => {
  it('get a short polite answer and the menu, never "em chưa chắc" nor My requests', async () => {
    await registered();
    for (const typed of ['cảm ơn', 'ok', 'thoi khong can nua']) {
      await chat.send(typed);
      expect(chat.text(), typed).toContain('Dạ, chị cần gì thêm cứ nhắn em nhé.');
      expect(chat.text(), typed).toContain('Chị cần gì ạ?');
      expect(chat.text(), typed).not.toContain('Em chưa chắc');
      expect(chat.text(), typed).not.toContain('Chị chưa gửi yêu cầu nào');
    }
  });

  it('"what have I sent" is My requests, not the profile', async () => {
    await registered();
    await chat.send('e muốn xem mk đã gửi j');
    expect(chat.text()).toContain('Chị chưa gửi yêu cầu nào');
    expect(chat.text()).not.toContain('Hồ sơ của chị');
  });
});

describe('what the bot says it does', () => {
  it('promises the courses (issue 12) and products (issue 13) now they exist', async () => {
    await chat.send('alo');
    const first = chat.text();
    await chat.tap('Tiếng Việt');
    await chat.tap('Đồng ý');
    await finishProfile();
    await chat.command('help');
    await chat.send('hướng dẫn');
    for (const said of [first, chat.text()]) {
      expect(said).toMatch(/gửi sản phẩm/);
      expect(said).toMatch(/học nghề ngắn hạn/);
    }
    for (const lng of ['vi', 'en']) {
      const common = readFileSync(`locales/${lng}/common.json`, 'utf8');
      expect(common, lng).toMatch(/gửi sản phẩm|products/);
    }
  });
});

describe('a new number typed with the request', () => {
  it('is carried to the phone step, to confirm, then stored', async () => {
    await registered();
    await chat.send('sđt mới của e là 0987654321');
    expect(chat.text()).toContain('Điện thoại: 0987 654 321 — đúng không ạ?');
    await chat.tap('Có');
    expect(chat.text()).toContain('Điện thoại: 0912 345 678 → 0987 654 321');
    await chat.tap('Lưu');
    expect((await member()).phone).toBe('+84987654321');
  });
});

describe('the fallback says only what it offers', () => {
  it('without consent (no officer option), it does not promise to send her words to an officer', async () => {
    await chat.send('alo');
    await chat.tap('Tiếng Việt');
    await chat.tap('Không đồng ý');
    await chat.send('em muon hoi chuyen con cai di hoc');
    expect(chat.text()).toContain('Em chưa chắc chị cần gì. Có phải một trong các việc này không?');
    expect(chat.text()).not.toContain('cán bộ Hội.');
    expect(chat.buttons()).not.toContain('Gửi câu này cho cán bộ Hội');
  });
});
