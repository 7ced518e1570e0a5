// Reading a typed or sent answer against a step's input, checking it, and keeping the answers of a flow coherent.
import type { Answers, Flow, FlowContext, Json, ParseResult, Step, Text } from './flow.ts';
import { answerText, photoAnswer, photoAnswerValue, text } from './flow.ts';
import { displayDate, displayNumber, displayPhone, parseDate, parseNumber, parsePhone, parseText } from './inputs.ts';
import type { InboundContent } from './messages.ts';

/**
 * Reads a message as an answer to `step` (text, number, phone, date, photo, custom). Choice and yes/no steps are
 * answered by picking an option (questions.ts): a message that reached here picked none, and is told how many there
 * are (`choiceCount`). Throws if a platform photo reference reaches a photo step unstored (a wiring bug).
 */
export function parseAnswer(
  step: Step,
  content: InboundContent,
  ctx: FlowContext,
  choiceCount: () => number,
): ParseResult {
  const input = step.input;
  if (content.kind === 'photo' || content.kind === 'storedPhotos') {
    if (input.kind !== 'photo') return { ok: false, error: text('common:errors.photoNotExpected') };
    // The gateway stores the photos of a photo step before the flow sees them (photoStep): a platform ref here means
    // the gateway was built without its photo stage, and no answer may keep a ref the project does not own.
    if (content.kind === 'photo') throw new Error('a photo reached a photo step without being stored');
    return { ok: true, value: photoAnswerValue(content.fileIds, content.caption) };
  }
  if (content.kind !== 'text') return { ok: false, error: text('common:errors.unsupported') };
  if (input.kind === 'photo') return { ok: false, error: text('common:errors.photoExpected') };
  if (content.text.trim() === '') return { ok: false, error: text('common:errors.empty') };
  switch (input.kind) {
    case 'text':
      return parseText(content.text, input.maxLength, input.multiline);
    case 'number':
      return parseNumber(content.text, input);
    case 'phone':
      return parsePhone(content.text);
    case 'date':
      return parseDate(content.text);
    case 'custom': {
      const tidied = parseText(content.text);
      return tidied.ok === true ? input.parse(answerText(tidied.value), ctx) : tidied;
    }
    case 'choice':
    case 'yesno':
      return { ok: false, error: text('common:errors.choice', { count: choiceCount() }) };
  }
}

/** The step's own check of a parsed value (its zod schema, whose messages are i18n keys): the error, or null. */
export function validate(step: Step, value: Json): Text | null {
  if (!step.validate) return null;
  const result = step.validate.safeParse(value);
  if (result.success) return null;
  return text(result.error.issues[0]?.message ?? 'common:errors.invalid');
}

/**
 * Drops answers of steps that no longer apply (an edit changed a branch), so finish() sees a coherent set.
 * Values that are not step answers (context the flow was started with, e.g. a case id) are kept.
 */
export function pruneAnswers(flow: Flow, answers: Answers, ctx: FlowContext): Answers {
  const stepIds = new Set(flow.steps.map((s) => s.id));
  const kept: Answers = Object.fromEntries(Object.entries(answers).filter(([key]) => !stepIds.has(key)));
  for (const step of flow.steps) {
    if (!(step.id in answers)) continue;
    if (step.when && !step.when(kept, { ...ctx, answers: kept })) continue;
    kept[step.id] = answers[step.id] ?? null;
  }
  return kept;
}

/** The summary's lines: every answered step that has a summaryLabel, with its answer as the member reads it. */
export function summaryLines(
  flow: Flow,
  answers: Answers,
  ctx: FlowContext,
): { step: Step; label: Text; value: Text }[] {
  return flow.steps
    .filter((s) => s.summaryLabel && s.id in answers)
    .map((s) => ({ step: s, label: s.summaryLabel!, value: displayValue(s, answers[s.id] ?? null, ctx) }));
}

/** A step's answer as the member reads it (summary lines, confirming a prefilled value). */
export function displayValue(step: Step, value: Json, ctx: FlowContext): Text {
  const input = step.input;
  // A custom input says itself what a skipped answer means ("I don't know" for an amount).
  if (value === null && input.kind !== 'custom') return text('common:summary.skipped');
  switch (input.kind) {
    case 'choice':
      return input.options(ctx).find((o) => o.value === value)?.label ?? { raw: answerText(value) };
    case 'yesno':
      return value === 'yes' ? (input.yesLabel ?? text('common:yes')) : (input.noLabel ?? text('common:no'));
    case 'number':
      return { raw: typeof value === 'number' ? displayNumber(value) : answerText(value) };
    case 'phone':
      return displayPhone(value);
    case 'date':
      return { raw: displayDate(answerText(value)) };
    case 'photo': {
      const count = photoAnswer(value)?.files.length ?? 0;
      return count === 1 ? text('common:summary.photo') : text('common:summary.photos', { count });
    }
    case 'custom':
      return input.display(value, ctx);
    case 'text':
      return { raw: answerText(value) };
  }
}
