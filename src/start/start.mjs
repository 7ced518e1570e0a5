// `npm start`: runs the bot from the start-up bundle (src/start/bundle.mjs), rebuilt first when a file under src/ is
// newer than it; when it cannot be built (esbuild missing), runs src/main.ts through tsx as before. The command-line
// arguments are main.ts's own (`npm start -- --console --as officer`).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE, ENTRY, buildBundle, bundleIsFresh } from './bundle.mjs';

let entry = BUNDLE;
if (!bundleIsFresh()) {
  try {
    await buildBundle();
  } catch (error) {
    const { register } = await import('tsx/esm/api');
    register();
    entry = ENTRY;
    process.stderr.write(
      `start: running ${path.relative(process.cwd(), ENTRY)} through tsx (bundle not built: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})\n`,
    );
  }
}
await import(pathToFileURL(entry).href);
