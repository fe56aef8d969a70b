import { useRef } from "preact/hooks";
import { ct } from "../i18n";
import type { ExpressionProblem } from "./PricingShared";

/** Where a line starts in the text (line counts from 1), or the end of the text. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let at = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i].length + 1;
  const here = lines[Math.min(line, lines.length) - 1] ?? "";
  // Columns count characters (code points), a string's index counts UTF-16 units.
  const before = Array.from(here).slice(0, Math.max(0, column - 1)).join("");
  return Math.min(text.length, at + before.length);
}

/**
 * A CEL expression in a monospace text box with its line numbers; the server's problems are
 * written under it in words ("Line 2, column 7: …"), the line is marked, a caret under the
 * copied line points at the column, and a button puts the cursor there.
 */
export function PricingExpression(props: {
  id: string;
  label: string;
  hint?: preact.ComponentChildren;
  value: string;
  problems: ExpressionProblem[];
  onInput: (value: string) => void;
  minRows?: number;
}) {
  const box = useRef<HTMLTextAreaElement>(null);
  const lines = props.value.split("\n");
  const rows = Math.max(props.minRows ?? 3, lines.length);
  const badLines = new Set(props.problems.map((p) => p.line).filter((l): l is number => l !== undefined && l <= lines.length));
  const described = [props.hint ? `${props.id}-hint` : "", props.problems.length ? `${props.id}-error` : ""].filter(Boolean).join(" ");

  const goTo = (problem: ExpressionProblem) => {
    const area = box.current;
    if (!area || problem.line === undefined) return;
    const at = offsetOf(props.value, problem.line, problem.column ?? 1);
    area.focus();
    area.setSelectionRange(at, Math.min(at + 1, props.value.length));
  };

  return (
    <div class="field expr-field" data-invalid={props.problems.length ? "true" : undefined}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <div class="code-box">
        <ol class="gutter" aria-hidden="true">
          {Array.from({ length: rows }, (_, i) => (
            <li key={i} class={badLines.has(i + 1) ? "bad" : undefined}>
              {i < lines.length ? i + 1 : ""}
            </li>
          ))}
        </ol>
        <div class="code-area">
          {[...badLines].map((line) => (
            <span key={line} class="line-mark" aria-hidden="true" style={`top: calc(0.5rem + ${line - 1} * 1.5em)`} />
          ))}
          <textarea
            ref={box}
            id={props.id}
            class="code"
            rows={rows}
            wrap="off"
            spellcheck={false}
            autoComplete="off"
            autoCapitalize="off"
            value={props.value}
            aria-invalid={props.problems.length ? true : undefined}
            aria-describedby={described || undefined}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        </div>
      </div>
      {props.problems.length ? (
        <div class="expr-problems" id={`${props.id}-error`}>
          {props.problems.map((problem, i) => {
            const where = problem.line !== undefined;
            const text = lines[(problem.line ?? 1) - 1] ?? "";
            const column = Math.max(1, problem.column ?? 1);
            return (
              <div class="expr-problem" key={i} data-line={problem.line} data-column={problem.column}>
                <p class="error">
                  {where
                    ? ct("pricing.errorAt", { line: problem.line!, column, message: problem.message })
                    : problem.message}
                </p>
                {where ? (
                  <>
                    <pre class="caret" aria-hidden="true">
                      <span class="caret-no">{String(problem.line)}</span>
                      {` ${text}\n`}
                      <span class="caret-no">{" ".repeat(String(problem.line).length)}</span>
                      {` ${" ".repeat(Math.max(0, Math.min(column - 1, Array.from(text).length)))}`}
                      <span class="caret-mark">^</span>
                    </pre>
                    <button type="button" class="link small" onClick={() => goTo(problem)}>
                      {ct("pricing.goTo", { line: problem.line!, column })}
                    </button>
                  </>
                ) : null}
              </div>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
