// Where the web console's and the catalogue's assets (stylesheets, scripts, icons) are read from.
import path from 'node:path';

/**
 * src/web/assets, found from this file (src/web) or from the start-up bundle (dist/bot, where every module shares
 * the bundle's import.meta): both are two levels below the project folder, as the locales are found in
 * src/i18n/i18n.ts. Import this constant rather than resolving a path from a deeper file (src/web/catalogue would
 * point outside the project from the bundle).
 */
export const ASSETS_DIR = path.resolve(import.meta.dirname, '../../src/web/assets');
