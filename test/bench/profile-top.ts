// Prints the functions with the most self time in a V8 CPU profile (.cpuprofile, as written by
// `node --cpu-prof`; BENCH_PROFILE=1 npm run bench writes one for the measured bot and prints its path):
//   npx tsx test/bench/profile-top.ts <file.cpuprofile> [how many, default 30]
// Self time of a function = the time of the samples taken while it was on top of the stack, summed over every place it
// appears in the call tree (same name, file and line). Also sums self time per file (node_modules packages by name).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: tsx test/bench/profile-top.ts <file.cpuprofile> [how many]');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const src = /\/((?:src|test)\/.*)$/.exec(url);
  return src ? src[1]! : url.replace(/^file:\/\//, '') || '(native)';
}

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame;
  if (frame === undefined) continue;
  const name = `${frame.functionName || '(anonymous)'}  ${where(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const f = where(frame.url);
  byFile.set(f, (byFile.get(f) ?? 0) + us);
}

function print(title: string, rows: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [name, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${(us / 1000).toFixed(1).padStart(9)} ms  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}

console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled (${profile.samples.length} samples)`);
print(`Top ${top} functions by self time`, byFunction);
print(`Top ${top} files/packages by self time`, byFile);
