// The start-up bundle: src/main.ts and everything it imports from src (the generated Prisma clients included) in one
// ES module, dist/bot/main.mjs, packages left as imports of node_modules. Node then loads one file instead of
// transpiling ~300 TypeScript files through tsx at every start (about two thirds of the start-up's CPU before).
// `npm ci` builds it (postinstall); `npm start` (src/start/start.mjs) rebuilds it first when a file under src/ is newer,
// so an edited source never runs stale. `node src/start/bundle.mjs` builds it by hand.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ENTRY = path.join(ROOT, 'src', 'main.ts');
/**
 * Two folders deep like src/<folder>/<file>.ts, so the sources' paths relative to their module
 * (import.meta.dirname + '../../locales', '../../prisma/...') name the same files from the bundle.
 */
export const BUNDLE = path.join(ROOT, 'dist', 'bot', 'main.mjs');

/** The newest modification time (ms) of the files under `dir`, recursively; 0 for an empty or missing folder. */
function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** True when the bundle exists and is not older than any file under src/ (a few ms for ~400 files). */
export function bundleIsFresh() {
  let built;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  return built >= newestMtime(path.join(ROOT, 'src'));
}

/**
 * Builds the bundle with esbuild (the same transpiler tsx uses, so the code runs as under tsx): written beside it
 * and renamed into place, so a process starting at the same moment never loads half a file. Throws on a build error.
 */
export async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  const scratch = `${BUNDLE}.${process.pid}.tmp`;
  await build({
    entryPoints: [ENTRY],
    outfile: scratch,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    legalComments: 'none',
  });
  renameSync(scratch, BUNDLE);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBundle();
}
