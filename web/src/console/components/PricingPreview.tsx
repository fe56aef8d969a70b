import { date, money, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { ct } from "../i18n";
import { errorText } from "../model";
import { bindingsFromTrip, buildBindings } from "./PricingBindings";
import { problemsByField, type Evaluation, type PricedTrip, type PricingRule, type TripFacts } from "./PricingShared";

/** What the rule being edited does to one seat category of the previewed trip. */
export interface Effect {
  category: string;
  /** The price the rule starts from: the fare after the saved rules that come before it. */
  start: number;
  applies: boolean | null;
  /** The price after the rule (and the saved rules after it that applied); null when not worked out. */
  final: number | null;
  problem?: string;
}

export interface Draft {
  id?: string;
  priority: number;
  when: string;
  adjust: string;
}

type Evaluate = (expression: string, bindings: Record<string, unknown>) => Promise<Evaluation>;

function problemText(error: unknown, part: string): string {
  const found = problemsByField(error).expression?.[0];
  if (found && found.line !== undefined) {
    return ct("pricing.previewPartProblem", {
      part,
      problem: ct("pricing.errorAt", { line: found.line, column: found.column ?? 1, message: found.message }),
    });
  }
  return ct("pricing.previewPartProblem", { part, problem: error instanceof ApiError ? error.message : errorText(error) });
}

/**
 * The draft's effect on every category of the trip's quote: it starts from the price the saved
 * rules before it (by priority) left, its condition and new price are tried with the trip's
 * values, and the saved rules after it that applied turn the result as they turned the old one.
 */
export async function workOutEffects(facts: TripFacts, draft: Draft, rules: PricingRule[], evaluate: Evaluate): Promise<Effect[]> {
  const now = Date.now();
  const priorityOf = (id: string) => rules.find((r) => r.id === id)?.priority ?? 0;
  return Promise.all(
    facts.quote.categories.map(async (category): Promise<Effect> => {
      const applied = category.applied.filter((a) => a.rule_id !== draft.id);
      const before = applied.filter((a) => priorityOf(a.rule_id) <= draft.priority);
      const after = applied.filter((a) => priorityOf(a.rule_id) > draft.priority);
      const start = before.length ? before[before.length - 1].after : category.base;
      const effect: Effect = { category: category.category, start, applies: null, final: null };
      const { bindings } = buildBindings(bindingsFromTrip(facts, category, start, now));
      let condition: Evaluation;
      try {
        condition = await evaluate(draft.when, bindings);
      } catch (error) {
        return { ...effect, problem: problemText(error, ct("pricing.when")) };
      }
      if (condition.type !== "bool") return { ...effect, problem: ct("pricing.previewNotBool", { type: condition.type }) };
      let price = start;
      if (condition.value === true) {
        try {
          const adjusted = await evaluate(draft.adjust, bindings);
          if (adjusted.type !== "int" || typeof adjusted.value !== "number") {
            return { ...effect, applies: true, problem: ct("pricing.previewNotInt", { type: adjusted.type }) };
          }
          price = adjusted.value;
        } catch (error) {
          return { ...effect, applies: true, problem: problemText(error, ct("pricing.adjust")) };
        }
        if (price < 0) return { ...effect, applies: true, problem: ct("pricing.previewNegative") };
      }
      for (const later of after) {
        const rule = rules.find((r) => r.id === later.rule_id);
        if (!rule) continue;
        try {
          const next = await evaluate(rule.adjust, { ...bindings, price });
          if (next.type === "int" && typeof next.value === "number") price = next.value;
        } catch {
          // Pricing skips a rule that fails; so does the preview.
        }
      }
      return { ...effect, applies: condition.value === true, final: price };
    }),
  );
}

export function tripLabel(trip: PricedTrip): string {
  const zone = trip.stops[0]?.zone;
  return `${date(trip.departure, zone)} ${time(trip.departure, zone)} · ${trip.route_name}`;
}

/** The trip picker and, per seat category, the price now and the price with the rule as drafted. */
export function PricingPreview(props: {
  trips: PricedTrip[];
  tripId: string;
  facts: TripFacts | null;
  effects: Effect[] | null;
  drafted: boolean;
  loading: boolean;
  problem: string | null;
  onPick: (tripId: string) => void;
}) {
  const { facts, effects } = props;
  if (props.trips.length === 0) return <p class="muted">{ct("pricing.previewNoTrips")}</p>;
  return (
    <>
      <div class="field">
        <label for="preview-trip">{ct("pricing.previewTrip")}</label>
        <select id="preview-trip" value={props.tripId} onChange={(e) => props.onPick(e.currentTarget.value)}>
          {props.trips.map((trip) => (
            <option key={trip.id} value={trip.id}>
              {tripLabel(trip)}
            </option>
          ))}
        </select>
      </div>
      {props.problem ? (
        <p class="problem" role="alert">
          {props.problem}
        </p>
      ) : null}
      <div aria-busy={props.loading}>
        {props.loading ? (
          <p class="muted">{ct("loading")}</p>
        ) : !facts ? null : (
          <>
            <p class="small muted">
              {ct("pricing.previewJourney", { from: facts.quote.from, to: facts.quote.to, time: time(facts.quote.at, facts.trip.stops[0]?.zone) })}
            </p>
            <table class="table preview-table" data-trip={facts.trip.id}>
              <caption class="sr-only">{ct("pricing.previewCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{ct("pricing.previewCategory")}</th>
                  <th scope="col" class="num">
                    {ct("pricing.previewFare")}
                  </th>
                  <th scope="col">{ct("pricing.previewNow")}</th>
                  <th scope="col">{ct("pricing.previewDraft")}</th>
                </tr>
              </thead>
              <tbody>
                {facts.quote.categories.map((category) => {
                  const effect = effects?.find((e) => e.category === category.category);
                  const currency = category.currency || facts.quote.currency;
                  return (
                    <tr key={category.category} data-category={category.category}>
                      <td>
                        <strong>{category.category}</strong>
                        <div class="small muted">{ct("pricing.previewFree", { n: category.available, seat: category.seat })}</div>
                      </td>
                      <td class="num">{money(category.base, currency)}</td>
                      <td class="price-now">
                        <strong>{money(category.price, currency)}</strong>
                        <ul class="applied small">
                          {category.applied.map((a) => (
                            <li key={a.rule_id}>
                              {ct("pricing.previewApplied", { name: a.name, before: money(a.before, currency), after: money(a.after, currency) })}
                            </li>
                          ))}
                          {(category.skipped ?? []).map((s) => (
                            <li key={s.rule_id} class="skipped">
                              {ct("pricing.previewSkipped", { name: s.name })}
                            </li>
                          ))}
                          {category.applied.length === 0 && !category.skipped?.length ? <li class="muted">{ct("pricing.previewNoRules")}</li> : null}
                        </ul>
                        {category.refused ? <p class="small problem">{ct("pricing.previewRefused")}</p> : null}
                      </td>
                      <td class="price-draft">
                        {!props.drafted ? (
                          <span class="muted">{ct("pricing.previewWrite")}</span>
                        ) : !effect ? (
                          <span class="muted">{ct("pricing.previewWorking")}</span>
                        ) : effect.problem ? (
                          <p class="small problem">{effect.problem}</p>
                        ) : effect.final === null ? (
                          <span class="muted">—</span>
                        ) : (
                          <>
                            <strong>{money(effect.final, currency)}</strong>
                            <div class="small">
                              {effect.applies
                                ? ct("pricing.previewApplies", { from: money(effect.start, currency) })
                                : ct("pricing.previewNotApplies", { from: money(effect.start, currency) })}
                            </div>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </div>
    </>
  );
}
