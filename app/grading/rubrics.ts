// The rubrics MarkM8 grades against: used by the form (choices), validation (known ids, score ranges),
// the graders' prompts and JSON schema, the offline estimator (which text signals inform which
// criterion) and the result page. Adding a rubric touches this file only.

/** Measurable features of a text, each scored 0 (weak) to 1 (strong) by the offline estimator. */
export type Signal = "length" | "vocabulary" | "sentences" | "paragraphs" | "readability" | "repetition" | "mechanics";

export type Criterion = {
  key: string;
  name: string;
  /** What a grader looks for, in one or two sentences. */
  description: string;
  signals: Signal[];
};

export type Rubric = {
  id: string;
  name: string;
  summary: string;
  scale: { min: number; max: number; step: number; unit: string };
  criteria: Criterion[];
  /** Graders further apart than this on any criterion make a low-agreement grade. */
  lowAgreementSpread: number;
  /** The length the task asks for, in words. */
  targetWords: { min: number; ideal: number };
  /** The overall score from the per-criterion scores. */
  overall: (scores: number[]) => number;
  /** Extra instructions for graders: how the scale's levels read. */
  guidance: string;
};

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Rounds to the nearest multiple of `step` (halves up). */
export function snap(value: number, step: number): number {
  return Math.round(Math.round(value / step) * step * 1000) / 1000;
}

export const RUBRICS: readonly Rubric[] = [
  {
    id: "general",
    name: "General academic essay",
    summary: "Thesis, organisation, evidence and analysis, language and style, mechanics; 1–6 each.",
    scale: { min: 1, max: 6, step: 1, unit: "points" },
    lowAgreementSpread: 2,
    targetWords: { min: 300, ideal: 900 },
    overall: (scores) => Math.round(mean(scores) * 10) / 10,
    guidance:
      "6 = exceptional, 5 = strong, 4 = competent, 3 = developing, 2 = weak, 1 = minimal or missing. " +
      "Judge the essay as a university instructor would for first-year academic writing.",
    criteria: [
      {
        key: "thesis",
        name: "Thesis",
        description: "A clear, arguable central claim that answers the prompt and is sustained throughout.",
        signals: ["length", "paragraphs"],
      },
      {
        key: "organisation",
        name: "Organisation",
        description: "Logical order, paragraphs with clear topics, transitions, an introduction and a conclusion.",
        signals: ["paragraphs", "sentences"],
      },
      {
        key: "evidence",
        name: "Evidence and analysis",
        description: "Relevant evidence and examples, explained and connected to the claim rather than merely listed.",
        signals: ["length", "vocabulary", "repetition"],
      },
      {
        key: "style",
        name: "Language and style",
        description: "Precise, varied vocabulary and sentences; an academic register suited to the audience.",
        signals: ["vocabulary", "sentences", "readability"],
      },
      {
        key: "mechanics",
        name: "Mechanics",
        description: "Grammar, spelling, punctuation and capitalisation that never get in the reader's way.",
        signals: ["mechanics", "readability"],
      },
    ],
  },
  {
    id: "ielts-task2",
    name: "IELTS Writing Task 2",
    summary: "Task response, coherence and cohesion, lexical resource, grammatical range and accuracy; bands 0–9.",
    scale: { min: 0, max: 9, step: 0.5, unit: "band" },
    lowAgreementSpread: 1.5,
    targetWords: { min: 250, ideal: 300 },
    // IELTS averages the four criteria and rounds to the nearest half band (x.25 up to x.5, x.75 up).
    overall: (scores) => Math.floor(mean(scores) * 2 + 0.5) / 2,
    guidance:
      "Use the public IELTS Writing Task 2 band descriptors. Bands 0–9 in half bands. " +
      "An answer under 250 words loses marks in Task Response.",
    criteria: [
      {
        key: "task",
        name: "Task response",
        description: "Addresses all parts of the task with a clear position, developed and supported ideas.",
        signals: ["length", "paragraphs"],
      },
      {
        key: "coherence",
        name: "Coherence and cohesion",
        description: "Logical progression, clear paragraphing, cohesive devices used accurately and not mechanically.",
        signals: ["paragraphs", "sentences", "repetition"],
      },
      {
        key: "lexical",
        name: "Lexical resource",
        description: "Range and precision of vocabulary, collocation, spelling and word formation.",
        signals: ["vocabulary", "repetition"],
      },
      {
        key: "grammar",
        name: "Grammatical range and accuracy",
        description: "A range of structures, complex sentences, and the share of error-free sentences.",
        signals: ["sentences", "mechanics", "readability"],
      },
    ],
  },
];

export const RUBRIC_IDS = RUBRICS.map((rubric) => rubric.id) as [string, ...string[]];

export function rubricById(id: string): Rubric | undefined {
  return RUBRICS.find((rubric) => rubric.id === id);
}

/** The rubric with `id`; throws for an unknown one (stored data always names a known rubric). */
export function requireRubric(id: string): Rubric {
  const rubric = rubricById(id);
  if (!rubric) throw new Error(`Unknown rubric ${id}`);
  return rubric;
}
