// Platform ids (a Zalo user or message id, a Telegram media group id) become database keys: the handled mark, a
// stored Zalo OA event, a pending album part. One rule for every channel, so a payload no key can hold is refused as
// malformed (acknowledged, never stored) instead of failing the write: PostgreSQL refuses a NUL in text, and the
// webhook then answered 503 and the platform resent the event forever (issue 15's hostile-input suite).
import { z } from 'zod';

/** A platform id as text: 1 to 64 characters, none of them a control character (Unicode Cc). */
export const platformId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^\P{Cc}+$/u);
