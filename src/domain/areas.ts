// Communes and wards (since the 1 July 2025 reorganisation) and the former units each was formed from.
// The list is data an admin can replace (see AREAS_FILE); this module only validates it and answers
// "which unit does the member mean?". Many members still name their former commune, so former names count too.
import { z } from 'zod';
import { WHOLE_PROVINCE } from './officers.ts';
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
  /**
   * The member must choose. Not approximate: several units have this very name (at least two candidates).
   * Approximate: no name matched exactly, these are close (a typo, the start of a name): one to six candidates, and a
   * single one is a "did you mean…?" to confirm, never a list.
   */
  | { kind: 'ambiguous'; candidates: AreaCandidate[]; approximate: boolean }
  /** Nothing. `district` is set when the member named only a former district or city ("huyện Đồng Hỷ"). */
  | { kind: 'none'; district?: FormerDistrict };

/** A former district or city, as the data writes it ("Huyện Đồng Hỷ"), with one of its former communes. */
export interface FormerDistrict {
  name: string;
  example: string;
}

/** A place named beside the commune: a former district or city, a province, or both ("Thái Nguyên"). */
interface Place {
  /** The district's key ("dong hi"), its name as the data writes it, and one of its former communes. */
  district?: FormerDistrict & { key: string };
  /** The province's key ("thai nguyen"). */
  province?: string;
}

type Level = 'district' | 'province' | 'any';

/** A place the member named, read at the level she gave it ("huyện …", "tỉnh …"; without a word: either). */
interface Qualifier {
  district?: string;
  province?: string;
}

/** One reading of the member's words: which words are the commune's name, and what else she said about it. */
interface Reading {
  name: string;
  /** The type word before the name, when she wrote one: "xa", "phuong", "thitran". */
  type: string | null;
  qualifiers: Qualifier[];
  /**
   * How far-fetched the reading is: 2 for each place read through a typo, 1 when places come before the name (people
   * write the commune first). Readings are tried from the least far-fetched: "Phúc Lương Đại Từ" is Phúc Lương in
   * Đại Từ, not Đại Từ in "Phúc Lương" (one letter from Phú Lương).
   */
  cost: number;
}

/** Places read in some words, and how many of them only through a typo. */
interface PlacesRead {
  places: Qualifier[];
  guessed: number;
}

/** Words people put before a commune's name (folded): "xã", "phường", "thị trấn", "p.", "tt". */
const TYPE_WORDS: readonly (readonly [string[], string])[] = [
  [['thi', 'tran'], 'thitran'],
  [['tt'], 'thitran'],
  [['xa'], 'xa'],
  [['x'], 'xa'],
  [['phuong'], 'phuong'],
  [['p'], 'phuong'],
];

/** Words before a district or city ("huyện", "TP", "thị xã") and before a province ("tỉnh"), folded. */
const LEVEL_WORDS: readonly (readonly [string[], 'district' | 'province'])[] = [
  [['thanh', 'pho'], 'district'],
  [['thi', 'xa'], 'district'],
  [['t', 'p'], 'district'],
  [['tp'], 'district'],
  [['tx'], 'district'],
  [['huyen'], 'district'],
  [['h'], 'district'],
  [['quan'], 'district'],
  [['tinh'], 'province'],
  [['t'], 'province'],
];

/** Level words as the data writes them before a district or province name ("Huyện", "Thành phố", "Tỉnh"). */
const DATA_LEVEL_PREFIX = /^(huyen|thanh pho|thi xa|quan|tinh) /;

/**
 * Words around an address that say nothing about where: "Túc Duyên cũ", "em ở xã …", "thuộc …", "Việt Nam", and the
 * particles of a polite answer ("dạ", "ạ", "nhé").
 */
const NOISE_WORDS = new Set([
  ...['cu', 'o', 'tai', 'thuoc', 'nay', 'la', 'truoc', 'day', 'vn', 'viet', 'nam'],
  ...['em', 'chi', 'toi', 'minh', 'nha', 'nhe', 'da', 'a', 'oi', 'vang'],
]);

/**
 * Words that open a hamlet or street before the commune: "thôn 3, xã …", "tổ 5 phường …". None starts a commune's
 * name in the data ("Bản Thi", "Dương Sơn" do, so "bản" counts only before a type word, and "đường" not at all).
 */
const HAMLET_WORDS = new Set(['thon', 'xom', 'to', 'ap', 'khu', 'kp', 'tdp', 'khom', 'so']);
const HAMLET_BEFORE_TYPE_WORDS = new Set([...HAMLET_WORDS, 'ban']);

const MAX_SUGGESTIONS = 6;
/** Longer messages are not addresses; only the whole text is tried as a name then. */
const MAX_WORDS = 12;
/** Longest place name in words ("Phổ Yên", "Bắc Kạn": two; room for longer ones in another province's data). */
const MAX_PLACE_WORDS = 4;
/** Bound of the memo of near place names (cleared when full). */
const NEAR_PLACES_MEMO = 10_000;

export class AreaDirectory {
  readonly province: string;
  private readonly units: AreaUnit[];
  private readonly byCode: Map<string, AreaUnit>;
  /** Name keys (see `nameKey`), computed once: matching runs on every commune answer. */
  private readonly keys = new Map<string, string>();
  /** Districts and provinces by name key ("dong hi", "thai nguyen", "tptn"). */
  private readonly places = new Map<string, Place>();
  /** Place names one typo from a known one, by level and text, remembered (the same address is read in many ways). */
  private readonly nearPlaces = new Map<string, Place | null>();

  constructor(file: AreasFile) {
    this.province = file.province;
    this.units = file.units;
    this.byCode = new Map(file.units.map((u) => [u.code, u]));
    this.addPlace(this.key(this.province), { province: this.key(this.province) });
    for (const unit of file.units) {
      for (const former of unit.formedFrom) {
        if (former.formerProvince) {
          const province = this.placeKey(former.formerProvince);
          this.addPlace(province, { province });
        }
        if (!former.formerDistrict) continue;
        const key = this.placeKey(former.formerDistrict);
        const district = { key, name: former.formerDistrict, example: former.name };
        this.addPlace(key, { district });
        // "TPTN" for Thành phố Thái Nguyên, "TXPY" for Thị xã Phổ Yên: how cities are written in addresses.
        const level = /^(thanh pho|thi xa) /.exec(this.key(former.formerDistrict))?.[1];
        if (level) this.addPlace((level === 'thanh pho' ? 'tp' : 'tx') + initials(key), { district });
      }
    }
  }

  static parse(json: unknown): AreaDirectory {
    return new AreaDirectory(areasFileSchema.parse(json));
  }

  get size(): number {
    return this.units.length;
  }

  /** Every current commune/ward, in the data's order (the web console's commune pickers). */
  list(): readonly AreaUnit[] {
    return this.units;
  }

  byCodeOrNull(code: string | null | undefined): AreaUnit | null {
    return code ? (this.byCode.get(code) ?? null) : null;
  }

  /**
   * Which unit the member means by what she typed: a current or former name, with or without accents, "xã" / "phường"
   * / "thị trấn" before it, and often the former district, city or province after it ("Túc Duyên, TP Thái Nguyên",
   * "xa hoa binh huyen dong hy"; REFERENCE.md, "Addresses often carry the old district or city"), which settles
   * names several former units shared. A name one letter off, or the start of a name, gets suggestions. A name with
   * "y" or "i" at the end of a syllable is the same name ("Hỷ"/"Hỉ", "Vỹ"/"Vĩ").
   */
  match(input: string): AreaMatch {
    const words = addressWords(input).map((w) => this.key(w));
    if (words.length === 0) return { kind: 'none' };
    const readings = words.length > MAX_WORDS ? wholeReadings(words) : this.readings(words);
    if (readings.length === 0) return { kind: 'none' };

    // The whole text as a name first (what the member typed is the name), then with the places she added, the least
    // far-fetched readings first.
    const whole = readings.filter((r) => r.qualifiers.length === 0);
    const groups = [whole, ...byCost(readings)];
    for (const group of groups) {
      const found = this.narrow(
        group.map((r) => ({ reading: r, candidates: this.named(r, (name) => name === r.name) })),
      );
      if (found.length > 0) return resolve(found);
    }

    const district = this.onlyDistrict(words);
    if (district) return { kind: 'none', district: { name: district.name, example: district.example } };

    // Nothing exact: suggest units whose current or former name starts with / contains / is one typo from the input.
    for (const group of groups) {
      for (const test of FUZZY_TESTS) {
        const found = this.narrow(
          group.map((r) => ({ reading: r, candidates: this.named(r, (name) => test(name, r.name)) })),
        );
        if (found.length > 0 && found.length <= MAX_SUGGESTIONS) {
          return { kind: 'ambiguous', candidates: found, approximate: true };
        }
        if (found.length > MAX_SUGGESTIONS) return { kind: 'none' };
      }
    }
    return { kind: 'none' };
  }

  /** Every way to read the words as [place…] [type] name [place…]; places must be known, the name is tried later. */
  private readings(words: string[]): Reading[] {
    const places = new Map<string, PlacesRead | null>();
    const placesIn = (from: number, to: number): PlacesRead | null => {
      const k = `${from}:${to}`;
      if (!places.has(k)) places.set(k, this.qualifiers(words.slice(from, to)));
      return places.get(k)!;
    };
    const readings: Reading[] = [];
    for (let start = 0; start < words.length; start++) {
      // The name right here, or after a type word ("xã", "phường"…; "Phương Giao" is also a name).
      const type = typeAt(words, start);
      for (const t of type ? [null, type] : [null]) {
        const nameStart = start + (t?.length ?? 0);
        // Before the name: places ("huyện Đồng Hỷ xã Hòa Bình"), or a hamlet when a type word opens the commune.
        const hamlet = t !== null && HAMLET_BEFORE_TYPE_WORDS.has(words[0]!);
        const before = start === 0 || hamlet ? NO_PLACES : placesIn(0, start);
        if (before === null) continue;
        for (let end = nameStart + 1; end <= words.length; end++) {
          const after = placesIn(end, words.length);
          if (after === null) continue;
          readings.push({
            name: words.slice(nameStart, end).join(' '),
            type: t?.type ?? null,
            qualifiers: [...before.places, ...after.places],
            cost: 2 * (before.guessed + after.guessed) + (before.places.length > 0 ? 1 : 0),
          });
        }
      }
    }
    return readings;
  }

  /** The places in these words, or null when they are not all places (and noise words). */
  private qualifiers(words: readonly string[]): PlacesRead | null {
    // best[i]: the places read in words[0..i) with the fewest typos, or null when they cannot be read as places.
    const best: (PlacesRead | null)[] = [NO_PLACES, ...words.map(() => null)];
    const offer = (i: number, read: PlacesRead) => {
      const known = best[i];
      if (!known || read.guessed < known.guessed) best[i] = read;
    };
    for (let at = 0; at < words.length; at++) {
      const sofar = best[at];
      if (!sofar) continue;
      if (NOISE_WORDS.has(words[at]!)) offer(at + 1, sofar);
      const levels: [number, Level][] = [[0, 'any']];
      for (const [level, kind] of LEVEL_WORDS) if (startsAt(words, at, level)) levels.push([level.length, kind]);
      for (const [skip, level] of levels) {
        const from = at + skip;
        for (let length = 1; length <= MAX_PLACE_WORDS && from + length <= words.length; length++) {
          const name = words.slice(from, from + length).join(' ');
          const place = this.placeNamed(name, level);
          if (place === null) continue;
          const q: Qualifier = {};
          if (level !== 'province' && place.district) q.district = place.district.key;
          if (level !== 'district' && place.province) q.province = place.province;
          const guessed = this.places.has(name) ? 0 : 1;
          offer(from + length, { places: [...sofar.places, q], guessed: sofar.guessed + guessed });
        }
      }
    }
    return best[words.length] ?? null;
  }

  /** The known place with this name (or one typo from it, for names of 6+ letters) at this level. */
  private placeNamed(name: string, level: Level): Place | null {
    const fits = (place: Place) =>
      level === 'any' ? true : level === 'district' ? !!place.district : !!place.province;
    const exact = this.places.get(name);
    if (exact && fits(exact)) return exact;
    if (name.length < 6) return null;
    const memo = `${level}|${name}`;
    if (this.nearPlaces.has(memo)) return this.nearPlaces.get(memo) ?? null;
    let near: Place | null = null;
    for (const [key, place] of this.places) {
      if (fits(place) && withinOneEdit(key, name)) {
        near = place;
        break;
      }
    }
    if (this.nearPlaces.size >= NEAR_PLACES_MEMO) this.nearPlaces.clear();
    this.nearPlaces.set(memo, near);
    return near;
  }

  /**
   * "huyện Đồng Hỷ" alone: the member gave her former district, not her commune. A bare "Thái Nguyên" is the
   * province as much as the former city, and does not count.
   */
  private onlyDistrict(words: string[]): FormerDistrict | null {
    const found = this.qualifiers(words)?.places.find((q) => q.district !== undefined && q.province === undefined);
    return found?.district === undefined ? null : (this.places.get(found.district)?.district ?? null);
  }

  /** Current units and former units whose name key passes the test. */
  private named(reading: Reading, test: (nameKey: string) => boolean): AreaCandidate[] {
    if (reading.name.length < 1) return [];
    const found: AreaCandidate[] = [];
    for (const unit of this.units) {
      if (test(this.key(unit.name))) found.push({ unit });
      for (const via of unit.formedFrom) if (test(this.key(via.name))) found.push({ unit, via });
    }
    return found;
  }

  /**
   * The candidates of every reading, narrowed by what the member said besides the name (former district, province,
   * "xã" or "phường") when they point at several units; a narrowing that would leave nothing is not applied (she may
   * misremember her former district). A current unit named directly is listed once, not again through a former unit
   * of the same name.
   */
  private narrow(found: { reading: Reading; candidates: AreaCandidate[] }[]): AreaCandidate[] {
    const all = found.flatMap(({ reading, candidates }) => {
      if (spannedUnits(candidates) < 2) return candidates;
      let kept = candidates;
      for (const q of reading.qualifiers) kept = keepIfAny(kept, (c) => this.isIn(c, q));
      if (reading.type) kept = keepIfAny(kept, (c) => typeKey(c.via?.type ?? c.unit.type) === reading.type);
      return kept;
    });
    return dedupe(all);
  }

  /** The candidate's unit was in this district or province (a current unit: one of the units it was formed from). */
  private isIn(c: AreaCandidate, q: Qualifier): boolean {
    const formers = c.via ? [c.via] : c.unit.formedFrom;
    const inDistrict = (key: string) =>
      formers.some((f) => f.formerDistrict && this.placeKey(f.formerDistrict) === key);
    const inProvince = (key: string) =>
      key === this.key(this.province) ||
      formers.some((f) => f.formerProvince && this.placeKey(f.formerProvince) === key);
    return (q.district !== undefined && inDistrict(q.district)) || (q.province !== undefined && inProvince(q.province));
  }

  private addPlace(key: string, place: Place): void {
    const known = this.places.get(key) ?? {};
    this.places.set(key, { ...known, ...place, district: known.district ?? place.district });
  }

  /** The name key of a district or province without its level word: "Huyện Đồng Hỷ" → "dong hi". */
  private placeKey(name: string): string {
    return this.key(name).replace(DATA_LEVEL_PREFIX, '');
  }

  private key(name: string): string {
    let k = this.keys.get(name);
    if (k === undefined) {
      k = nameKey(name);
      this.keys.set(name, k);
    }
    return k;
  }
}

/**
 * A name as it is compared: folded (no accents, lower case, đ → d), and "y" at the end of a syllable after a
 * consonant read as "i", since Vietnamese spells those syllables both ways ("Hỷ"/"Hỉ", "Lam Vỹ"/"Lam Vĩ", "Sỹ"/"Sĩ").
 */
export function nameKey(name: string): string {
  return fold(name)
    .split(' ')
    .map((w) => w.replace(/^([bcdghklmnpqrstvx]+)y$/, '$1i'))
    .join(' ');
}

/** The words of an address, folded; first parts that are a hamlet or street ("thôn 3, …", "tổ 5, …") are left out. */
function addressWords(input: string): string[] {
  const parts = input
    .split(/[,;\n]+/)
    .map((p) =>
      fold(p)
        .split(' ')
        .filter((w) => w !== ''),
    )
    .filter((p) => p.length > 0);
  while (parts.length > 1 && parts[0]!.length > 1 && HAMLET_WORDS.has(parts[0]![0]!)) parts.shift();
  return parts.flat();
}

/** A long text: only the whole of it as a name (with or without a type word before it). */
function wholeReadings(words: string[]): Reading[] {
  const type = typeAt(words, 0);
  const whole: Reading = { name: words.join(' '), type: null, qualifiers: [], cost: 0 };
  return type ? [whole, { ...whole, name: words.slice(type.length).join(' '), type: type.type }] : [whole];
}

const NO_PLACES: PlacesRead = { places: [], guessed: 0 };

/** Readings grouped by cost, least far-fetched first. */
function byCost(readings: readonly Reading[]): Reading[][] {
  const costs = [...new Set(readings.map((r) => r.cost))].sort((a, b) => a - b);
  return costs.map((cost) => readings.filter((r) => r.cost === cost));
}

function typeAt(words: readonly string[], at: number): { length: number; type: string } | null {
  for (const [typeWords, type] of TYPE_WORDS) {
    // A type word must be followed by a name.
    if (startsAt(words, at, typeWords) && at + typeWords.length < words.length)
      return { length: typeWords.length, type };
  }
  return null;
}

function startsAt(words: readonly string[], at: number, expected: readonly string[]): boolean {
  return expected.every((w, i) => words[at + i] === w);
}

/** "xã" → "xa", "phường" → "phuong", "thị trấn" → "thitran". */
function typeKey(type: string): string {
  return fold(type).replace(/\s+/g, '');
}

function initials(key: string): string {
  return key
    .split(' ')
    .map((w) => w[0] ?? '')
    .join('');
}

function spannedUnits(candidates: readonly AreaCandidate[]): number {
  return new Set(candidates.map((c) => c.unit.code)).size;
}

function keepIfAny(candidates: AreaCandidate[], test: (c: AreaCandidate) => boolean): AreaCandidate[] {
  const kept = candidates.filter(test);
  return kept.length > 0 ? kept : candidates;
}

/** Exact candidates as a match: one unit named directly, one former unit, or a choice between at least two. */
function resolve(candidates: AreaCandidate[]): AreaMatch {
  const direct = candidates.filter((c) => !c.via);
  const former = candidates.filter((c): c is Required<AreaCandidate> => !!c.via);
  if (direct.length === 1 && former.length === 0) return { kind: 'exact', unit: direct[0]!.unit };
  if (direct.length === 0 && former.length === 1) return { kind: 'former', candidate: former[0]! };
  return { kind: 'ambiguous', candidates, approximate: false };
}

/** Name tests after the exact one, in order: starts with, contains, one typo away (inputs of 3+ and 5+ letters). */
const FUZZY_TESTS: readonly ((name: string, typed: string) => boolean)[] = [
  (name, typed) => typed.length >= 3 && name.startsWith(typed),
  (name, typed) => typed.length >= 3 && name.includes(typed),
  (name, typed) => typed.length >= 5 && withinOneEdit(name, typed),
];

/** Current units named directly first; a unit named directly is not listed again through a former unit; no repeats. */
function dedupe(candidates: AreaCandidate[]): AreaCandidate[] {
  const direct = new Set(candidates.filter((c) => !c.via).map((c) => c.unit.code));
  const seen = new Set<string>();
  const kept = candidates.filter((c) => {
    const key = `${c.unit.code}|${c.via?.code ?? ''}|${c.via?.formerDistrict ?? ''}`;
    if (seen.has(key) || (c.via && direct.has(c.unit.code))) return false;
    seen.add(key);
    return true;
  });
  return [...kept.filter((c) => !c.via), ...kept.filter((c) => c.via)];
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

/** Why one typed area token (an officer's areas: CLI `--area`, the console's Members section) gave no code. */
export type AreaTokenProblem =
  | { kind: 'unknownCode'; token: string }
  | { kind: 'former'; token: string; candidate: Required<AreaCandidate> }
  | { kind: 'ambiguous'; token: string; candidates: AreaCandidate[] }
  | { kind: 'notFound'; token: string }
  | { kind: 'wholeAndCommunes' };

/**
 * Codes for typed area tokens — a code, a current name (accents optional) or "*" (WHOLE_PROVINCE) — or every
 * problem at once, for the caller to phrase (the CLI in English, the console from its locales). A current name wins
 * over a former one of the same spelling ("Gia Sàng" is a ward today and also the former name of part of another);
 * a former or an ambiguous name asks for the code. "*" cannot be combined with communes. Codes are deduplicated.
 */
export function resolveAreaTokens(
  tokens: readonly string[],
  directory: AreaDirectory,
): { ok: true; codes: string[] } | { ok: false; problems: AreaTokenProblem[] } {
  const codes: string[] = [];
  const problems: AreaTokenProblem[] = [];
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
      problems.push({ kind: 'unknownCode', token });
      continue;
    }
    const match = directory.match(token);
    if (match.kind === 'exact') {
      codes.push(match.unit.code);
    } else if (match.kind === 'former') {
      problems.push({ kind: 'former', token, candidate: match.candidate });
    } else if (match.kind === 'ambiguous') {
      const needle = fold(token);
      const current = match.candidates.filter(
        (c) => c.via === undefined && [c.unit.name, `${c.unit.type} ${c.unit.name}`].some((n) => fold(n) === needle),
      );
      if (current.length === 1) codes.push(current[0]!.unit.code);
      else problems.push({ kind: 'ambiguous', token, candidates: match.candidates });
    } else {
      problems.push({ kind: 'notFound', token });
    }
  }
  if (codes.includes(WHOLE_PROVINCE) && codes.some((c) => c !== WHOLE_PROVINCE))
    problems.push({ kind: 'wholeAndCommunes' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, codes: [...new Set(codes)] };
}
