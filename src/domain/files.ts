// Files the project stores for members (the photos they send at a step that asks for one), as the core sees them:
// plain records and three ports. The bytes live in a FileStore (a folder by default; S3-shaped so an object store can
// replace it), what they are and whose in the StoredFileRepository (the database), and an ImageSanitizer checks and
// cleans an image before anything is kept.

/** A stored file's record. `id` is what answers and records keep; the bytes are in the FileStore under `key`. */
export interface StoredFile {
  id: string;
  memberId: string;
  key: string;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
  mime: string;
  /** Size of the stored bytes. */
  bytes: number;
  width: number;
  height: number;
  /** The record that keeps it ("case:12"), or null: then purged FILES_ORPHAN_DAYS after `createdAt`. */
  keptBy: string | null;
  createdAt: Date;
}

/**
 * Where the bytes are: a key → bytes store, narrow enough for an S3-compatible bucket (PutObject, GetObject,
 * DeleteObject, ListObjectsV2 with a prefix). Keys are `<memberId>/<fileId>.<ext>`, so a member's files share a prefix.
 */
export interface FileStore {
  /** Writes the bytes under `key` (replacing any), completely or not at all. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes, or null when there is no such key. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the key; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix` (e.g. "<memberId>/"). */
  list(prefix: string): Promise<string[]>;
}

/** What a member's stored files amount to, for "my data": no contents, only how many and when. */
export interface FilesSummary {
  count: number;
  bytes: number;
  first: Date | null;
  last: Date | null;
}

/** The records of stored files (the database). */
export interface StoredFileRepository {
  create(file: Omit<StoredFile, 'createdAt' | 'keptBy'>): Promise<StoredFile>;
  findById(id: string): Promise<StoredFile | null>;
  listByMember(memberId: string): Promise<StoredFile[]>;
  countByMember(memberId: string): Promise<number>;
  summaryOf(memberId: string): Promise<FilesSummary>;
  /**
   * Marks files as kept by a record ("case:12", "listing:7"), so the purge leaves them: a feature calls it when it
   * stores an answer that refers to them. Only the member's own files are marked; returns how many.
   */
  keep(memberId: string, fileIds: readonly string[], keptBy: string): Promise<number>;
  /** Files no record keeps, stored before `before`, oldest first, at most `limit`. */
  listUnkept(before: Date, limit: number): Promise<StoredFile[]>;
  delete(id: string): Promise<void>;
}

/** An image, cleaned: decoded, turned upright, scaled down if needed and re-encoded without any metadata. */
export interface CleanImage {
  bytes: Uint8Array;
  mime: string;
  /** File extension for the key, without the dot. */
  extension: string;
  width: number;
  height: number;
}

export type SanitizeResult =
  | { ok: true; image: CleanImage }
  /** Not an image the bot reads (a PDF or a text renamed .jpg, an SVG, a broken file), judged by its content. */
  | { ok: false; reason: 'notImage' }
  /** An image in a format this server cannot decode (an iPhone HEIC: HEVC is not in the prebuilt codecs). */
  | { ok: false; reason: 'unsupportedFormat' };

/** Checks a file's content (magic bytes, then a full decode) and re-encodes it without EXIF/XMP/IPTC. */
export interface ImageSanitizer {
  sanitize(input: Uint8Array): Promise<SanitizeResult>;
}

/**
 * Makes the small picture a list shows (a listing's thumbnail): the bytes of an already-cleaned image (see
 * ImageSanitizer) → a JPEG whose longest side is at most THUMBNAIL_MAX_SIDE px, without any metadata. Throws when the
 * bytes are not an image it can decode (they were cleaned before, so that is a bug, not a member's mistake).
 */
export interface Thumbnailer {
  thumbnail(cleaned: Uint8Array): Promise<CleanImage>;
}

/** Longest side of a thumbnail, px: a catalogue card on a phone. */
export const THUMBNAIL_MAX_SIDE = 320;

/** The FileStore key of a stored file's thumbnail: beside it, `<memberId>/<fileId>.thumb.jpg`. */
export function thumbnailKey(memberId: string, fileId: string): string {
  return `${memberId}/${fileId}.thumb.jpg`;
}

/** Limits on what members may store (FILE_MAX_BYTES, FILES_PER_MEMBER_MAX, FILES_ORPHAN_DAYS). */
export interface FileLimits {
  /** Largest file accepted, as sent (before cleaning). */
  maxBytes: number;
  /** Most files one member may have stored at once. */
  perMemberMax: number;
  /** Files no record keeps are purged this many days after they were stored. */
  orphanDays: number;
}

/** The FileStore key of a member's file: her id as the prefix, so her files are listed and erased together. */
export function fileKey(memberId: string, fileId: string, extension: string): string {
  return `${memberId}/${fileId}.${extension}`;
}

/** The prefix of every key of a member's files. */
export function memberPrefix(memberId: string): string {
  return `${memberId}/`;
}
