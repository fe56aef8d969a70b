import { useEffect, useRef, useState } from "preact/hooks";
import { call, IdempotentRequest } from "../../shared/api";
import { Alert, Field } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDayIn, date, DEFAULT_ZONE, money, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import type { List } from "../../shared/types";
import { ct } from "../i18n";
import { errorText } from "../model";
import { orgCall } from "../workspace";
import { bindingOfField, bindingsFromTrip, buildBindings, PricingBindings, sampleBindings, type BindingValues } from "../components/PricingBindings";
import { PricingExpression } from "../components/PricingExpression";
import { PricingPreview, workOutEffects, type Effect } from "../components/PricingPreview";
import {
  instantFromLocal,
  isoInZone,
  localInputValue,
  problemsByField,
  ruleState,
  wholeNumber,
  type Evaluation,
  type ExpressionProblem,
  type PricedTrip,
  type PricingRule,
  type Quote,
  type SeatMap,
  type TripFacts,
} from "../components/PricingShared";
import "../pricing.css";

const ON_SALE = new Set(["published", "boarding"]);

/** The trip's quote for its whole route and its seat map, together. */
async function loadFacts(trip: PricedTrip): Promise<TripFacts> {
  const from = trip.stops[0]?.station;
  const to = trip.stops[trip.stops.length - 1]?.station;
  const [quote, seats] = await Promise.all([
    call<Quote>(endpoints.quote, { body: { trip_id: trip.id, from, to } }),
    call<SeatMap>(endpoints.seats, { params: { trip_id: trip.id }, query: { from, to } }),
  ]);
  return { trip, quote: quote.body, seats: seats.body };
}

const evaluate = async (expression: string, bindings: Record<string, unknown>) =>
  (await orgCall<Evaluation>(endpoints.evaluatePricing, { body: { expression, bindings } })).body;

/** "The expression failed: 1:7: division by zero" → line 1, column 7, "division by zero". */
function failedAt(detail: string): ExpressionProblem {
  const found = /(\d+):(\d+): (.*)$/s.exec(detail);
  return found ? { line: Number(found[1]), column: Number(found[2]), message: found[3] } : { message: detail };
}

/** What a worked-out preview was worked out for: the trip's quote and the draft. */
const previewKey = (facts: TripFacts | null, priority: number, when: string, adjust: string) =>
  JSON.stringify([facts?.trip.id, facts?.quote.at, priority, when, adjust]);

function focusInvalid() {
  setTimeout(() => {
    document.querySelector<HTMLElement>(".rule-form [aria-invalid='true']")?.focus();
  }, 0);
}

function showValue(result: Evaluation): string {
  return typeof result.value === "string" ? JSON.stringify(result.value) : JSON.stringify(result.value) ?? "null";
}

/**
 * A pricing rule written and tried in one place: its fields and CEL expressions (the server's
 * problems shown at their line and column), a preview of a trip's prices now and with the rule
 * as drafted, and a trial of any expression with editable values of the rule variables.
 */
export function PricingRuleEditorPage({ id }: { id?: string }) {
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [rules, setRules] = useState<PricingRule[]>([]);
  const [rule, setRule] = useState<PricingRule | null>(null);
  const [name, setName] = useState("");
  const [priority, setPriority] = useState("100");
  const [active, setActive] = useState(true);
  const [validFrom, setValidFrom] = useState("");
  const [validTo, setValidTo] = useState("");
  const [when, setWhen] = useState("");
  const [adjust, setAdjust] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [exprProblems, setExprProblems] = useState<Record<string, ExpressionProblem[]>>({});
  const [busy, setBusy] = useState(false);
  const [request] = useState(() => new IdempotentRequest());

  const [trips, setTrips] = useState<PricedTrip[]>([]);
  const [tripId, setTripId] = useState("");
  const [facts, setFacts] = useState<TripFacts | null>(null);
  const [factsLoading, setFactsLoading] = useState(false);
  const [previewProblem, setPreviewProblem] = useState<string | null>(null);
  const [effects, setEffects] = useState<{ key: string; list: Effect[] } | null>(null);
  const effectSeq = useRef(0);
  const pickSeq = useRef(0);

  const [trial, setTrial] = useState("");
  const [values, setValues] = useState<BindingValues>({});
  const [bindingErrors, setBindingErrors] = useState<Record<string, string>>({});
  const [trialProblems, setTrialProblems] = useState<ExpressionProblem[]>([]);
  const [trialProblem, setTrialProblem] = useState<string | null>(null);
  const [result, setResult] = useState<Evaluation | null>(null);
  const [trying, setTrying] = useState(false);

  const draftPriority = wholeNumber(priority) ?? 0;
  const draftKey = previewKey(facts, draftPriority, when, adjust);
  const drafted = when.trim() !== "" && adjust.trim() !== "";

  // Everything the page shows, then drawn at once.
  useEffect(() => {
    (async () => {
      const today = calendarDayIn(DEFAULT_ZONE);
      const [all, one, found] = await Promise.all([
        orgCall<List<PricingRule>>(endpoints.pricingRules),
        id ? orgCall<PricingRule>(endpoints.pricingRule, { params: { id } }) : Promise.resolve(null),
        orgCall<List<PricedTrip>>(endpoints.orgTrips, {
          query: { from_date: today, to_date: calendarDayIn(DEFAULT_ZONE, 3), limit: 100 },
        }).catch(() => null),
      ]);
      const now = Date.now();
      const upcoming = (found?.body.items ?? []).filter((t) => ON_SALE.has(t.status) && Date.parse(t.departure) > now);
      let first: TripFacts | null = null;
      let firstProblem: string | null = null;
      if (upcoming.length > 0) {
        try {
          first = await loadFacts(upcoming[0]);
        } catch (error) {
          firstProblem = errorText(error);
        }
      }
      const current = one?.body ?? null;
      let firstEffects: { key: string; list: Effect[] } | null = null;
      if (current && first) {
        try {
          const list = await workOutEffects(first, { id: current.id, priority: current.priority, when: current.when, adjust: current.adjust }, all.body.items, evaluate);
          firstEffects = { key: previewKey(first, current.priority, current.when, current.adjust), list };
        } catch {
          firstEffects = null;
        }
      }
      const category = first?.quote.categories[0];
      setRules(all.body.items);
      if (current) {
        setRule(current);
        setName(current.name);
        setPriority(String(current.priority));
        setActive(current.active);
        setValidFrom(localInputValue(current.valid_from, DEFAULT_ZONE));
        setValidTo(localInputValue(current.valid_to, DEFAULT_ZONE));
        setWhen(current.when);
        setAdjust(current.adjust);
        setTrial(current.when);
      } else {
        // After the rules there are: a new rule applies last unless told otherwise.
        const highest = all.body.items.reduce((top, r) => Math.max(top, r.priority), 0);
        setPriority(String(all.body.items.length ? highest + 10 : 100));
      }
      setTrips(upcoming);
      setTripId(upcoming[0]?.id ?? "");
      setFacts(first);
      setPreviewProblem(firstProblem);
      setEffects(firstEffects);
      setValues(first && category ? bindingsFromTrip(first, category, category.base) : sampleBindings());
      setLoaded(true);
    })().catch((error) => setProblem(errorText(error)));
  }, [id]);

  // The preview follows the draft: a moment after the typing stops, its effect is worked out.
  useEffect(() => {
    if (!loaded || !facts || !drafted) return;
    if (effects?.key === draftKey) return;
    const mine = ++effectSeq.current;
    const timer = setTimeout(() => {
      workOutEffects(facts, { id, priority: draftPriority, when, adjust }, rules, evaluate)
        .then((list) => {
          if (mine === effectSeq.current) setEffects({ key: draftKey, list });
        })
        .catch((error) => {
          if (mine === effectSeq.current) setPreviewProblem(errorText(error));
        });
    }, 350);
    return () => clearTimeout(timer);
  }, [loaded, draftKey]);

  async function pickTrip(next: string) {
    const trip = trips.find((t) => t.id === next);
    if (!trip) return;
    const mine = ++pickSeq.current;
    setTripId(next);
    setFactsLoading(true);
    setPreviewProblem(null);
    try {
      const loaded = await loadFacts(trip);
      if (mine !== pickSeq.current) return;
      setFacts(loaded);
      setFactsLoading(false);
    } catch (error) {
      if (mine !== pickSeq.current) return;
      setFacts(null);
      setPreviewProblem(errorText(error));
      setFactsLoading(false);
    }
  }

  function fillFromTrip() {
    const category = facts?.quote.categories[0];
    if (!facts || !category) return;
    setValues(bindingsFromTrip(facts, category, category.base));
    setBindingErrors({});
  }

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    const found: Record<string, string> = {};
    const expr: Record<string, ExpressionProblem[]> = {};
    if (!name.trim()) found.name = ct("pricing.nameNeeded");
    const rank = priority.trim() === "" ? 0 : wholeNumber(priority);
    if (rank === null || Math.abs(rank) > 1_000_000) found.priority = ct("pricing.priorityInvalid");
    if (!when.trim()) expr.when = [{ message: ct("pricing.whenNeeded") }];
    if (!adjust.trim()) expr.adjust = [{ message: ct("pricing.adjustNeeded") }];
    const from = validFrom ? instantFromLocal(validFrom, DEFAULT_ZONE) : null;
    const to = validTo ? instantFromLocal(validTo, DEFAULT_ZONE) : null;
    if (validFrom && from === null) found.valid_from = ct("pricing.timeInvalid");
    if (validTo && to === null) found.valid_to = ct("pricing.timeInvalid");
    if (from !== null && to !== null && to <= from) found.valid_to = ct("pricing.toAfterFrom");
    setErrors(found);
    setExprProblems(expr);
    if (Object.keys(found).length || Object.keys(expr).length) return focusInvalid();

    const body = {
      name: name.trim(),
      priority: rank ?? 0,
      when,
      adjust,
      active,
      ...(from !== null ? { valid_from: isoInZone(from, DEFAULT_ZONE) } : {}),
      ...(to !== null ? { valid_to: isoInZone(to, DEFAULT_ZONE) } : {}),
    };
    setBusy(true);
    try {
      const answer = id
        ? await orgCall<PricingRule>(endpoints.changePricingRule, { params: { id }, body })
        : await orgCall<PricingRule>(endpoints.createPricingRule, { body, idempotencyKey: request.keyFor(body) });
      navigate(`/console/pricing?saved=${encodeURIComponent(answer.body.id)}`);
    } catch (error) {
      const byField = problemsByField(error);
      const fields: Record<string, string> = {};
      const located: Record<string, ExpressionProblem[]> = {};
      for (const [field, list] of Object.entries(byField)) {
        if (field === "when" || field === "adjust") located[field] = list;
        else fields[field] = list.map((p) => p.message).join(" ");
      }
      setErrors(fields);
      setExprProblems(located);
      if (error instanceof ApiError && error.code === "invalid_expression") setProblem(ct("pricing.expressionRefused"));
      else if (error instanceof ApiError && error.code === "too_many_rules") setProblem(ct("pricing.tooMany"));
      else if (error instanceof ApiError && error.code === "concurrent_update") setProblem(ct("pricing.concurrent"));
      else if (error instanceof ApiError && error.code === "rule_not_found") setProblem(ct("pricing.gone"));
      else if (Object.keys(byField).length) setProblem(ct("pricing.fieldsRefused"));
      else setProblem(errorText(error));
      focusInvalid();
    } finally {
      setBusy(false);
    }
  }

  async function tryIt(event: Event) {
    event.preventDefault();
    setTrialProblem(null);
    setTrialProblems([]);
    setResult(null);
    const { bindings, errors: unread } = buildBindings(values);
    setBindingErrors(unread);
    if (Object.keys(unread).length) return;
    if (!trial.trim()) {
      setTrialProblems([{ message: ct("pricing.trialEmpty") }]);
      return;
    }
    setTrying(true);
    try {
      setResult(await evaluate(trial, bindings));
    } catch (error) {
      const byField = problemsByField(error);
      const named: Record<string, string> = {};
      for (const [field, list] of Object.entries(byField)) {
        const variable = bindingOfField(field);
        if (variable) named[variable] = list.map((p) => p.message).join(" ");
      }
      setBindingErrors(named);
      if (byField.expression) setTrialProblems(byField.expression);
      else if (error instanceof ApiError && error.code === "evaluation_error") {
        setTrialProblems([failedAt(error.message.replace(/^The expression failed: /, ""))]);
        setTrialProblem(ct("pricing.trialFailed"));
      } else if (Object.keys(named).length) setTrialProblem(ct("pricing.trialBindings"));
      else setTrialProblem(errorText(error));
    } finally {
      setTrying(false);
    }
  }

  if (!loaded) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const from = validFrom ? instantFromLocal(validFrom, DEFAULT_ZONE) : null;
  const to = validTo ? instantFromLocal(validTo, DEFAULT_ZONE) : null;
  const state = ruleState({
    active,
    valid_from: from !== null ? new Date(from).toISOString() : null,
    valid_to: to !== null ? new Date(to).toISOString() : null,
  });
  const currency = facts?.quote.currency ?? "BDT";
  const place = (ms: number) => `${date(new Date(ms).toISOString(), DEFAULT_ZONE)} ${time(new Date(ms).toISOString(), DEFAULT_ZONE)}`;

  return (
    <section class="rule-page">
      <p class="crumbs">
        <a href="/console/pricing">{ct("pricing.title")}</a>
      </p>
      <h1>{rule ? ct("pricing.editTitle", { name: rule.name }) : ct("pricing.newTitle")}</h1>
      {rule ? <p class="muted small">{ct("pricing.version", { n: rule.version, updated: place(Date.parse(rule.updated_at)) })}</p> : null}
      <div class="rule-layout">
        <form class="rule-form card" onSubmit={save} noValidate aria-labelledby="rule-form-title">
          <h2 id="rule-form-title">{ct("pricing.theRule")}</h2>
          <div class="row wrap">
            <Field id="rule-name" label={ct("pricing.name")} error={errors.name}>
              <input id="rule-name" value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <Field id="rule-priority" label={ct("pricing.priority")} error={errors.priority} narrow>
              <input id="rule-priority" inputMode="numeric" value={priority} aria-describedby="rule-priority-hint" onInput={(e) => setPriority(e.currentTarget.value)} />
            </Field>
          </div>
          <p class="hint" id="rule-priority-hint">
            {ct("pricing.priorityHint")}
          </p>
          <label class="check">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
            {ct("pricing.active")}
          </label>
          <fieldset class="validity">
            <legend>{ct("pricing.validity")}</legend>
            <p class="hint">{ct("pricing.validityHint")}</p>
            <div class="row wrap">
              <Field id="rule-from" label={ct("pricing.validFrom")} error={errors.valid_from}>
                <input id="rule-from" type="datetime-local" value={validFrom} onInput={(e) => setValidFrom(e.currentTarget.value)} />
              </Field>
              <Field id="rule-to" label={ct("pricing.validTo")} error={errors.valid_to}>
                <input id="rule-to" type="datetime-local" value={validTo} onInput={(e) => setValidTo(e.currentTarget.value)} />
              </Field>
            </div>
          </fieldset>
          <PricingExpression
            id="rule-when"
            label={ct("pricing.when")}
            hint={
              <>
                {ct("pricing.whenHint")} <code>trip.hours_to_departure &lt; 6 &amp;&amp; occupancy &lt; 50</code>
              </>
            }
            value={when}
            problems={exprProblems.when ?? []}
            onInput={(value) => {
              setWhen(value);
              if (exprProblems.when?.length) {
                setExprProblems({ ...exprProblems, when: [] });
                if (problem === ct("pricing.expressionRefused") || problem === ct("pricing.fieldsRefused")) setProblem(null);
              }
            }}
          />
          <PricingExpression
            id="rule-adjust"
            label={ct("pricing.adjust")}
            hint={
              <>
                {ct("pricing.adjustHint")} <code>price + price / 10</code>
              </>
            }
            value={adjust}
            problems={exprProblems.adjust ?? []}
            onInput={(value) => {
              setAdjust(value);
              if (exprProblems.adjust?.length) {
                setExprProblems({ ...exprProblems, adjust: [] });
                if (problem === ct("pricing.expressionRefused") || problem === ct("pricing.fieldsRefused")) setProblem(null);
              }
            }}
          />
          <Alert text={problem} />
          <div class="actions">
            <button class="primary" disabled={busy}>
              {ct(id ? "pricing.save" : "pricing.create")}
            </button>
            <a href="/console/pricing">{ct("cancel")}</a>
          </div>
        </form>

        <section class="card rule-preview" aria-labelledby="preview-title">
          <h2 id="preview-title">{ct("pricing.previewTitle")}</h2>
          <p class="hint">{ct("pricing.previewLead")}</p>
          {state === "off" ? <p class="notice-box small">{ct("pricing.stateOff")}</p> : null}
          {state === "later" && from !== null ? <p class="notice-box small">{ct("pricing.stateLater", { from: place(from) })}</p> : null}
          {state === "ended" && to !== null ? <p class="notice-box small">{ct("pricing.stateEnded", { to: place(to) })}</p> : null}
          <PricingPreview
            trips={trips}
            tripId={tripId}
            facts={facts}
            effects={effects?.key === draftKey ? effects.list : null}
            drafted={drafted}
            loading={factsLoading}
            problem={previewProblem}
            onPick={(next) => void pickTrip(next)}
          />
          <p class="small muted">{ct("pricing.previewNote")}</p>
        </section>
      </div>

      <section class="card rule-trial" aria-labelledby="trial-title">
        <h2 id="trial-title">{ct("pricing.trialTitle")}</h2>
        <p class="hint">{ct("pricing.trialLead")}</p>
        <form onSubmit={tryIt} noValidate>
          <PricingExpression id="trial-expression" label={ct("pricing.trialExpression")} value={trial} problems={trialProblems} minRows={2} onInput={setTrial} />
          <div class="actions trial-copy">
            <button type="button" class="secondary" onClick={() => setTrial(when)} disabled={!when.trim()}>
              {ct("pricing.useWhen")}
            </button>
            <button type="button" class="secondary" onClick={() => setTrial(adjust)} disabled={!adjust.trim()}>
              {ct("pricing.useAdjust")}
            </button>
            {facts?.quote.categories.length ? (
              <button type="button" class="link" onClick={fillFromTrip}>
                {ct("pricing.fillFromTrip")}
              </button>
            ) : null}
          </div>
          <PricingBindings
            values={values}
            errors={bindingErrors}
            onChange={(variable, value) => {
              setValues({ ...values, [variable]: value });
              if (bindingErrors[variable]) setBindingErrors({ ...bindingErrors, [variable]: "" });
            }}
          />
          <p class="small muted">{ct("pricing.trialZone")}</p>
          <div class="actions">
            <button class="primary" disabled={trying}>
              {ct("pricing.tryIt")}
            </button>
          </div>
          <div class="trial-result" role="status">
            {result ? (
              <p>
                <strong>{ct("pricing.result")}</strong> <code class="result-value">{showValue(result)}</code>{" "}
                <span class="muted">{ct("pricing.resultType", { type: result.type })}</span>
                {result.type === "int" && typeof result.value === "number" && /\bprice\b/.test(trial) ? (
                  <span> · {ct("pricing.asPrice", { price: money(result.value, currency) })}</span>
                ) : null}
              </p>
            ) : null}
            {trialProblem ? <p class="problem">{trialProblem}</p> : null}
          </div>
        </form>
      </section>
    </section>
  );
}
