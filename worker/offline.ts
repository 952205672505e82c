// The offline estimator: grades an essay without any AI, deterministically, from measurable features
// of the text (length against the target, vocabulary range, sentence variety, paragraphing,
// readability, repetition, mechanics). Each rubric criterion names the signals that inform it.
// It is a rough guide, and every page that shows its result says so.
import { countWords } from "~/grading/essayForm";
import { consensus } from "./consensus";
import type { GradeResult, Grading } from "~/grading/result";
import { snap, type Rubric, type Signal } from "~/grading/rubrics";

const clamp = (value: number, low = 0, high = 1) => Math.min(high, Math.max(low, value));
const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

type Measurements = {
  words: number;
  paragraphs: number;
  sentences: number;
  meanSentenceWords: number;
  sentenceVariation: number;
  vocabularyRange: number;
  longWordShare: number;
  readingEase: number;
  repeatedPhraseShare: number;
  mechanicsIssuesPer100Words: number;
};

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu) ?? []) as string[];
}

function syllables(word: string): number {
  const cleaned = word.toLowerCase().replace(/[^a-z]/g, "");
  if (cleaned.length <= 3) return 1;
  const groups = cleaned.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, "").replace(/^y/, "").match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

/** Moving-average type-token ratio: vocabulary range that does not fall just because a text is long. */
function movingTypeTokenRatio(words: string[], window = 50): number {
  if (words.length <= window) return new Set(words).size / Math.max(1, words.length);
  let total = 0;
  let windows = 0;
  for (let start = 0; start + window <= words.length; start += 10) {
    total += new Set(words.slice(start, start + window)).size / window;
    windows++;
  }
  return total / windows;
}

export function measure(text: string): Measurements {
  const body = text.replace(/\r\n?/g, "\n").trim();
  const words = wordsOf(body);
  let paragraphs = body.split(/\n\s*\n/).filter((p) => countWords(p) > 0);
  if (paragraphs.length === 1) {
    const lines = body.split("\n").filter((line) => countWords(line) >= 20);
    if (lines.length > 1) paragraphs = lines;
  }
  const sentences = body
    .split(/(?<=[.!?…])["'”’)]*\s+|\n+/)
    .map((s) => countWords(s))
    .filter((n) => n > 0);
  const meanSentence = sentences.reduce((a, b) => a + b, 0) / Math.max(1, sentences.length);
  const variance = sentences.reduce((sum, n) => sum + (n - meanSentence) ** 2, 0) / Math.max(1, sentences.length);
  const trigrams = words.slice(2).map((_, i) => `${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  const syllableCount = words.reduce((sum, word) => sum + syllables(word), 0);

  const issues =
    (body.match(/(?:^|[.!?]\s+)[a-z]/g)?.length ?? 0) + // sentence starting in lower case
    (body.match(/\si\s/g)?.length ?? 0) + // lower-case "i"
    (body.match(/\s[,.;:!?]/g)?.length ?? 0) + // space before punctuation
    (body.match(/[,;:][^\s\d"'”’)]/g)?.length ?? 0) + // no space after a comma
    (body.match(/([!?.,])\1{1,}/g)?.filter((m) => m !== "...").length ?? 0) + // "!!", ",,"
    (body.match(/\b(\w+)\s+\1\b/gi)?.length ?? 0); // "the the"

  return {
    words: words.length,
    paragraphs: paragraphs.length,
    sentences: sentences.length,
    meanSentenceWords: round(meanSentence),
    sentenceVariation: round(meanSentence ? Math.sqrt(variance) / meanSentence : 0, 2),
    vocabularyRange: round(movingTypeTokenRatio(words), 2),
    longWordShare: round(words.filter((w) => w.length >= 7).length / Math.max(1, words.length), 2),
    readingEase: round(206.835 - 1.015 * meanSentence - 84.6 * (syllableCount / Math.max(1, words.length))),
    repeatedPhraseShare: round(trigrams.length ? 1 - new Set(trigrams).size / trigrams.length : 0, 3),
    mechanicsIssuesPer100Words: round((issues * 100) / Math.max(1, words.length)),
  };
}

/** Each signal from 0 (weak) to 1 (strong), with what to say about it. */
function signals(m: Measurements, rubric: Rubric): Record<Signal, { value: number; good: string; better: string }> {
  const { min, ideal } = rubric.targetWords;
  // Words that repeat earlier phrasing add length but no substance: count only the rest.
  const words = Math.round(m.words * (1 - m.repeatedPhraseShare));
  const length =
    words < min
      ? 0.1 + 0.4 * (words / min) ** 2
      : words < ideal
        ? 0.6 + 0.4 * ((words - min) / Math.max(1, ideal - min))
        : words <= ideal * 2.5
          ? 1
          : clamp(1 - (words - ideal * 2.5) / (ideal * 5), 0.7);
  const repeats = words < m.words * 0.8 ? ` (only about ${words} of its ${m.words} words say something not already said)` : "";
  const meanFit = m.meanSentenceWords < 14 ? clamp((m.meanSentenceWords - 6) / 8) : m.meanSentenceWords > 24 ? clamp((40 - m.meanSentenceWords) / 16) : 1;
  const expectedParagraphs = Math.max(3, m.words / 180);
  const paragraphs = m.paragraphs <= 1 ? 0.2 : clamp(m.paragraphs / expectedParagraphs) * (m.words / m.paragraphs < 40 ? 0.8 : 1);
  const ease = m.readingEase;
  const readability = ease >= 30 && ease <= 65 ? 1 : ease < 30 ? clamp(0.3 + (0.7 * (ease - 0)) / 30, 0.3) : clamp(1 - (0.7 * (ease - 65)) / 25, 0.3);
  return {
    length: {
      value: clamp(length),
      good: `At ${m.words} words it meets the length this task expects (about ${ideal}).`,
      better:
        words < min
          ? `It is shorter than the ${min} words the task asks for${repeats}; develop your points further.`
          : `There is room to develop the argument towards about ${ideal} words${repeats}.`,
    },
    vocabulary: {
      value: clamp(0.6 * clamp((m.vocabularyRange - 0.55) / 0.25) + 0.4 * clamp((m.longWordShare - 0.1) / 0.2)),
      good: `Vocabulary is varied (range ${m.vocabularyRange}; ${Math.round(m.longWordShare * 100)}% longer words).`,
      better: `Vocabulary is fairly narrow (range ${m.vocabularyRange}); use more precise and varied words instead of repeating common ones.`,
    },
    sentences: {
      value: clamp(0.6 * meanFit + 0.4 * clamp(m.sentenceVariation / 0.45)),
      good: `Sentences average ${m.meanSentenceWords} words and vary in length, which keeps the reader engaged.`,
      better:
        m.meanSentenceWords > 24
          ? `Sentences average ${m.meanSentenceWords} words; split the longest ones so each carries one idea.`
          : m.meanSentenceWords < 14
            ? `Sentences average only ${m.meanSentenceWords} words; combine some to show how ideas connect.`
            : `Sentence lengths are uniform; mix short and long sentences for emphasis and flow.`,
    },
    paragraphs: {
      value: clamp(paragraphs),
      good: `The essay is organised into ${m.paragraphs} paragraphs.`,
      better:
        m.paragraphs <= 1
          ? "The essay is one block of text; divide it into an introduction, body paragraphs and a conclusion."
          : `With ${m.paragraphs} paragraphs for ${m.words} words, give each main point a paragraph of its own.`,
    },
    readability: {
      value: readability,
      good: `It reads at a level suited to academic writing (reading ease ${Math.round(ease)}).`,
      better: ease < 30 ? `It is hard to read (reading ease ${Math.round(ease)}); prefer shorter sentences and plainer words where you can.` : `It reads very simply (reading ease ${Math.round(ease)}); academic writing can afford more developed sentences.`,
    },
    repetition: {
      value: clamp(1 - m.repeatedPhraseShare / 0.15),
      good: "Phrasing is rarely repeated.",
      better: `About ${Math.round(m.repeatedPhraseShare * 100)}% of three-word phrases repeat; vary how you express recurring ideas.`,
    },
    mechanics: {
      value: clamp(1 - m.mechanicsIssuesPer100Words / 5),
      good: "Capitalisation, spacing and punctuation look clean.",
      better: `About ${m.mechanicsIssuesPer100Words} surface issues per 100 words (capitals, spacing, repeated words or punctuation); proofread before submitting.`,
    },
  };
}

/** The offline grading of `text` against `rubric`, as one grading with its measurements. */
export function estimate(rubric: Rubric, text: string): { grading: Grading; measurements: Measurements } {
  const m = measure(text);
  const all = signals(m, rubric);
  const { min, max, step } = rubric.scale;
  const criteria = rubric.criteria.map((criterion) => {
    const parts = criterion.signals.map((name) => all[name]);
    const value = parts.reduce((sum, part) => sum + part.value, 0) / parts.length;
    const strong = parts.filter((part) => part.value >= 0.7).map((part) => part.good);
    const weak = parts.filter((part) => part.value < 0.7).map((part) => part.better);
    return {
      key: criterion.key,
      score: clamp(snap(min + (max - min) * value, step), min, max),
      strengths: strong.length ? strong.join(" ") : "No measurable strength stands out yet for this criterion.",
      improvements: weak.length ? weak.join(" ") : "The measurable features look sound here; a human or AI reader can judge the content itself.",
    };
  });
  const summary =
    `Offline estimate from measurable features of the text; no AI grader read this essay. ` +
    `${m.words} words in ${m.paragraphs} paragraph${m.paragraphs === 1 ? "" : "s"} and ${m.sentences} sentences. ` +
    `It cannot judge the argument's content or accuracy, so treat the scores as a rough guide.`;
  return { grading: { grader: "offline estimator", criteria, summary }, measurements: m };
}

/** The offline result in the shape every grade result takes. */
export function offlineResult(rubric: Rubric, text: string): GradeResult {
  const { grading, measurements } = estimate(rubric, text);
  return { ...consensus(rubric, [grading], "offline"), measurements };
}
