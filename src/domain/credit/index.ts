// Credit pre-screen: programme data (schema), the condition language, the rules engine, amounts, quick questions.
export * from './amount.ts';
export * from './conditions.ts';
export * from './evaluate.ts';
export * from './facts.ts';
export * from './programmes.ts';
export * from './quickQuestions.ts';
export * from './rates.ts';
export type * from './inquiries.ts';
