// Token pairs of channel accounts (Zalo OA), as the channels see them. Stored by src/data/credentialStore.ts.

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date | null;
}

export interface StoredTokenPair extends TokenPair {
  /** Compare-and-swap version: a swap succeeds only against the version it read. */
  version: number;
}

export interface CredentialStore {
  load(id: string): Promise<StoredTokenPair | null>;
  /**
   * Stores `next` if the stored version is still `expectedVersion` (0 = no row yet) and returns the new version, or
   * null when another process stored a pair first (reload and use theirs: the old refresh token is spent).
   */
  swap(id: string, next: TokenPair, expectedVersion: number): Promise<number | null>;
}

/** The row that holds a Zalo Official Account's token pair (one per Zalo app). */
export function zaloOaCredentialId(appId: string): string {
  return `zalo-oa:${appId}`;
}
