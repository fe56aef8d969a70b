import { cloneElement, isValidElement, type ComponentChildren } from "preact";

/**
 * A labelled form field with its error in words right under it; the input is marked
 * aria-invalid and described by the error, so a screen reader reads both.
 */
export function Field(props: {
  id: string;
  label: string;
  error?: string;
  narrow?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={props.narrow ? "field narrow" : "field"} data-invalid={props.error ? "true" : undefined}>
      <label for={props.id}>{props.label}</label>
      {isValidElement(props.children) && props.error
        ? cloneElement(props.children, { "aria-invalid": true, "aria-describedby": `${props.id}-error` })
        : props.children}
      {props.error ? (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function focusFirstError() {
  setTimeout(() => {
    const field = document.querySelector<HTMLElement>("[data-invalid] input, [data-invalid] select");
    field?.focus();
  }, 0);
}

/** A problem no single field is to blame for, read out when it appears; nothing when null. */
export function Alert({ text }: { text: string | null }) {
  return text ? (
    <p class="problem" role="alert">
      {text}
    </p>
  ) : null;
}

/** Loose on purpose: the server and the mail system have the last word on an address. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
