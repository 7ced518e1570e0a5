// Communes and wards (since the 1 July 2025 reorganisation) and the former units each was formed from.
// The list is data an admin can replace (see AREAS_FILE); this module only validates it and answers
// "which unit does the member mean?". Many members still name their former commune, so former names count too.
import { z } from 'zod';
import { fold } from './text.ts';

const formerUnitSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  formerDistrict: z.string().optional(),
  formerProvince: z.string().optional(),
  /** false: only part of the former unit went to this new one. */
  whole: z.boolean().optional(),
});

const unitSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  /** "xã" or "phường" */
  type: z.string().min(1),
  formedFrom: z.array(formerUnitSchema).default([]),
});

export const areasFileSchema = z
  .object({
    province: z.string().min(1),
    provinceCode: z.string().optional(),
    effectiveFrom: z.string().optional(),
    units: z.array(unitSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.units.forEach((u, i) => {
      if (seen.has(u.code))
        ctx.addIssue({ code: 'custom', path: ['units', i, 'code'], message: `duplicate code ${u.code}` });
      seen.add(u.code);
    });
  });

export type AreasFile = z.infer<typeof areasFileSchema>;
export type AreaUnit = z.infer<typeof unitSchema>;
export type FormerUnit = z.infer<typeof formerUnitSchema>;

/** One way a member's words can point at a current unit. */
export interface AreaCandidate {
  unit: AreaUnit;
  /** Set when the member named a former unit that is now (part of) `unit`. */
  via?: FormerUnit;
}

export type AreaMatch =
  /** Exactly one current unit, named by its current name. */
  | { kind: 'exact'; unit: AreaUnit }
  /** Exactly one unit, named by a former name: confirm with the member. */
  | { kind: 'former'; candidate: Required<AreaCandidate> }
  /** Several plausible units: let the member pick. */
  | { kind: 'ambiguous'; candidates: AreaCandidate[] }
  | { kind: 'none' };

/** Words people put before a name: "xã", "phường", "thị trấn", "p.", "tt". Folded. */
const TYPE_WORDS = /^(xa|phuong|thi tran|tt|p|x)\s+/;
const MAX_SUGGESTIONS = 6;

export class AreaDirectory {
  readonly province: string;
  private readonly units: AreaUnit[];
  private readonly byCode: Map<string, AreaUnit>;
  /** Folded names, computed once: matching runs on every commune answer. */
  private readonly foldedNames = new Map<string, string>();

  constructor(file: AreasFile) {
    this.province = file.province;
    this.units = file.units;
    this.byCode = new Map(file.units.map((u) => [u.code, u]));
  }

  static parse(json: unknown): AreaDirectory {
    return new AreaDirectory(areasFileSchema.parse(json));
  }

  get size(): number {
    return this.units.length;
  }

  byCodeOrNull(code: string | null | undefined): AreaUnit | null {
    return code ? (this.byCode.get(code) ?? null) : null;
  }

  match(input: string): AreaMatch {
    const needle = fold(input).replace(TYPE_WORDS, '');
    if (needle === '') return { kind: 'none' };

    const current = this.units.filter((u) => this.folded(u.name) === needle);
    const former = this.formerCandidates((name) => name === needle).filter(
      (c) => !current.some((u) => u.code === c.unit.code),
    );
    if (current.length === 1 && former.length === 0) return { kind: 'exact', unit: current[0]! };
    if (current.length === 0 && former.length === 1) return { kind: 'former', candidate: former[0]! };
    if (current.length + former.length > 0) {
      return { kind: 'ambiguous', candidates: [...current.map((unit) => ({ unit })), ...former] };
    }

    // Nothing exact: suggest units whose current or former name starts with / contains / is one typo from the input.
    for (const test of fuzzyTests(needle)) {
      const found = dedupe([
        ...this.units.filter((u) => test(this.folded(u.name))).map((unit) => ({ unit })),
        ...this.formerCandidates(test),
      ]);
      if (found.length > 0 && found.length <= MAX_SUGGESTIONS) return { kind: 'ambiguous', candidates: found };
      if (found.length > MAX_SUGGESTIONS) return { kind: 'none' };
    }
    return { kind: 'none' };
  }

  private folded(name: string): string {
    let f = this.foldedNames.get(name);
    if (f === undefined) {
      f = fold(name);
      this.foldedNames.set(name, f);
    }
    return f;
  }

  private formerCandidates(test: (foldedName: string) => boolean): Required<AreaCandidate>[] {
    return this.units.flatMap((unit) =>
      unit.formedFrom.filter((f) => test(this.folded(f.name))).map((via) => ({ unit, via })),
    );
  }
}

function fuzzyTests(needle: string): ((name: string) => boolean)[] {
  if (needle.length < 3) return [];
  const tests = [(n: string) => n.startsWith(needle), (n: string) => n.includes(needle)];
  if (needle.length >= 5) tests.push((n: string) => withinOneEdit(n, needle));
  return tests;
}

/** A current unit named both directly and via a former name is listed once (the direct way). */
function dedupe(candidates: AreaCandidate[]): AreaCandidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = `${c.unit.code}|${c.via?.code ?? ''}|${c.via?.formerDistrict ?? ''}`;
    const direct = `${c.unit.code}||`;
    if (seen.has(key) || (c.via && seen.has(direct))) return false;
    seen.add(key);
    return true;
  });
}

/** True when a and b differ by at most one insertion, deletion or substitution. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
