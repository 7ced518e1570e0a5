// A second bot process for the seat tests (test/data/courseSeats.process.test.ts): builds the real runtime on the
// database at argv[2], says "ready", waits for "go" on stdin, then registers the members whose ids are in argv[4]
// (comma-separated) for course argv[3] all at once, as the chat does (register; when full, join the waiting list; each
// in its own unit of work), and prints one JSON line: the kinds it got and the errors (none expected).
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/data/database.ts';
import { realRuntime, TestClock } from './chat.ts';

const [url = '', courseIdText = '', idsText = ''] = process.argv.slice(2);
const db = await openDatabase(url);
const rt = realRuntime(db.prisma, new TestClock());
const { service } = rt.features.courses;
const members = [];
for (const id of idsText.split(',')) {
  const member = await rt.members.findById(id);
  if (!member) throw new Error(`no member ${id}`);
  members.push(member);
}
const support = { kind: 'group', group: 'other', vnd: 2_000_000 } as const;
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
const settled = await Promise.allSettled(
  members.map((member) =>
    rt.transactor.run(async () => {
      const first = await service.register(member, Number(courseIdText), support);
      return first.kind === 'full' ? service.joinWaitingList(member, Number(courseIdText), support) : first;
    }),
  ),
);
const kinds = settled.map((s) => (s.status === 'fulfilled' ? s.value.kind : 'error'));
const errors = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
process.stdout.write(`${JSON.stringify({ kinds, errors })}\n`);
await db.close();
process.exit(0);
