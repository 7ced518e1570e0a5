// "Sản phẩm của tôi" (issue 13, point 3, the member's part): her listings with their status (chờ duyệt, cần sửa, đã
// duyệt, bị từ chối, đã rút, hết hàng), one listing's details with the officer's note where there is one, and what she
// can do by status: mark it sold out or available again, update the price or the quantity (an approved listing goes
// back for review only when a reviewed field changes: the service says so and she is told), edit the fields an officer
// named, withdraw it (confirmed by its name). Every list and page is read afresh when she comes back to it
// (Flow.reload), as the courses' "Lớp học của tôi" does.
import type { Answers, Flow, FlowContext, FlowOutcome, Json, Text } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import { displayStatus, type Listing } from '../../domain/listings.ts';
import { fold } from '../../domain/text.ts';
import { formatIsoDate } from '../../domain/time.ts';
import { unitLabel } from '../profile/areaInput.ts';
import type { ListingView, ProductService } from './contract.ts';
import {
  changesAnswers,
  editAnswers,
  formatVnd,
  PRODUCT_FORM_FLOW,
  readPriceAnswer,
  refusalSaid,
  SELF_EDITABLE,
} from './report.ts';

export const MY_PRODUCTS_FLOW = 'myProducts';
export const MY_PRODUCT_LIST_FLOW = 'myProductList';
export const MY_PRODUCT_FLOW = 'myProduct';
export const MY_PRODUCT_NEXT_FLOW = 'myProductNext';
export const MY_PRODUCT_PRICE_FLOW = 'myProductPrice';
export const MY_PRODUCT_QUANTITY_FLOW = 'myProductQuantity';
export const MY_PRODUCT_WITHDRAW_FLOW = 'myProductWithdraw';

/** A list that fits one screen: her most recent listings. */
const MAX_LISTED = 8;

export interface MineDeps {
  service: ProductService;
  areas: AreaDirectory;
}

const idOf = (answers: Answers): number => Number(answers['listingId']);

/**
 * Her listing's status as she reads it; an approved one while her productPublishing consent is withdrawn is not
 * published, and says so ("Đã duyệt — không còn được đăng vì chị đã rút đồng ý đăng sản phẩm").
 */
export function statusLabel(listing: Listing, consented: boolean, t: FlowContext['t']): string {
  const status = displayStatus(listing);
  if (!consented && (status === 'approved' || status === 'soldOut')) return t('products:status.unpublished');
  return t(`products:status.${status}`);
}

/** "Mật ong rừng · 120.000 đ/lọ · Đã duyệt". */
export function listingLine(listing: Listing, ctx: Pick<FlowContext, 't' | 'member'>, consented = true): string {
  return ctx.t('products:mine.line', {
    name: listing.name,
    price: `${formatVnd(listing.priceVnd, ctx.member.language)}/${listing.unit}`,
    status: statusLabel(listing, consented, ctx.t),
  });
}

/** A listing's page as she reads it: its fields, status and, where relevant, the officer's note. */
export function listingDetails(view: ListingView, ctx: FlowContext, areas: AreaDirectory, consented = true): string {
  const { listing, photos } = view;
  const t = ctx.t;
  const unit = areas.byCodeOrNull(listing.communeCode);
  const unpublished = !consented && listing.status === 'approved';
  const lines = [
    t('products:mine.detail.title', { name: listing.name, id: listing.id }),
    t('products:mine.detail.status', { status: statusLabel(listing, consented, t) }),
    ...(unpublished ? [t('products:mine.detail.unpublished')] : []),
    t('products:mine.detail.group', { group: t(`products:groups.${listing.productGroup}.label`) }),
    t('products:mine.detail.price', {
      price: formatVnd(listing.priceVnd, ctx.member.language),
      unit: listing.unit,
    }),
  ];
  if (listing.quantity) lines.push(t('products:mine.detail.quantity', { quantity: listing.quantity }));
  if (unit) lines.push(t('products:mine.detail.commune', { commune: unitLabel(unit, t) }));
  if (listing.ocopStars !== null && listing.ocopExpiresOn) {
    lines.push(
      t('products:mine.detail.ocop', {
        count: listing.ocopStars,
        date: formatIsoDate(listing.ocopExpiresOn, ctx.member.language),
      }),
    );
  }
  lines.push(t('products:mine.detail.photos', { count: photos.length }));
  if (listing.status === 'changes' && listing.reviewNote) {
    lines.push(
      t('products:mine.detail.changes', {
        note: listing.reviewNote,
        fields: listing.changeFields.map((f) => t(`products:fields.${f}`)).join(', '),
      }),
    );
  }
  if (listing.status === 'rejected' && listing.reviewNote) {
    lines.push(t('products:mine.detail.rejected', { note: listing.reviewNote }));
  }
  return lines.join('\n');
}

/** Whether her answer at the quantity says it is sold out ("hết rồi", "het hang", "sold out"; not "sắp hết"). */
function saysSoldOut(input: string, t: FlowContext['t']): boolean {
  const typed = ` ${fold(input).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const said = (key: string) =>
    t(key)
      .split('|')
      .some((w) => typed.includes(` ${fold(w).trim()} `));
  // "sắp hết rồi" (almost gone) is a quantity.
  return said('products:mine.soldOutWords') && !said('products:mine.soldOutUnlessWords');
}

export function createMineFlows(deps: MineDeps): Flow[] {
  const { service } = deps;
  const itemsOf = (answers: Answers): { id: number; label: string }[] => {
    const items = answers['items'];
    if (!Array.isArray(items)) return [];
    return items.flatMap((item) =>
      item && typeof item === 'object' && !Array.isArray(item) && typeof item['id'] === 'number'
        ? [{ id: item['id'], label: answerText(item['label']) }]
        : [],
    );
  };
  const page = (listingId: number, say: Text[] = []): FlowOutcome => ({
    say,
    next: { to: 'flow', flowId: MY_PRODUCT_FLOW, answers: { listingId } },
  });

  const myProducts: Flow = {
    id: MY_PRODUCTS_FLOW,
    access: 'consented',
    steps: [],
    finish: async (ctx) => {
      const mine = await service.mine(ctx.member);
      if (mine.length === 0) return { say: [text('products:mine.none')], next: { to: 'home' } };
      const consented = await service.publishingConsent(ctx.member.id);
      const items: Json = mine
        .slice(0, MAX_LISTED)
        .map(({ listing }) => ({ id: listing.id, label: listingLine(listing, ctx, consented) }));
      return { say: [], next: { to: 'flow', flowId: MY_PRODUCT_LIST_FLOW, answers: { items } } };
    },
  };

  const list: Flow = {
    id: MY_PRODUCT_LIST_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'pick',
        prompt: text('products:mine.title'),
        input: {
          kind: 'choice',
          options: ({ answers }) => [
            ...itemsOf(answers).map((item) => ({ value: String(item.id), label: { raw: item.label } })),
            { value: 'menu', label: text('products:mine.menu') },
          ],
        },
      },
    ],
    // Statuses change (an officer decided, she withdrew one): the list is read again when she comes back to it.
    reload: () => ({ to: 'flow', flowId: MY_PRODUCTS_FLOW }),
    finish: async ({ answers }) =>
      answers['pick'] === 'menu' ? { say: [], next: { to: 'home' } } : page(Number(answers['pick'])),
  };

  const one: Flow = {
    id: MY_PRODUCT_FLOW,
    access: 'consented',
    steps: [],
    finish: async (ctx) => {
      const found = await service.mineOne(ctx.member, idOf(ctx.answers));
      if (!found.ok)
        return { say: [refusalSaid(found.refusal, ctx.t)], next: { to: 'flow', flowId: MY_PRODUCTS_FLOW } };
      const { listing } = found;
      return {
        say: [{ raw: listingDetails(found, ctx, deps.areas, await service.publishingConsent(ctx.member.id)) }],
        next: {
          to: 'flow',
          flowId: MY_PRODUCT_NEXT_FLOW,
          answers: { listingId: listing.id, status: displayStatus(listing), name: listing.name },
        },
      };
    },
  };

  /** What she can do with a listing in this status (displayStatus). */
  const actionsFor = (status: string): string[] => {
    switch (status) {
      case 'approved':
        return ['soldOut', 'price', 'quantity', 'editAll', 'withdraw'];
      case 'soldOut':
        return ['available', 'price', 'quantity', 'editAll', 'withdraw'];
      case 'pending':
        return ['price', 'quantity', 'editAll', 'withdraw'];
      case 'changes':
        return ['edit', 'withdraw'];
      default:
        return [];
    }
  };

  const next: Flow = {
    id: MY_PRODUCT_NEXT_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'action',
        prompt: text('products:mine.whatNext'),
        input: {
          kind: 'choice',
          options: ({ answers }) => [
            ...actionsFor(answerText(answers['status'])).map((a) => ({
              value: a,
              label: text(`products:mine.actions.${a}`),
            })),
            { value: 'list', label: text('products:mine.actions.list') },
            { value: 'menu', label: text('products:mine.menu') },
          ],
        },
      },
    ],
    reload: (answers) => ({ to: 'flow', flowId: MY_PRODUCT_FLOW, answers: { listingId: idOf(answers) } }),
    finish: async ({ member, answers, t }) => {
      const listingId = idOf(answers);
      const name = answerText(answers['name']);
      switch (answers['action']) {
        case 'soldOut':
        case 'available': {
          const soldOut = answers['action'] === 'soldOut';
          const result = await service.setSoldOut(member, listingId, soldOut);
          if (!result.ok) return page(listingId, [refusalSaid(result.refusal, t)]);
          return page(listingId, [text(soldOut ? 'products:mine.markedSoldOut' : 'products:mine.markedAvailable')]);
        }
        case 'price':
          return { say: [], next: { to: 'flow', flowId: MY_PRODUCT_PRICE_FLOW, answers: { listingId, name } } };
        case 'quantity':
          return { say: [], next: { to: 'flow', flowId: MY_PRODUCT_QUANTITY_FLOW, answers: { listingId, name } } };
        case 'withdraw':
          return { say: [], next: { to: 'flow', flowId: MY_PRODUCT_WITHDRAW_FLOW, answers: { listingId, name } } };
        case 'editAll': {
          const found = await service.mineOne(member, listingId);
          if (!found.ok) return page(listingId, [refusalSaid(found.refusal, t)]);
          if (!SELF_EDITABLE.includes(found.listing.status)) return page(listingId);
          return {
            say: [
              text(found.listing.status === 'pending' ? 'products:edit.ownIntroPending' : 'products:edit.ownIntro', {
                name: found.listing.name,
              }),
            ],
            next: { to: 'flow', flowId: PRODUCT_FORM_FLOW, answers: editAnswers(found.listing, found.photos) },
          };
        }
        case 'edit': {
          const found = await service.mineOne(member, listingId);
          if (!found.ok) return page(listingId, [refusalSaid(found.refusal, t)]);
          if (found.listing.status !== 'changes') return page(listingId);
          return {
            say: [text('products:edit.intro', { name: found.listing.name })],
            next: { to: 'flow', flowId: PRODUCT_FORM_FLOW, answers: changesAnswers(found.listing, found.photos) },
          };
        }
        case 'list':
          return { say: [], next: { to: 'flow', flowId: MY_PRODUCTS_FLOW } };
        default:
          return { say: [], next: { to: 'home' } };
      }
    },
  };

  /** A change of a field; the service says whether it went back for review. */
  const updated = async (
    ctx: FlowContext,
    patch: Parameters<ProductService['update']>[2],
    done: string,
  ): Promise<FlowOutcome> => {
    const listingId = idOf(ctx.answers);
    const result = await service.update(ctx.member, listingId, patch);
    if (!result.ok) return page(listingId, [refusalSaid(result.refusal, ctx.t)]);
    return page(listingId, [text(done), ...(result.backToReview ? [text('products:mine.backToReview')] : [])]);
  };

  const price: Flow = {
    id: MY_PRODUCT_PRICE_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'price',
        prompt: ({ answers }) => text('products:mine.askPrice', { name: answerText(answers['name']) }),
        help: text('products:report.priceHelp'),
        input: {
          kind: 'custom',
          parse: readPriceAnswer,
          display: (value, ctx) => ({
            raw:
              value && typeof value === 'object' && !Array.isArray(value) && typeof value['vnd'] === 'number'
                ? formatVnd(value['vnd'], ctx.member.language)
                : '',
          }),
        },
      },
    ],
    finish: async (ctx) => {
      const value = ctx.answers['price'];
      const read = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
      const vnd = Number(read['vnd']);
      const unit = typeof read['unit'] === 'string' ? read['unit'] : undefined;
      return updated(ctx, unit ? { priceVnd: vnd, unit } : { priceVnd: vnd }, 'products:mine.priceUpdated');
    },
  };

  const quantity: Flow = {
    id: MY_PRODUCT_QUANTITY_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'quantity',
        prompt: ({ answers }) => text('products:mine.askQuantity', { name: answerText(answers['name']) }),
        input: { kind: 'text', maxLength: 120 },
        optional: true,
        // Her words about her stock ("hết rồi", "còn 20 hũ"): the answer, never read as a request for another feature.
        message: true,
      },
    ],
    finish: async (ctx) => {
      const q = ctx.answers['quantity'];
      // "hết rồi" is no quantity: an approved listing is marked sold out (she is told, and can say it is back).
      if (typeof q === 'string' && saysSoldOut(q, ctx.t)) {
        const listingId = idOf(ctx.answers);
        const result = await service.setSoldOut(ctx.member, listingId, true);
        if (result.ok) return page(listingId, [text('products:mine.markedSoldOut')]);
        return page(listingId, [text('products:mine.soldOutNotNow')]);
      }
      return updated(ctx, { quantity: typeof q === 'string' ? q : null }, 'products:mine.quantityUpdated');
    },
  };

  const withdraw: Flow = {
    id: MY_PRODUCT_WITHDRAW_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'sure',
        prompt: ({ answers }) => text('products:mine.withdrawSure', { name: answerText(answers['name']) }),
        input: {
          kind: 'yesno',
          yesLabel: text('products:mine.withdrawYes'),
          noLabel: text('products:mine.withdrawNo'),
        },
      },
    ],
    finish: async ({ member, answers, t }) => {
      const listingId = idOf(answers);
      if (answers['sure'] !== 'yes') return page(listingId, [text('products:mine.withdrawKept')]);
      const result = await service.withdraw(member, listingId);
      if (!result.ok) return page(listingId, [refusalSaid(result.refusal, t)]);
      return page(listingId, [text('products:mine.withdrawn', { name: result.listing.name })]);
    },
  };

  return [myProducts, list, one, next, price, quantity, withdraw];
}
