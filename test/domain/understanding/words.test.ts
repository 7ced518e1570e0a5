// How the matcher reads words: folding (diacritics, đ/d, case, NFC/NFD, old/new tone placement), texting shorthand,
// filler words, one typo in longer words; and what that means for a whole message.
import { describe, expect, it } from 'vitest';
import { editDistance, foldLexicon, readWords, untelex, Vocabulary } from '../../../src/domain/understanding/words.ts';
import { localeClassifier } from './evaluate.ts';

const lexicon = foldLexicon({
  shorthand: { ko: 'không', dc: 'được', đc: 'được', e: 'em', c: 'chị', bn: 'bao nhiêu', mk: 'mình', vs: 'với' },
  filler: ['ạ', 'nhé', 'ơi'],
});

describe('readWords', () => {
  it('folds diacritics, đ and case, and NFD the same as NFC', () => {
    expect(readWords('Vay VỐN Đi Học', lexicon)).toEqual(['vay', 'von', 'di', 'hoc']);
    expect(readWords('vay vốn'.normalize('NFD'), lexicon)).toEqual(readWords('vay vốn'.normalize('NFC'), lexicon));
  });

  it('old and new tone placement are the same word', () => {
    expect(readWords('hoà', lexicon)).toEqual(readWords('hòa', lexicon));
    expect(readWords('thuỷ', lexicon)).toEqual(readWords('thủy', lexicon));
  });

  it('reads after-number shorthand only right after a number ("50 củ" is 50 triệu, "củ gừng" a root)', () => {
    const withNumbers = foldLexicon({ shorthand: {}, filler: [], afterNumber: { củ: 'triệu' } });
    expect(readWords('vay 50 củ', withNumbers)).toEqual(['vay', '50', 'trieu']);
    expect(readWords('vay 50củ', withNumbers)).toEqual(['vay', '50', 'trieu']);
    expect(readWords('bán củ gừng', withNumbers)).toEqual(['ban', 'cu', 'gung']);
    expect(readWords('tên cũ', withNumbers)).toEqual(['ten', 'cu']);
  });

  it('expands shorthand, whole words only', () => {
    expect(readWords('e vay dc ko', lexicon)).toEqual(['em', 'vay', 'duoc', 'khong']);
    expect(readWords('đc bn', lexicon)).toEqual(['duoc', 'bao', 'nhieu']);
    expect(readWords('mk nói chuyện vs c', lexicon)).toEqual(['minh', 'noi', 'chuyen', 'voi', 'chi']);
    // Inside a word, nothing changes.
    expect(readWords('kong', lexicon)).toEqual(['kong']);
  });

  it('drops filler words, unless nothing else is left', () => {
    expect(readWords('vay vốn ạ', lexicon)).toEqual(['vay', 'von']);
    expect(readWords('ạ', lexicon)).toEqual(['a']);
  });

  it('splits numbers from the words glued to them', () => {
    expect(readWords('vay 30tr', lexicon)).toEqual(['vay', '30', 'tr']);
  });

  it('reads a slot phrase as its one word, the longest phrase first, after shorthand', () => {
    const slotted = foldLexicon({
      shorthand: { e: 'em', ko: 'không' },
      filler: [],
      slots: { 'làm bánh': 'tennghe', 'mây tre': 'tennghe', 'mây tre đan': 'tennghe', thêu: 'tennghe' },
    });
    expect(readWords('hủy lớp làm bánh', slotted)).toEqual(['huy', 'lop', 'tennghe']);
    expect(readWords('e ko hoc lop may tre dan nua', slotted)).toEqual(['em', 'khong', 'hoc', 'lop', 'tennghe', 'nua']);
    expect(readWords('Thêu và làm bánh', slotted)).toEqual(['tennghe', 'va', 'tennghe']);
    // A phrase's words apart, or part of one, stay themselves.
    expect(readWords('làm gì với bánh', slotted)).toEqual(['lam', 'gi', 'voi', 'banh']);
  });
});

describe('typos', () => {
  const vocabulary = new Vocabulary(
    new Map([
      ['dien', 3],
      ['thoai', 3],
      ['khong', 5],
      ['vay', 9],
      ['vai', 1],
    ]),
  );

  it('corrects one typo in longer words: a letter swapped, left out, added or changed', () => {
    expect(vocabulary.correct('thaoi')).toBe('thoai');
    expect(vocabulary.correct('thoi')).toBe('thoai');
    expect(vocabulary.correct('thooai')).toBe('thoai');
    expect(vocabulary.correct('khomg')).toBe('khong');
  });

  it('reads Telex marks typed as letters, only when that gives a known word', () => {
    expect(untelex('hocj')).toBe('hoc');
    expect(untelex('ddaang')).toBe('dang');
    expect(untelex('dduwowcj')).toBe('duoc');
    expect(untelex('lowps')).toBe('lop');
    expect(untelex('khoong')).toBe('khong');
    const known = new Vocabulary(
      new Map([
        ['hoc', 3],
        ['lop', 2],
        ['dang', 1],
      ]),
    );
    expect(known.correct('hocj')).toBe('hoc');
    expect(known.correct('lowps')).toBe('lop');
    // Not known once read as Telex either: left as it is (an English word, a name).
    expect(known.correct('news')).toBe('news');
    expect(known.correct('hoa')).toBe('hoa');
  });

  it('never corrects short words, numbers, or words two edits away', () => {
    expect(vocabulary.correct('vau')).toBe('vau');
    expect(vocabulary.correct('1234')).toBe('1234');
    expect(vocabulary.correct('thxxi')).toBe('thxxi');
  });

  it('measures edits as optimal string alignment, capped', () => {
    expect(editDistance('thoai', 'thaoi')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abcd', 'wxyz')).toBe(2);
  });
});

describe('the classifier built from the locales', () => {
  const classifier = localeClassifier();
  const best = (text: string) => classifier.score(text)[0]!.intent;

  it.each([
    ['cho em hỏi vay vốn', 'credit'],
    ['CHO EM HOI VAY VON', 'credit'],
    ['vayy vonn', 'credit'],
    ['e muon vay tien dc ko', 'credit'],
    ['cho mk gap cb', 'talk'],
    ['doi so dien thaoi', 'profilePhone'],
    ['xoá hết dữ liệu của em', 'deleteData'],
    ['switch to English', 'language'],
    ['haha', 'none'],
  ])('reads %j as %s', (text, intent) => {
    expect(best(text)).toBe(intent);
  });

  it('reads deleting only from words that only deleting uses', () => {
    expect(classifier.hasDistinctive('xoa het du lieu', 'deleteData')).toBe(true);
    expect(classifier.hasDistinctive('thong tin cua em', 'deleteData')).toBe(false);
  });
});
