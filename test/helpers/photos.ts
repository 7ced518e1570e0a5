// Photos for tests: real JPEGs (made with sharp, optionally carrying EXIF with a GPS position as a phone writes it),
// a throw-away files folder, and a media source that serves any ref as a photo.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { MediaSource } from '../../src/conversation/messages.ts';

/** A new empty folder for stored files (one per runtime; under the system's temporary folder). */
export function tempFilesDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'hoi-vien-files-'));
}

/** Thái Nguyên city centre, as a phone's EXIF GPS block (degrees, minutes, seconds as rationals). */
export const GPS_EXIF = {
  IFD0: { Make: 'PhoneMaker', Model: 'Phone X1' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '21/1 35/1 3600/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '105/1 50/1 2400/100',
  },
};

/** A real JPEG of the given size and colour; with `gps`, it carries the EXIF above (GPS position, phone model). */
export async function jpeg(options: { width?: number; height?: number; colour?: string; gps?: boolean } = {}) {
  const image = sharp({
    create: {
      width: options.width ?? 64,
      height: options.height ?? 48,
      channels: 3,
      background: options.colour ?? '#c0392b',
    },
  }).jpeg();
  return new Uint8Array(await (options.gps ? image.withExif(GPS_EXIF) : image).toBuffer());
}

/** A media source that serves each ref from `files`, and any other ref as a small JPEG. */
export function fakeMedia(files: Map<string, Uint8Array> = new Map()): MediaSource & { downloads: string[] } {
  const downloads: string[] = [];
  return {
    downloads,
    async download(ref, maxBytes) {
      downloads.push(ref);
      const bytes = files.get(ref) ?? (await jpeg());
      return bytes.length > maxBytes ? 'tooLarge' : bytes;
    },
  };
}
