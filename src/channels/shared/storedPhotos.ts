// Outbound photos the project stored ("stored:<StoredFile id>", see conversation/flow.ts PhotoSaid): telling them from
// a platform's own photo refs, and reading their bytes through the StoredPhotos port. Shared by the channels.
import { STORED_PHOTO_REF } from '../../conversation/flow.ts';
import type { StoredPhotos } from '../../conversation/messages.ts';

/** The StoredFile id of a "stored:<id>" ref, or null for any other ref (a URL, a platform file id, a local path). */
export function storedPhotoId(ref: string): string | null {
  if (!ref.startsWith(STORED_PHOTO_REF)) return null;
  const id = ref.slice(STORED_PHOTO_REF.length);
  return id === '' ? null : id;
}

/**
 * The bytes of a stored photo, or null when there is none to send: no port given, the file gone, or the read failed
 * (a missing photo is never worth a retry: the caller sends the caption alone).
 */
export async function readStoredPhoto(
  photos: StoredPhotos | undefined,
  fileId: string,
): Promise<{ bytes: Uint8Array; mime: string } | null> {
  if (photos === undefined) return null;
  try {
    return await photos.read(fileId);
  } catch {
    return null;
  }
}

/** A file name for an upload, from its MIME type (platforms want one; the content decides nothing here). */
export function uploadName(mime: string): string {
  return mime === 'image/png' ? 'photo.png' : mime === 'image/webp' ? 'photo.webp' : 'photo.jpg';
}
