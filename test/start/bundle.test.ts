// The start-up bundle's freshness rule (src/start/bundle.mjs): `npm start` must never run code that is not the
// sources' current code — an edit, a new or removed file, or a file put back with an older time (mv, cp -p, tar).
import { mkdir, mkdtemp, rm, utimes, writeFile, rename, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the start script (no types)
import { bundleIsFresh, sourcesStamp } from '../../src/start/bundle.mjs';

const fresh = bundleIsFresh as (root: string) => boolean;
const stampOf = sourcesStamp as (root: string) => string;

let root: string;
/** Builds a pretend bundle in `root`: the bundle file and the stamp of the sources as they are now. */
async function built(): Promise<void> {
  await mkdir(path.join(root, 'dist', 'bot'), { recursive: true });
  await writeFile(path.join(root, 'dist', 'bot', 'main.mjs'), '// bundle');
  await writeFile(path.join(root, 'dist', 'bot', 'sources.json'), stampOf(root));
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hoi-vien-bundle-'));
  await mkdir(path.join(root, 'src', 'app'), { recursive: true });
  await writeFile(path.join(root, 'src', 'main.ts'), 'export {};\n');
  await writeFile(path.join(root, 'src', 'app', 'bot.ts'), 'export const a = 1;\n');
  await writeFile(path.join(root, 'tsconfig.json'), '{}\n');
  await built();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the start-up bundle is fresh only for the sources it was built from', () => {
  it('is fresh right after a build, and not without a bundle or a stamp', async () => {
    expect(fresh(root)).toBe(true);
    await unlink(path.join(root, 'dist', 'bot', 'sources.json'));
    expect(fresh(root)).toBe(false);
  });

  it('an edited source makes it stale', async () => {
    await writeFile(path.join(root, 'src', 'app', 'bot.ts'), 'export const a = 2;\n');
    expect(fresh(root)).toBe(false);
  });

  it('a source put back with an older time (mv, cp -p) makes it stale', async () => {
    const file = path.join(root, 'src', 'app', 'bot.ts');
    await writeFile(`${file}.bak`, 'export const a = 1;\n');
    const old = new Date('2026-01-01T00:00:00Z');
    await utimes(`${file}.bak`, old, old);
    await rename(`${file}.bak`, file);
    expect(fresh(root)).toBe(false);
  });

  it('a new or removed source, or a changed tsconfig.json, makes it stale', async () => {
    await writeFile(path.join(root, 'src', 'app', 'new.ts'), 'export {};\n');
    expect(fresh(root)).toBe(false);
    await unlink(path.join(root, 'src', 'app', 'new.ts'));
    expect(fresh(root)).toBe(true);
    await unlink(path.join(root, 'src', 'app', 'bot.ts'));
    expect(fresh(root)).toBe(false);
    await built();
    await writeFile(path.join(root, 'tsconfig.json'), '{ "compilerOptions": {} }\n');
    expect(fresh(root)).toBe(false);
  });
});
