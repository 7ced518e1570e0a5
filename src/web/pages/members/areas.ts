// Communes and wards as an admin types them in the Members section (an officer's areas, an invitation, the search):
// codes or current names, several separated by commas, "*" for the whole province. The same rules as the admin CLI's
// `--area` (src/cli/admin/officers.ts resolveAreas), with the problems in the console's language.
import type { Translate } from '../../../conversation/flow.ts';
import { resolveAreaTokens, type AreaDirectory, type AreaTokenProblem, type AreaUnit } from '../../../domain/areas.ts';
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
 * Codes for typed areas, or every problem at once (localized sentences, one per token): the domain's
 * resolveAreaTokens, as the CLI's `--area`, phrased from the console's locales.
 */
export function resolveAreaInput(
  input: string,
  directory: AreaDirectory,
  t: Translate,
): { ok: true; codes: string[] } | { ok: false; problems: string[] } {
  const tokens = areaTokens(input);
  if (tokens.length === 0) return { ok: false, problems: [t('webMembers:areas.none')] };
  const resolved = resolveAreaTokens(tokens, directory);
  if (resolved.ok) return resolved;
  return { ok: false, problems: resolved.problems.map((problem) => phrase(problem, directory, t)) };
}

/** One problem as a sentence of the console. */
function phrase(problem: AreaTokenProblem, directory: AreaDirectory, t: Translate): string {
  switch (problem.kind) {
    case 'unknownCode':
      return t('webMembers:areas.unknownCode', { token: problem.token });
    case 'former':
      return t('webMembers:areas.former', { token: problem.token, unit: labelled(problem.candidate.unit, t) });
    case 'ambiguous':
      return t('webMembers:areas.ambiguous', {
        token: problem.token,
        units: problem.candidates.map((c) => labelled(c.unit, t)).join('; '),
      });
    case 'notFound':
      return t('webMembers:areas.notFound', { token: problem.token, province: directory.province });
    case 'wholeAndCommunes':
      return t('webMembers:areas.wholeAndCommunes');
  }
}

/** Areas as an admin reads them: "Toàn tỉnh", or the communes' names; "—" for none. */
export function areasText(areas: readonly string[], directory: AreaDirectory, t: Translate): string {
  return areas.length === 0 ? t('webMembers:areas.noneAssigned') : describeAreas(areas, directory, t);
}

/** Areas as the form's text field holds them (codes: exact, and what the resolver reads back). */
export function areasInputValue(areas: readonly string[]): string {
  return areas.join(', ');
}
