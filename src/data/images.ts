// Checking and cleaning a photo with sharp (libvips): the format is read from the content (magic bytes, never the
// name), only JPEG, PNG, WebP and HEIF/AVIF are accepted, and the image is fully decoded, turned upright (EXIF
// orientation baked in), scaled to at most MAX_DIMENSION px and re-encoded as JPEG. sharp writes no metadata unless
// asked to, so EXIF (GPS position, phone model, time), XMP and IPTC are gone from what is stored.
import sharp from 'sharp';
import { THUMBNAIL_MAX_SIDE, type ImageSanitizer, type Thumbnailer } from '../domain/files.ts';

/** Longest side of a stored photo: enough to read a document, far below a phone camera's 4000-8000 px. */
export const MAX_DIMENSION = 2048;
/** Refuses images whose header claims more pixels (a decompression bomb): 100 MP covers today's phone cameras. */
const MAX_INPUT_PIXELS = 100_000_000;
const ACCEPTED_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'heif']);

export function createImageSanitizer(options: { maxDimension?: number } = {}): ImageSanitizer {
  const maxDimension = options.maxDimension ?? MAX_DIMENSION;
  const open = (input: Uint8Array) => sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
  return {
    async sanitize(input) {
      let format: string;
      try {
        format = (await open(input).metadata()).format;
      } catch {
        return { ok: false, reason: 'notImage' };
      }
      if (!ACCEPTED_FORMATS.has(format)) return { ok: false, reason: 'notImage' };
      try {
        const { data, info } = await open(input)
          .rotate()
          .resize({ width: maxDimension, height: maxDimension, fit: 'inside', withoutEnlargement: true })
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 85, mozjpeg: true })
          .toBuffer({ resolveWithObject: true });
        return {
          ok: true,
          image: {
            bytes: new Uint8Array(data),
            mime: 'image/jpeg',
            extension: 'jpg',
            width: info.width,
            height: info.height,
          },
        };
      } catch {
        // The header was an image's but the pixels cannot be decoded: a truncated file, or HEIC (HEVC) photos,
        // which the prebuilt libvips cannot read (patents): those members are asked for a JPEG.
        return { ok: false, reason: format === 'heif' ? 'unsupportedFormat' : 'notImage' };
      }
    },
  };
}

/**
 * Thumbnails with sharp: the cleaned image scaled to fit THUMBNAIL_MAX_SIDE (never enlarged), re-encoded as JPEG;
 * sharp writes no metadata unless asked, so no EXIF (GPS, camera) can reach a thumbnail even from an uncleaned input.
 */
export function createThumbnailer(options: { maxSide?: number } = {}): Thumbnailer {
  const side = options.maxSide ?? THUMBNAIL_MAX_SIDE;
  return {
    async thumbnail(cleaned) {
      const { data, info } = await sharp(cleaned, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 80, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      return {
        bytes: new Uint8Array(data),
        mime: 'image/jpeg',
        extension: 'jpg',
        width: info.width,
        height: info.height,
      };
    },
  };
}
