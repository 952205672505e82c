// A finished grade: overall score, agreement between graders, a chart of the scores per criterion
// and the feedback. An offline estimate says so plainly.
import type { GradeResult as Result } from "~/grading/result";
import type { Rubric } from "~/grading/rubrics";

function ScoreChart({ result, rubric }: { result: Result; rubric: Rubric }) {
  const { min, max } = rubric.scale;
  const rowHeight = 34;
  const labelWidth = 190;
  const width = 640;
  const plot = width - labelWidth - 50;
  const x = (score: number) => labelWidth + ((score - min) / (max - min)) * plot;
  const height = result.criteria.length * rowHeight + 24;
  const ticks = Array.from({ length: Math.floor((max - min) / 1) + 1 }, (_, i) => min + i);
  return (
    <svg className="score-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title chart-desc">
      <title id="chart-title">Scores per criterion</title>
      <desc id="chart-desc">
        {result.criteria.map((c) => `${c.name}: ${c.score} of ${max}`).join("; ")}
      </desc>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={0} y2={height - 20} className="chart-grid" />
          <text x={x(tick)} y={height - 4} textAnchor="middle" className="chart-tick">
            {tick}
          </text>
        </g>
      ))}
      {result.criteria.map((criterion, i) => {
        const y = i * rowHeight + 8;
        return (
          <g key={criterion.key}>
            <text x={0} y={y + 14} className="chart-label">
              {criterion.name}
            </text>
            <rect x={labelWidth} y={y + 2} width={Math.max(2, x(criterion.score) - labelWidth)} height={16} rx={4} className="chart-bar" />
            {result.graders > 1
              ? criterion.scores.map((score, g) => <circle key={g} cx={x(score)} cy={y + 10} r={4} className="chart-grader" />)
              : null}
            <text x={x(criterion.score) + 8} y={y + 15} className="chart-value">
              {criterion.score}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function GradeResult({ result, rubric }: { result: Result; rubric: Rubric }) {
  const offline = result.method === "offline";
  return (
    <div className="stack" data-testid="grade-result">
      {offline ? (
        <p className="notice" role="note">
          <strong>Offline estimate.</strong> No AI grader is configured, so this grade was estimated from measurable
          features of the text (length, vocabulary, sentences, paragraphs, readability, repetition, mechanics). It
          cannot judge your argument; treat it as a rough guide.
        </p>
      ) : null}
      <div className="score-summary">
        <div className="overall">
          <span className="overall-value" data-testid="overall">
            {result.overall}
          </span>
          <span className="muted">
            {" "}
            / {rubric.scale.max} {rubric.scale.unit === "band" ? "overall band" : "overall"}
          </span>
        </div>
        {offline ? null : result.lowAgreement ? (
          <p className="agreement agreement-low" data-testid="agreement">
            Low agreement: the {result.graders} graders differed by up to {result.spread} {rubric.scale.unit} on a criterion.
            Read this grade with care.
          </p>
        ) : (
          <p className="agreement" data-testid="agreement">
            The {result.graders} graders agreed within {result.spread} {rubric.scale.unit} on every criterion.
          </p>
        )}
      </div>
      <ScoreChart result={result} rubric={rubric} />
      <p>{result.summary}</p>
      <div className="criteria">
        {result.criteria.map((criterion) => (
          <article key={criterion.key} className="criterion">
            <h3>
              {criterion.name} <span className="criterion-score">{criterion.score}</span>
              <span className="muted"> / {rubric.scale.max}</span>
            </h3>
            {result.graders > 1 ? <p className="muted">Graders: {criterion.scores.join(", ")}</p> : null}
            <p>
              <strong>Strengths.</strong> {criterion.strengths}
            </p>
            <p>
              <strong>To improve.</strong> {criterion.improvements}
            </p>
          </article>
        ))}
      </div>
    </div>
  );
}
