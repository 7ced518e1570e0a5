// The "which commune or ward?" answer, shared by every flow that asks it (profile now; credit and courses later).
// Accepts the current name or a former one, with or without diacritics, and confirms a former name's new unit.
import type { FlowContext, InputSpec, Json, ParseResult, Text } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { AreaCandidate, AreaDirectory, AreaUnit, FormerUnit } from '../../domain/areas.ts';
import { fold } from '../../domain/text.ts';

/** "Phường Phan Đình Phùng" / "Phan Đình Phùng ward". */
export function unitLabel(unit: AreaUnit, t: FlowContext['t']): string {
  return t('areas:unit', { name: unit.name, type: t(`areas:types.${typeKey(unit.type)}`) });
}

function typeKey(type: string): string {
  const key = fold(type).replace(/\s+/g, '');
  return ['xa', 'phuong', 'thitran'].includes(key) ? key : 'other';
}

/** "Tân Thịnh cũ (Thành phố Thái Nguyên)" / "former Tân Thịnh (Thành phố Thái Nguyên)". */
function formerLabel(via: FormerUnit, t: FlowContext['t']): string {
  return via.formerDistrict
    ? t('areas:formerName', { name: via.name, district: via.formerDistrict })
    : t('areas:formerNameNoDistrict', { name: via.name });
}

/** A line of the "which one?" list: the unit, or the former unit and where it went. */
function candidateLabel(c: AreaCandidate, t: FlowContext['t']): Text {
  const unit = unitLabel(c.unit, t);
  if (!c.via) return { raw: unit };
  return text(c.via.whole === false ? 'areas:viaFormerPart' : 'areas:viaFormer', {
    former: formerLabel(c.via, t),
    unit,
  });
}

/** "Did you mean …?" for the one name close to what she typed (a typo, the start of a name). */
function didYouMean(c: AreaCandidate, t: FlowContext['t']): Text {
  const unit = unitLabel(c.unit, t);
  if (!c.via) return text('areas:didYouMean', { unit });
  const key = c.via.whole === false ? 'areas:didYouMeanFormerPart' : 'areas:didYouMeanFormer';
  return text(key, { former: formerLabel(c.via, t), unit });
}

/**
 * The commune or ward answer: a current or former name, with or without accents, often with the former district
 * (see AreaDirectory.match). One unit named by its current name is taken; one former unit, or one name close to what
 * she typed, is a yes/no question; a list to pick from only when there are several (worded for names that are the
 * same, or only close).
 */
export function areaInput(areas: AreaDirectory): InputSpec {
  return {
    kind: 'custom',
    parse: (input: string, ctx: FlowContext): ParseResult => {
      const match = areas.match(input);
      switch (match.kind) {
        case 'exact':
          return { ok: true, value: match.unit.code };
        case 'former': {
          const { unit, via } = match.candidate;
          return {
            ok: 'confirm',
            value: unit.code,
            question: text(via.whole === false ? 'areas:formerConfirmPart' : 'areas:formerConfirm', {
              former: via.name,
              unit: unitLabel(unit, ctx.t),
            }),
          };
        }
        case 'ambiguous': {
          const [only] = match.candidates;
          if (match.candidates.length === 1 && only) {
            return { ok: 'confirm', value: only.unit.code, question: didYouMean(only, ctx.t) };
          }
          return {
            ok: 'pick',
            question: text(match.approximate ? 'areas:pickNear' : 'areas:pick', { count: match.candidates.length }),
            options: match.candidates.map((c) => ({ value: c.unit.code, label: candidateLabel(c, ctx.t) })),
          };
        }
        case 'none':
          return match.district
            ? { ok: false, error: text('areas:districtOnly', { ...match.district }) }
            : { ok: false, error: text('areas:unknown', { input: echo(input), province: areas.province }) };
      }
    },
    display: (value: Json, ctx: FlowContext): Text => {
      const unit = areas.byCodeOrNull(typeof value === 'string' ? value : null);
      return unit ? { raw: unitLabel(unit, ctx.t) } : text('common:summary.skipped');
    },
  };
}

/** What the member typed, shown back in an error: short enough to read on a small screen. */
function echo(input: string): string {
  const chars = [...input];
  return chars.length <= ECHO_MAX ? input : `${chars.slice(0, ECHO_MAX).join('')}…`;
}

const ECHO_MAX = 40;
