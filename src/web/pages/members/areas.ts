// Communes and wards as an admin types them in the Members section (an officer's areas, an invitation, the search):
// codes or current names, several separated by commas, "*" for the whole province. The same rules as the admin CLI's
// `--area` (src/cli/admin/officers.ts resolveAreas), with the problems in the console's language.
import type { Translate } from '../../../conversation/flow.ts';
import type { AreaDirectory, AreaUnit } from '../../../domain/areas.ts';
import { WHOLE_PROVINCE } from '../../../domain/officers.ts';
import { fold } from '../../../domain/text.ts';
import { describeAreas } from '../../../features/admin/flows.ts';
import { unitLabel } from '../../../features/profile/areaInput.ts';

/** "Phường Phan Đình Phùng (05443)". */
function labelled(unit: AreaUnit, t: Translate): string {
  return `${unitLabel(unit, t)} (${unit.code})`;
}

/** The tokens of a typed list of areas: split at commas, semicolons and new lines, blanks dropped. */
export function areaTokens(input: string): string[] {
  return input
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Codes for typed areas, or every problem at once (localized sentences, one per token). A current name wins over a
 * former one of the same spelling, as in the CLI; a former name or an ambiguous one asks for the code.
 */
export function resolveAreaInput(
  input: string,
  directory: AreaDirectory,
  t: Translate,
): { ok: true; codes: string[] } | { ok: false; problems: string[] } {
  const tokens = areaTokens(input);
  if (tokens.length === 0) return { ok: false, problems: [t('webMembers:areas.none')] };
  const codes: string[] = [];
  const problems: string[] = [];
  for (const token of tokens) {
    if (token === WHOLE_PROVINCE) {
      codes.push(WHOLE_PROVINCE);
      continue;
    }
    const byCode = directory.byCodeOrNull(token);
    if (byCode !== null) {
      codes.push(byCode.code);
      continue;
    }
    if (/^\d+$/.test(token)) {
      problems.push(t('webMembers:areas.unknownCode', { token }));
      continue;
    }
    const match = directory.match(token);
    if (match.kind === 'exact') {
      codes.push(match.unit.code);
      continue;
    }
    if (match.kind === 'former') {
      problems.push(t('webMembers:areas.former', { token, unit: labelled(match.candidate.unit, t) }));
      continue;
    }
    if (match.kind === 'ambiguous') {
      const needle = fold(token);
      const current = match.candidates.filter(
        (c) => c.via === undefined && [c.unit.name, `${c.unit.type} ${c.unit.name}`].some((n) => fold(n) === needle),
      );
      if (current.length === 1) {
        codes.push(current[0]!.unit.code);
        continue;
      }
      const listed = match.candidates.map((c) => labelled(c.unit, t)).join('; ');
      problems.push(t('webMembers:areas.ambiguous', { token, units: listed }));
      continue;
    }
    problems.push(t('webMembers:areas.notFound', { token, province: directory.province }));
  }
  if (codes.includes(WHOLE_PROVINCE) && codes.some((c) => c !== WHOLE_PROVINCE)) {
    problems.push(t('webMembers:areas.wholeAndCommunes'));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, codes: [...new Set(codes)] };
}

/** Areas as an admin reads them: "Toàn tỉnh", or the communes' names; "—" for none. */
export function areasText(areas: readonly string[], directory: AreaDirectory, t: Translate): string {
  return areas.length === 0 ? t('webMembers:areas.noneAssigned') : describeAreas(areas, directory, t);
}

/** Areas as the form's text field holds them (codes: exact, and what the resolver reads back). */
export function areasInputValue(areas: readonly string[]): string {
  return areas.join(', ');
}
