// The channels' way to read a stored photo they are asked to send (StoredPhotos, conversation/messages.ts): the record
// gives the FileStore key and the type, the store the bytes. Null when either is gone (purged, erased with her data).
import type { StoredPhotos } from '../../conversation/messages.ts';
import type { FileStore, StoredFileRepository } from '../../domain/files.ts';

export function createStoredPhotos(deps: { store: FileStore; files: StoredFileRepository }): StoredPhotos {
  return {
    async read(fileId) {
      const record = await deps.files.findById(fileId);
      if (record === null) return null;
      const bytes = await deps.store.get(record.key);
      return bytes === null ? null : { bytes, mime: record.mime };
    },
  };
}
