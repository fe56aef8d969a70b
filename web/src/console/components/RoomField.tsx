import { cloneElement, isValidElement, type ComponentChildren } from "preact";
import { ct } from "../i18n";

/**
 * A labelled field with a hint saying what the setting does and, when there is one, its error
 * in words right under the input; the input is described by both (and marked aria-invalid), so
 * a screen reader reads the rule and the problem. Used by the waiting-room and fraud forms.
 */
export function HintedField(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  narrow?: boolean;
  /** The label read by screen readers only (a table cell's input: the column says it). */
  hiddenLabel?: boolean;
  children: ComponentChildren;
}) {
  const { id, hint, error } = props;
  const described = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={props.narrow ? "field narrow" : "field"} data-invalid={error ? "true" : undefined}>
      <label for={id} class={props.hiddenLabel ? "sr-only" : undefined}>
        {props.label}
      </label>
      {isValidElement(props.children)
        ? cloneElement(props.children, { "aria-invalid": error ? true : undefined, "aria-describedby": described })
        : props.children}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p class="hint field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A field error the server wrote (problem+json `errors[].message`, in English) in the reader's
 * language: the rules the queue and fraud services state, put in the console's words; anything
 * else as the server wrote it.
 */
export function serverWords(message: string): string {
  let found: RegExpExecArray | null;
  if ((found = /^must be (?:an integer |a number )?(?:from )?(-?\d+) to (-?\d+)$/.exec(message))) {
    return ct("rooms.err.range", { min: Number(found[1]), max: Number(found[2]) });
  }
  if ((found = /^must name 1 to (\d+) trips$/.exec(message))) return ct("rooms.err.trips", { max: Number(found[1]) });
  if (message === "must be an integer") return ct("rooms.err.whole");
  if (message === "must be 1 to 200 characters") return ct("rooms.err.name");
  if (message.startsWith("must be 3 to 64 of")) return ct("rooms.err.roomId");
  if (message === "no such trip of yours" || message === "must be a trip id") return ct("rooms.err.tripNotYours");
  if (message === "a scheduled room needs an opening time") return ct("rooms.err.opensNeeded");
  if (message === "only a scheduled room opens at a time") return ct("rooms.err.onDemandOpens");
  if (message === "must be in the future") return ct("rooms.err.future");
  if (message.startsWith("cannot change once")) return ct("rooms.err.begun");
  if (message === "must be an RFC 3339 instant") return ct("rooms.err.instant");
  if (message === "must not be above deny_score") return ct("fraud.err.reviewAboveDeny");
  if (message === "must be 5 minutes to 7 days") return ct("fraud.err.reviewMinutes");
  if (message === "must be 1 minute to 30 days") return ct("fraud.err.window");
  if (message === "must be true or false") return ct("fraud.err.boolean");
  return message;
}
