// The FileStore on a local folder (default data/files): one file per key, `<root>/<memberId>/<fileId>.jpg`. Writes
// go to a temporary file renamed into place, so a reader never sees half a file; files are readable by the bot's
// user only. An S3-compatible store can replace this with the same four calls.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '../domain/files.ts';

/** Keys are relative paths of plain names: no "..", no absolute paths, nothing a shell or a URL would read oddly. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const TEMP_SUFFIX = '.tmp';

export function createLocalFileStore(root: string): FileStore {
  const base = path.resolve(root);

  function pathOf(key: string): string {
    const segments = key.split('/');
    if (segments.length === 0 || !segments.every((s) => SEGMENT.test(s) && s !== '..' && !s.endsWith(TEMP_SUFFIX))) {
      throw new Error('invalid file key');
    }
    return path.join(base, ...segments);
  }

  async function walk(dir: string, prefix: string): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const keys: string[] = [];
    for (const entry of entries) {
      const key = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) keys.push(...(await walk(path.join(dir, entry.name), key)));
      else if (entry.isFile() && !entry.name.endsWith(TEMP_SUFFIX)) keys.push(key);
    }
    return keys;
  }

  return {
    async put(key, bytes) {
      const file = pathOf(key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temp = `${file}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
      try {
        await writeFile(temp, bytes, { mode: 0o600 });
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      const file = pathOf(key);
      await rm(file, { force: true });
      // An emptied member folder goes too (it is named after her id); a folder still in use stays.
      if (path.dirname(file) !== base) await rmdir(path.dirname(file)).catch(() => undefined);
    },

    async list(prefix) {
      // Walk only the folder the prefix names ("<memberId>/" → that member's folder), then filter.
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      if (folder !== '') pathOf(folder);
      const keys = await walk(folder === '' ? base : path.join(base, ...folder.split('/')), folder);
      return keys.filter((key) => key.startsWith(prefix)).sort();
    },
  };
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
