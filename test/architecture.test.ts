// The layer rules are checked by dependency-cruiser in `npm run lint`; here, that a breach really fails it: a tiny
// tree with a domain → conversation import, cruised with the project's own configuration.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cruise(files: Record<string, string>): Promise<{ code: number; out: string }> {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  copyFileSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  copyFileSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  const bin = path.join(root, 'node_modules', '.bin', 'depcruise');
  try {
    const { stdout } = await run(bin, ['src', '--config', '.dependency-cruiser.cjs'], { cwd: dir });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? 1, out: e.stdout ?? '' };
  }
}

describe('layer rules', () => {
  it('a domain module importing the conversation layer fails the lint', async () => {
    const result = await cruise({
      'src/conversation/flow.ts': 'export type Text = { key: string };\n',
      'src/domain/member.ts': "import type { Text } from '../conversation/flow.ts';\nexport type Name = Text;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('domain-not-to-conversation');
  }, 60_000);

  it('the conversation layer may import the domain', async () => {
    rmSync(path.join(dir, 'src'), { recursive: true, force: true });
    const result = await cruise({
      'src/domain/channels.ts': "export type ChannelName = 'console';\n",
      'src/conversation/messages.ts':
        "import type { ChannelName } from '../domain/channels.ts';\nexport type C = ChannelName;\n",
    });
    expect(result.out).not.toContain('domain-not-to-conversation');
    expect(result.code).toBe(0);
  }, 60_000);
});
