// The photo stage of the gateway: runs before the engine sees a member's message. A photo is downloaded only when
// the member has consented (the basic consent and the "photos" purpose) and her current step asks for a photo; it is
// checked by its content and size, cleaned of its metadata (phones put the GPS position of her home in every photo)
// and stored, and the flow then gets the project's own file ids. Anything refused becomes a clear, localized reason and the same question again.
import { createHash, randomBytes } from 'node:crypto';
import type { ChannelName, InboundContent, MediaSource } from '../../conversation/messages.ts';
import { loggableError, type Logger } from '../../conversation/ports.ts';
import {
  fileKey,
  type CleanImage,
  type FileLimits,
  type FileStore,
  type ImageSanitizer,
  type StoredFileRepository,
} from '../../domain/files.ts';
import type { Member } from '../../domain/member.ts';

export interface PhotoIntakeDeps {
  /** The channel's way to fetch what a member sent (registered by each running channel; see MediaRegistry). */
  media: (channel: ChannelName) => MediaSource | undefined;
  images: ImageSanitizer;
  store: FileStore;
  files: StoredFileRepository;
  limits: Pick<FileLimits, 'maxBytes' | 'perMemberMax'>;
  logger: Logger;
  /**
   * Whether she gave the "photos" consent purpose (features/consent: ConsentService.stateOf). Without it nothing is
   * downloaded or stored. Default: the basic consent only (member.consentAt), for a gateway built without purposes.
   */
  photosAllowed?: (member: Member) => Promise<boolean>;
  /** New unguessable file ids (default: 128 random bits, base64url). */
  newId?: () => string;
}

export interface PhotoIntake {
  /**
   * Turns a photo message into stored photos (or a refusal) when `photoStep` says her question asks for photos;
   * returns any other content, and photos nobody asked for, unchanged (nothing is downloaded). Throws only when
   * storing fails (the member then gets the gateway's apology; nothing half-stored is left).
   */
  prepare(
    member: Member,
    content: InboundContent,
    photoStep: () => Promise<{ max: number; total?: number; have?: number } | null>,
  ): Promise<InboundContent>;
}

const refused = (reason: string, vars?: Record<string, unknown>): InboundContent =>
  vars
    ? { kind: 'refused', reason: `files:errors.${reason}`, vars }
    : { kind: 'refused', reason: `files:errors.${reason}` };

export function createPhotoIntake(deps: PhotoIntakeDeps): PhotoIntake {
  const newId = deps.newId ?? (() => randomBytes(16).toString('base64url'));
  const { maxBytes, perMemberMax } = deps.limits;

  /** Downloads and cleans every photo first, so a bad one refuses the whole message and nothing is kept. */
  async function fetchAll(
    channel: ChannelName,
    refs: readonly string[],
  ): Promise<{ ok: true; images: CleanImage[] } | { ok: false; content: InboundContent }> {
    const source = deps.media(channel);
    if (!source) {
      deps.logger.error({ channel }, 'no media source for this channel: photos cannot be fetched');
      return { ok: false, content: refused('download') };
    }
    const images: CleanImage[] = [];
    for (const ref of refs) {
      let bytes: Uint8Array | 'tooLarge';
      try {
        bytes = await source.download(ref, maxBytes);
      } catch (error) {
        // The ref is not logged: a URL may identify the member.
        deps.logger.warn({ channel, err: loggableError(error) }, 'photo download failed');
        return { ok: false, content: refused('download') };
      }
      if (bytes === 'tooLarge' || bytes.length > maxBytes) {
        return { ok: false, content: refused('tooLarge', { mb: megabytes(maxBytes) }) };
      }
      const clean = await deps.images.sanitize(bytes);
      if (!clean.ok) return { ok: false, content: refused(clean.reason) };
      images.push(clean.image);
    }
    return { ok: true, images };
  }

  /** Stores every image (record first, then bytes: a crash leaves a record the purge removes, never stray bytes). */
  async function storeAll(memberId: string, images: readonly CleanImage[]): Promise<string[]> {
    const stored: { id: string; key: string }[] = [];
    try {
      for (const image of images) {
        const id = newId();
        const key = fileKey(memberId, id, image.extension);
        await deps.files.create({
          id,
          memberId,
          key,
          sha256: createHash('sha256').update(image.bytes).digest('hex'),
          mime: image.mime,
          bytes: image.bytes.length,
          width: image.width,
          height: image.height,
        });
        stored.push({ id, key });
        await deps.store.put(key, image.bytes, image.mime);
      }
    } catch (error) {
      for (const file of stored) {
        await deps.store.delete(file.key).catch(() => undefined);
        await deps.files.delete(file.id).catch(() => undefined);
      }
      throw error;
    }
    return stored.map((f) => f.id);
  }

  return {
    async prepare(member, content, photoStep) {
      // Only this stage produces stored photos and refusals: a channel cannot hand over file ids of its own.
      if (content.kind === 'storedPhotos' || content.kind === 'refused')
        return { kind: 'unsupported', what: content.kind };
      if (content.kind !== 'photo') return content;
      const step = await photoStep();
      if (step === null) return content; // not asked for: the engine says so, and nothing is downloaded
      if (member.consentAt === null) return refused('noConsent');
      if (deps.photosAllowed && !(await deps.photosAllowed(member))) return refused('noPhotosConsent');
      if (content.refs.length === 0) return refused('download');
      if (content.refs.length > step.max) {
        // Full (5/5): she is told she has them all and to tap "Xong", not to send "0 more".
        if (step.total !== undefined && step.have && step.max === 0) {
          return refused('full', { count: step.total });
        }
        return step.total !== undefined && step.have
          ? refused('tooManyMore', { count: step.total, have: step.have, left: step.max })
          : refused('tooMany', { count: step.max });
      }
      const kept = await deps.files.countByMember(member.id);
      if (kept + content.refs.length > perMemberMax) return refused('memberLimit', { count: perMemberMax });

      const fetched = await fetchAll(member.channel, content.refs);
      if (!fetched.ok) return fetched.content;
      const fileIds = await storeAll(member.id, fetched.images);
      deps.logger.info({ channel: member.channel, files: fileIds.length }, 'photos stored');
      return content.caption === undefined
        ? { kind: 'storedPhotos', fileIds }
        : { kind: 'storedPhotos', fileIds, caption: content.caption };
    },
  };
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

/** The media sources of the running channels: each channel registers its own (how it fetches what members send). */
export class MediaRegistry {
  private readonly byChannel = new Map<ChannelName, MediaSource>();

  register(channel: ChannelName, source: MediaSource): void {
    this.byChannel.set(channel, source);
  }

  get(channel: ChannelName): MediaSource | undefined {
    return this.byChannel.get(channel);
  }
}
