// A small intent classifier trained on example phrases: TF-IDF vectors over folded word unigrams and bigrams, and
// each intent scored by the cosine similarity of the message to its nearest examples (the nearest, and the second
// nearest at SECOND_WEIGHT), blended with the similarity to the intent's centroid (all its examples together), so one odd example cannot win alone.
//
// Why this and not a library: the examples are a few hundred short phrases; a nearest-example TF-IDF matcher needs no
// training step, is deterministic (no random initialisation, nothing to seed), explains itself (the nearest example),
// costs microseconds per message, and is ~150 lines. The npm naive-Bayes / logistic classifiers we looked at bring
// their own tokenisers (English stemming, no Vietnamese folding or shorthand) and are unmaintained or heavy.
import { readWords, Vocabulary, type FoldedLexicon } from './words.ts';

/** One example phrase of an intent (from the locales). The special intent NONE_INTENT holds chit-chat. */
export interface Example {
  intent: string;
  text: string;
}

/** Examples of this intent are messages that ask for nothing the bot does ("hôm nay trời đẹp", "haha"). */
export const NONE_INTENT = 'none';

export interface Scored {
  intent: string;
  /** 0 (nothing in common) to 1 (the same words as an example). */
  score: number;
  /** Whether the message uses a word or word pair only this intent's examples use (see hasDistinctive). */
  distinctive?: boolean;
}

/** How much an unknown word weighs in a message, against the rarest known word (see vectorOf). */
const UNKNOWN_WEIGHT = 0.5;

/** Weight of the nearest example against the centroid in an intent's score. */
const NEAREST_WEIGHT = 0.7;

/**
 * Weight of the second-nearest example of an intent against the nearest one: an intent that two examples back is
 * preferred to one that a single odd example matches (fewer confusions between close intents, e.g. the product ones).
 */
const SECOND_WEIGHT = 0.25;

type Vector = Map<string, number>;

/** Unigrams and bigrams ("vay", "von", "vay von") of a message's words. */
function grams(words: readonly string[]): string[] {
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]!} ${words[i]!}`);
  return out;
}

function normalise(vector: Vector): Vector {
  let sum = 0;
  for (const v of vector.values()) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (const [k, v] of vector) vector.set(k, v / norm);
  return vector;
}

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) sum += v * w;
  }
  return sum;
}

export class IntentClassifier {
  private readonly vocabulary: Vocabulary;
  private readonly idf = new Map<string, number>();
  private maxIdf = 1;
  /** Each example's intent, by example index. */
  private readonly exampleIntents: string[] = [];
  /** Inverted index: gram → the examples using it, with the gram's weight in each (sparse dot products). */
  private readonly postings = new Map<string, { example: number; weight: number }[]>();
  /** The last message read (words, corrected): one message is read by several calls in a row. */
  private lastRead: { input: string; words: string[] } | null = null;
  private readonly centroids = new Map<string, Vector>();
  /** For each gram, the intents whose examples use it. */
  private readonly intentsOfGram = new Map<string, Set<string>>();
  readonly intents: readonly string[];

  /** Builds the model once (start-up); throws when there is no example at all. */
  constructor(
    examples: readonly Example[],
    private readonly lexicon: FoldedLexicon,
  ) {
    if (examples.length === 0) throw new Error('the intent classifier needs example phrases');
    const counts = new Map<string, number>();
    const read = examples.map((e) => ({ intent: e.intent, words: readWords(e.text, lexicon) }));
    for (const { words } of read) for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    this.vocabulary = new Vocabulary(counts);
    const documentFrequency = new Map<string, number>();
    const gramsOf = read.map((r) => ({ intent: r.intent, grams: grams(r.words) }));
    for (const { grams: g } of gramsOf)
      for (const gram of new Set(g)) documentFrequency.set(gram, (documentFrequency.get(gram) ?? 0) + 1);
    for (const { intent, grams: g } of gramsOf) {
      for (const gram of g) {
        const set = this.intentsOfGram.get(gram) ?? new Set<string>();
        set.add(intent);
        this.intentsOfGram.set(gram, set);
      }
    }
    for (const [gram, df] of documentFrequency) this.idf.set(gram, Math.log((1 + gramsOf.length) / (1 + df)) + 1);
    this.maxIdf = Math.max(...this.idf.values());
    const sums = new Map<string, Vector>();
    for (const { intent, grams: g } of gramsOf) {
      const vector = this.vectorOf(g);
      const example = this.exampleIntents.push(intent) - 1;
      for (const [gram, weight] of vector) {
        const list = this.postings.get(gram);
        if (list) list.push({ example, weight });
        else this.postings.set(gram, [{ example, weight }]);
      }
      const sum = sums.get(intent) ?? new Map<string, number>();
      for (const [k, v] of vector) sum.set(k, (sum.get(k) ?? 0) + v);
      sums.set(intent, sum);
    }
    for (const [intent, sum] of sums) this.centroids.set(intent, normalise(sum));
    this.intents = [...sums.keys()];
  }

  /** The words of a message as the model reads them (after folding, shorthand, filler and typo correction). */
  words(input: string): string[] {
    if (this.lastRead?.input !== input) {
      this.lastRead = { input, words: readWords(input, this.lexicon).map((w) => this.vocabulary.correct(w)) };
    }
    return this.lastRead.words;
  }

  /** How many of the message's words (after correction) the examples use: how much of it the model understood. */
  knownWords(input: string): number {
    return this.words(input).filter((w) => this.vocabulary.has(w) && !/\d/.test(w)).length;
  }

  /** Every intent with its score, best first (ties: the order the intents were declared in). */
  score(input: string): Scored[] {
    const vector = this.vectorOf(grams(this.words(input)));
    const sums = new Map<number, number>();
    for (const [gram, weight] of vector) {
      for (const posting of this.postings.get(gram) ?? []) {
        sums.set(posting.example, (sums.get(posting.example) ?? 0) + weight * posting.weight);
      }
    }
    const top = new Map<string, number[]>();
    for (const [example, s] of sums) {
      const intent = this.exampleIntents[example]!;
      const list = top.get(intent) ?? [];
      list.push(s);
      top.set(intent, list);
    }
    const nearest = new Map<string, number>();
    for (const [intent, list] of top) {
      list.sort((a, b) => b - a);
      nearest.set(intent, (list[0]! + SECOND_WEIGHT * (list[1] ?? 0)) / (1 + SECOND_WEIGHT));
    }
    // Intents owning a gram of the message (only their examples use it): see THRESHOLDS.ratio.
    const owning = new Set<string>();
    for (const gram of vector.keys()) {
      const owners = this.intentsOfGram.get(gram);
      if (owners?.size === 1) owning.add([...owners][0]!);
    }
    const scored = this.intents.map((intent) => {
      const centroid = vector.size > 0 ? dot(vector, this.centroids.get(intent)!) : 0;
      const score = NEAREST_WEIGHT * (nearest.get(intent) ?? 0) + (1 - NEAREST_WEIGHT) * centroid;
      return { intent, score, distinctive: owning.has(intent) };
    });
    return scored.sort((a, b) => b.score - a.score);
  }

  /**
   * Whether the message uses a word or word pair that only this intent's examples use ("xóa dữ liệu", "delete"): a
   * destructive intent is never read from words other intents share ("thông tin", "của em").
   */
  hasDistinctive(input: string, intent: string): boolean {
    return grams(this.words(input)).some((g) => {
      const owners = this.intentsOfGram.get(g);
      return owners?.size === 1 && owners.has(intent);
    });
  }

  /**
   * TF-IDF (sublinear term frequency), unit length. A word never seen in the examples matches nothing but still
   * weighs (UNKNOWN_WEIGHT of the rarest word's weight), so "Hà Tĩnh" is not read as "hà" alone; numbers weigh nothing
   * ("vay 30 triệu" is "vay triệu").
   */
  private vectorOf(gramList: readonly string[]): Vector {
    const tf = new Map<string, number>();
    for (const g of gramList) {
      if (this.idf.has(g) || (!g.includes(' ') && !/\d/.test(g))) tf.set(g, (tf.get(g) ?? 0) + 1);
    }
    const vector: Vector = new Map();
    for (const [g, n] of tf) vector.set(g, (1 + Math.log(n)) * (this.idf.get(g) ?? this.maxIdf * UNKNOWN_WEIGHT));
    return normalise(vector);
  }
}
