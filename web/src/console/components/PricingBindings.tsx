import { DEFAULT_ZONE } from "../../shared/i18n";
import { ct, type ConsoleKey } from "../i18n";
import { instantFromLocal, isoInZone, localInputValue, wholeNumber, type QuotedCategory, type TripFacts } from "./PricingShared";

type Kind = "int" | "string" | "time" | "bool" | "class";

/** The variables a rule sees (services/pricing, RuleEnv), in the order the editor lists them. */
export const RULE_VARIABLES: readonly { name: string; kind: Kind }[] = [
  { name: "price", kind: "int" },
  { name: "trip.departure", kind: "time" },
  { name: "trip.hours_to_departure", kind: "int" },
  { name: "trip.bus_class", kind: "class" },
  { name: "trip.ac", kind: "bool" },
  { name: "trip.id", kind: "string" },
  { name: "trip.route_id", kind: "string" },
  { name: "journey.from", kind: "string" },
  { name: "journey.to", kind: "string" },
  { name: "journey.legs", kind: "int" },
  { name: "seat.label", kind: "string" },
  { name: "seat.category", kind: "string" },
  { name: "seat.deck", kind: "int" },
  { name: "occupancy", kind: "int" },
  { name: "passengers", kind: "int" },
  { name: "now", kind: "time" },
];

const CLASSES = ["seater", "semi_sleeper", "sleeper"] as const;

/** The editor's values: numbers and texts as typed, times as datetime-local in Dhaka, booleans "true"/"false". */
export type BindingValues = Record<string, string>;

const inputId = (name: string) => `binding-${name.replace(/\./g, "-")}`;

/** Values for a seat of `category` on the trip, as pricing would bind them at `now`. */
export function bindingsFromTrip(facts: TripFacts, category: QuotedCategory, price: number, now = Date.now()): BindingValues {
  const { trip, quote, seats } = facts;
  const stations = trip.stops.map((s) => s.station);
  const boarding = trip.stops.find((s) => s.station === quote.from) ?? trip.stops[0];
  const departure = Date.parse(boarding?.depart_at ?? trip.departure);
  let forSale = 0;
  let taken = 0;
  let deck = 1;
  seats.decks.forEach((d, i) => {
    for (const cell of d.cells) {
      if (!cell.label) continue;
      if (cell.label === category.seat) deck = i + 1;
      if (cell.status === "blocked") continue;
      forSale++;
      if (cell.status === "held" || cell.status === "booked") taken++;
    }
  });
  return {
    price: String(price),
    "trip.departure": localInputValue(new Date(departure).toISOString(), DEFAULT_ZONE),
    "trip.hours_to_departure": String(Math.floor((departure - now) / 3_600_000)),
    "trip.bus_class": trip.bus.class ?? "seater",
    "trip.ac": String(trip.bus.ac ?? false),
    "trip.id": trip.id,
    "trip.route_id": trip.route_id,
    "journey.from": quote.from,
    "journey.to": quote.to,
    "journey.legs": String(Math.max(1, stations.indexOf(quote.to) - stations.indexOf(quote.from))),
    "seat.label": category.seat,
    "seat.category": category.category,
    "seat.deck": String(deck),
    occupancy: String(forSale === 0 ? 0 : Math.floor((taken * 100) / forSale)),
    passengers: "1",
    now: localInputValue(new Date(now).toISOString(), DEFAULT_ZONE),
  };
}

/** Values when the organization has no trip to take them from: a seat tomorrow morning. */
export function sampleBindings(now = Date.now()): BindingValues {
  const tomorrow = localInputValue(new Date(now + 86_400_000).toISOString(), DEFAULT_ZONE).slice(0, 10);
  const departure = instantFromLocal(`${tomorrow}T08:00`, DEFAULT_ZONE) ?? now + 86_400_000;
  return {
    price: "100000",
    "trip.departure": `${tomorrow}T08:00`,
    "trip.hours_to_departure": String(Math.floor((departure - now) / 3_600_000)),
    "trip.bus_class": "seater",
    "trip.ac": "true",
    "trip.id": "",
    "trip.route_id": "",
    "journey.from": "DHK",
    "journey.to": "CTG",
    "journey.legs": "1",
    "seat.label": "A1",
    "seat.category": "standard",
    "seat.deck": "1",
    occupancy: "40",
    passengers: "1",
    now: localInputValue(new Date(now).toISOString(), DEFAULT_ZONE),
  };
}

/**
 * The JSON the evaluation endpoint binds: objects for trip, journey and seat, integers as
 * integers, times as RFC 3339 with Dhaka's offset. Empty values are left out. Values that do not
 * read are named in `errors` by variable.
 */
export function buildBindings(values: BindingValues): { bindings: Record<string, unknown>; errors: Record<string, string> } {
  const bindings: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const { name, kind } of RULE_VARIABLES) {
    const text = values[name] ?? "";
    let value: unknown;
    if (kind === "bool") value = text === "true";
    else if (text.trim() === "") continue;
    else if (kind === "int") {
      value = wholeNumber(text);
      if (value === null) {
        errors[name] = ct("pricing.bindingInt");
        continue;
      }
    } else if (kind === "time") {
      const at = instantFromLocal(text, DEFAULT_ZONE);
      if (at === null) {
        errors[name] = ct("pricing.bindingTime");
        continue;
      }
      value = isoInZone(at, DEFAULT_ZONE);
    } else value = text;
    const [head, field] = name.split(".");
    if (field) ((bindings[head] ??= {}) as Record<string, unknown>)[field] = value;
    else bindings[head] = value;
  }
  return { bindings, errors };
}

/** The server names a binding that does not read as "bindings.trip.departure". */
export function bindingOfField(field: string): string | null {
  const name = field.replace(/^bindings\./, "");
  return RULE_VARIABLES.some((v) => v.name === name) && field.startsWith("bindings.") ? name : null;
}

/** A table of the rule variables with an input each, their meaning beside. */
export function PricingBindings(props: {
  values: BindingValues;
  errors: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) {
  return (
    <table class="table bindings">
      <caption>{ct("pricing.bindingsCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{ct("pricing.variable")}</th>
          <th scope="col">{ct("pricing.value")}</th>
          <th scope="col">{ct("pricing.meaning")}</th>
        </tr>
      </thead>
      <tbody>
        {RULE_VARIABLES.map(({ name, kind }) => {
          const id = inputId(name);
          const error = props.errors[name];
          const value = props.values[name] ?? "";
          const invalid = error
            ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` }
            : {};
          return (
            <tr key={name} data-variable={name}>
              <td>
                <label for={id}>
                  <code>{name}</code>
                </label>
              </td>
              <td>
                {kind === "bool" ? (
                  <input id={id} type="checkbox" checked={value === "true"} onChange={(e) => props.onChange(name, String(e.currentTarget.checked))} />
                ) : kind === "class" ? (
                  <select id={id} value={value} onChange={(e) => props.onChange(name, e.currentTarget.value)}>
                    {CLASSES.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                ) : kind === "time" ? (
                  <input id={id} type="datetime-local" value={value} {...invalid} onInput={(e) => props.onChange(name, e.currentTarget.value)} />
                ) : (
                  <input
                    id={id}
                    class={kind === "int" ? "binding-number" : "binding-text"}
                    inputMode={kind === "int" ? "numeric" : undefined}
                    value={value}
                    spellcheck={false}
                    {...invalid}
                    onInput={(e) => props.onChange(name, e.currentTarget.value)}
                  />
                )}
                {error ? (
                  <p class="error" id={`${id}-error`}>
                    {error}
                  </p>
                ) : null}
              </td>
              <td class="small">{ct(`pricing.var.${name}` as ConsoleKey)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
