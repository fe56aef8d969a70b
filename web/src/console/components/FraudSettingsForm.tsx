import { useState } from "preact/hooks";
import { Alert, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { ct, type ConsoleKey } from "../i18n";
import { errorText } from "../model";
import { orgCall } from "../workspace";
import { HintedField, serverWords } from "./RoomField";

/** One signal's rule as GET /v1/fraud/settings answers it (no window for the unwindowed). */
export interface SignalRule {
  enabled: boolean;
  weight: number;
  threshold: number;
  window_minutes?: number;
}

export interface FraudSettings {
  review_score: number;
  deny_score: number;
  review_minutes: number;
  rules: Record<string, SignalRule>;
}

/** The signals in the order the fraud service lists them (services/fraud/domain/risk_settings.h). */
export const SIGNALS = [
  "card_velocity",
  "email_velocity",
  "address_velocity",
  "buyer_velocity",
  "recent_declines",
  "seats_of_capacity",
  "buyer_share_of_trip",
  "new_buyer_many_seats",
  "total_above_usual",
  "distinct_cards",
] as const;

/** A signal's name in words; a signal this console does not know yet by its API name. */
export function signalName(signal: string): string {
  const key = `fraud.signal.${signal}` as ConsoleKey;
  const words = ct(key);
  return words === key ? signal.replace(/_/g, " ") : words;
}

function signalUnit(signal: string): string {
  const key = `fraud.unit.${signal}` as ConsoleKey;
  const words = ct(key);
  return words === key ? "" : words;
}

interface RuleForm {
  enabled: boolean;
  weight: string;
  threshold: string;
  window_minutes?: string;
}

interface Form {
  review_score: string;
  deny_score: string;
  review_minutes: string;
  rules: Record<string, RuleForm>;
}

function formOf(settings: FraudSettings): Form {
  const rules: Record<string, RuleForm> = {};
  for (const [signal, rule] of Object.entries(settings.rules)) {
    rules[signal] = {
      enabled: rule.enabled,
      weight: String(rule.weight),
      threshold: String(rule.threshold),
      window_minutes: rule.window_minutes === undefined ? undefined : String(rule.window_minutes),
    };
  }
  return {
    review_score: String(settings.review_score),
    deny_score: String(settings.deny_score),
    review_minutes: String(settings.review_minutes),
    rules,
  };
}

/** The signals of `settings` in the fraud service's order, any it added since at the end. */
function orderedSignals(rules: Record<string, unknown>): string[] {
  const known = SIGNALS.filter((s) => s in rules) as string[];
  return [...known, ...Object.keys(rules).filter((s) => !known.includes(s)).sort()];
}

const fieldId = (field: string) => `fraud-${field.replace(/[._]/g, "-")}`;

/**
 * The organization's fraud settings (owners and admins): the scores that hold an order for
 * review and deny it, the time staff have to decide, and each signal's weight, threshold and
 * window; saved whole with PUT, the server's field errors shown at their inputs.
 */
export function FraudSettingsForm({ initial, onSaved }: { initial: FraudSettings; onSaved?: (settings: FraudSettings) => void }) {
  const [form, setForm] = useState<Form>(() => formOf(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signals = orderedSignals(form.rules);

  const setTop = (field: "review_score" | "deny_score" | "review_minutes", value: string) => setForm({ ...form, [field]: value });
  const setRule = (signal: string, change: Partial<RuleForm>) =>
    setForm({ ...form, rules: { ...form.rules, [signal]: { ...form.rules[signal], ...change } } });

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    setNote(null);
    const found: Record<string, string> = {};
    const whole = (field: string, text: string): number => {
      const value = text.trim();
      if (!/^-?\d+$/.test(value)) found[field] = ct("rooms.err.whole");
      return Number(value);
    };
    const rules: Record<string, SignalRule> = {};
    for (const signal of signals) {
      const rule = form.rules[signal];
      rules[signal] = {
        enabled: rule.enabled,
        weight: whole(`rules.${signal}.weight`, rule.weight),
        threshold: whole(`rules.${signal}.threshold`, rule.threshold),
        ...(rule.window_minutes === undefined ? {} : { window_minutes: whole(`rules.${signal}.window_minutes`, rule.window_minutes) }),
      };
    }
    const body: FraudSettings = {
      review_score: whole("review_score", form.review_score),
      deny_score: whole("deny_score", form.deny_score),
      review_minutes: whole("review_minutes", form.review_minutes),
      rules,
    };
    if (Object.keys(found).length > 0) {
      setErrors(found);
      return focusFirstError();
    }
    setErrors({});
    setBusy(true);
    try {
      const answer = await orgCall<FraudSettings>(endpoints.setFraudSettings, { body });
      setForm(formOf(answer.body));
      setNote(ct("fraud.settingsSaved"));
      onSaved?.(answer.body);
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) {
        const fields: Record<string, string> = {};
        const elsewhere: string[] = [];
        for (const e of error.problem.errors) {
          const shown = document.getElementById(fieldId(e.field)) !== null;
          if (shown) fields[e.field] ??= serverWords(e.message);
          else elsewhere.push(`${e.field}: ${serverWords(e.message)}`);
        }
        setErrors(fields);
        setProblem(elsewhere.length > 0 ? elsewhere.join(" ") : ct("fraud.fixFields"));
        focusFirstError();
      } else setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const numberInput = (field: string, value: string, onValue: (v: string) => void, limits: { min: number; max: number }, extra = "") => (
    <input
      id={fieldId(field)}
      type="number"
      inputMode="numeric"
      step={1}
      min={limits.min}
      max={limits.max}
      class={`score-input ${extra}`}
      value={value}
      onInput={(e) => onValue(e.currentTarget.value)}
    />
  );

  return (
    <form class="card fraud-settings" onSubmit={save} noValidate aria-labelledby="fraud-settings-title">
      <h2 id="fraud-settings-title">{ct("fraud.settingsTitle")}</h2>
      <p>{ct("fraud.settingsLead")}</p>
      <div class="row wrap">
        <HintedField id={fieldId("review_score")} label={ct("fraud.reviewScore")} hint={ct("fraud.reviewScoreHint")} error={errors.review_score}>
          {numberInput("review_score", form.review_score, (v) => setTop("review_score", v), { min: 1, max: 100 })}
        </HintedField>
        <HintedField id={fieldId("deny_score")} label={ct("fraud.denyScore")} hint={ct("fraud.denyScoreHint")} error={errors.deny_score}>
          {numberInput("deny_score", form.deny_score, (v) => setTop("deny_score", v), { min: 1, max: 100 })}
        </HintedField>
        <HintedField id={fieldId("review_minutes")} label={ct("fraud.reviewMinutes")} hint={ct("fraud.reviewMinutesHint")} error={errors.review_minutes}>
          {numberInput("review_minutes", form.review_minutes, (v) => setTop("review_minutes", v), { min: 5, max: 7 * 24 * 60 })}
        </HintedField>
      </div>

      <div class="table-scroll">
        <table class="table signals">
          <caption>{ct("fraud.signalsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{ct("fraud.signal")}</th>
              <th scope="col">{ct("fraud.enabled")}</th>
              <th scope="col">{ct("fraud.weight")}</th>
              <th scope="col">{ct("fraud.threshold")}</th>
              <th scope="col">{ct("fraud.window")}</th>
            </tr>
          </thead>
          <tbody>
            {signals.map((signal) => {
              const rule = form.rules[signal];
              const label = signalName(signal);
              const field = (part: string) => `rules.${signal}.${part}`;
              return (
                <tr key={signal} data-signal={signal}>
                  <th scope="row">
                    {label}
                    <span class="hint signal-hint">{ct(`fraud.signalHint.${signal}` as ConsoleKey)}</span>
                  </th>
                  <td>
                    <label class="check">
                      <input type="checkbox" checked={rule.enabled} onChange={(e) => setRule(signal, { enabled: e.currentTarget.checked })} />
                      <span class="sr-only">{ct("fraud.enabledOf", { signal: label })}</span>
                    </label>
                  </td>
                  <td>
                    <HintedField id={fieldId(field("weight"))} label={ct("fraud.weightOf", { signal: label })} hiddenLabel error={errors[field("weight")]}>
                      {numberInput(field("weight"), rule.weight, (v) => setRule(signal, { weight: v }), { min: 0, max: 100 })}
                    </HintedField>
                  </td>
                  <td>
                    <div class="with-unit">
                      <HintedField id={fieldId(field("threshold"))} label={ct("fraud.thresholdOf", { signal: label })} hiddenLabel error={errors[field("threshold")]}>
                        {numberInput(field("threshold"), rule.threshold, (v) => setRule(signal, { threshold: v }), { min: 1, max: 1_000_000 })}
                      </HintedField>
                      <span class="unit">{signalUnit(signal)}</span>
                    </div>
                  </td>
                  <td>
                    {rule.window_minutes === undefined ? (
                      <span class="muted">{ct("fraud.noWindow")}</span>
                    ) : (
                      <HintedField id={fieldId(field("window_minutes"))} label={ct("fraud.windowOf", { signal: label })} hiddenLabel error={errors[field("window_minutes")]}>
                        {numberInput(field("window_minutes"), rule.window_minutes, (v) => setRule(signal, { window_minutes: v }), { min: 1, max: 30 * 24 * 60 })}
                      </HintedField>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Alert text={problem} />
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      <div class="actions">
        <button class="primary" disabled={busy}>
          {ct("fraud.saveSettings")}
        </button>
      </div>
    </form>
  );
}
