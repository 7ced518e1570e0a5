// The public catalogue's pages (issue 16, "Public catalogue"): approved products for anyone, no sign-in, on a cheap
// phone on 3G. Mounted beside the JSON catalogue (src/http/catalogue.ts) whenever the HTTP server runs.
import type { HttpPlugin } from '../../http/server.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Translate } from '../../conversation/flow.ts';
import type { Language } from '../../domain/member.ts';
import type { ProductService } from '../../features/products/contract.ts';

export interface CataloguePagesOptions {
  products: Pick<ProductService, 'published' | 'publicPhoto'>;
  areas: AreaDirectory;
  /** Texts in the reader's language (vi by default, ?lang=en). */
  translator: (language: Language) => Translate;
  /** PUBLIC_BASE_URL (absolute share links); undefined: root-relative. */
  publicBaseUrl: string | undefined;
  /** CATALOGUE_MAX_AGE_SECONDS. */
  maxAgeSeconds: number;
}

/** The catalogue's HTML pages (/catalogue, /catalogue/products/:id) and their assets. */
export function createCataloguePages(_options: CataloguePagesOptions): HttpPlugin {
  return async () => undefined;
}
