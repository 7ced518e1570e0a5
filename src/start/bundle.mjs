// The start-up bundle: src/main.ts and everything it imports from src (the generated Prisma clients included) in one
// ES module, dist/bot/main.mjs, packages left as imports of node_modules. Node then loads one file instead of
// transpiling ~300 TypeScript files through tsx at every start (about two thirds of the start-up's CPU before).
// `npm ci` builds it (postinstall); `npm start` (src/start/start.mjs) rebuilds it first when a source changed, so an
// edited source never runs stale: the bundle is fresh only when every file under src/ (and tsconfig.json, package.json)
// has the time and size it had when the bundle was built (dist/bot/sources.json). `node src/start/bundle.mjs` builds it
// by hand.
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ENTRY = path.join(ROOT, 'src', 'main.ts');
/**
 * Two folders deep like src/<folder>/<file>.ts, so the sources' paths relative to their module
 * (import.meta.dirname + '../../locales', '../../prisma/...') name the same files from the bundle.
 */
export const BUNDLE = path.join(ROOT, 'dist', 'bot', 'main.mjs');

/** What the bundle is built from, beside src/: a change to either changes what esbuild produces. */
const INPUTS = ['tsconfig.json', 'package.json'];
/** The list of the bundle's sources as they were when it was built (see sourcesStamp). */
export const STAMP = path.join(ROOT, 'dist', 'bot', 'sources.json');

/** Every file under `dir`, recursively, as [path relative to ROOT, mtime ms, size bytes], appended to `into`. */
function listFiles(dir, into, root) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return into;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, into, root);
    else {
      const stat = statSync(full);
      into.push([path.relative(root, full), stat.mtimeMs, stat.size]);
    }
  }
  return into;
}

/**
 * The sources' stamp: every file under src/ and each of INPUTS with its modification time and size, as one JSON
 * string. Any difference — a file edited, added, removed, or put back with an older time (mv, cp -p, git checkout of
 * an older version, tar) — changes it; comparing stamps costs a stat per file (~30 ms for ~320 files).
 */
export function sourcesStamp(root = ROOT) {
  const files = listFiles(path.join(root, 'src'), [], root);
  for (const input of INPUTS) {
    try {
      const stat = statSync(path.join(root, input));
      files.push([input, stat.mtimeMs, stat.size]);
    } catch {
      // absent: not part of the stamp
    }
  }
  files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(files);
}

/** True when the bundle exists and was built from exactly the sources there are now (same stamp); `root`: tests. */
export function bundleIsFresh(root = ROOT) {
  try {
    statSync(path.join(root, path.relative(ROOT, BUNDLE)));
    return readFileSync(path.join(root, path.relative(ROOT, STAMP)), 'utf8') === sourcesStamp(root);
  } catch {
    return false;
  }
}

/**
 * Builds the bundle with esbuild (the same transpiler tsx uses, so the code runs as under tsx): written beside it
 * and renamed into place, so a process starting at the same moment never loads half a file. Throws on a build error.
 */
export async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  const scratch = `${BUNDLE}.${process.pid}.tmp`;
  // Taken before building: a source saved during the build makes the next start build again.
  const stamp = sourcesStamp();
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
  writeFileSync(`${STAMP}.${process.pid}.tmp`, stamp);
  renameSync(`${STAMP}.${process.pid}.tmp`, STAMP);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBundle();
}
