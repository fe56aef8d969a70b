import { ct } from "../i18n";
import type { RouteStop } from "../model";

/** A fare cell's key: the pair, and the category ("" for every seat without its own fare). */
export const fareKey = (from: string, to: string, category: string) => `${from}>${to}|${category}`;

/** The pairs on sale can be: boarding at `from`, getting off at a later `to`. */
export function farePairs(stops: RouteStop[]): { from: string; to: string }[] {
  const pairs: { from: string; to: string }[] = [];
  stops.forEach((a, i) => {
    if (!a.boarding) return;
    stops.slice(i + 1).forEach((b) => {
      if (b.dropping) pairs.push({ from: a.station, to: b.station });
    });
  });
  return pairs;
}

/**
 * Fares per stop pair, in the currency's major units: one column for every seat, one per other
 * category that may be priced apart. An empty cell leaves that pair (or category) unpriced.
 */
export function FareGrid(props: {
  stops: RouteStop[];
  categories: string[];
  values: Record<string, string>;
  errors: Record<string, string>;
  currency: string;
  onChange: (key: string, value: string) => void;
}) {
  const pairs = farePairs(props.stops);
  const columns = ["", ...props.categories.filter((c) => c !== "standard")];
  return (
    <table class="table fare-grid">
      <caption>{ct("fares.caption", { currency: props.currency })}</caption>
      <thead>
        <tr>
          <th scope="col">{ct("fares.journey")}</th>
          {columns.map((c) => (
            <th scope="col" key={c}>
              {c ? ct("fares.category", { category: c }) : ct("fares.allSeats")}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {pairs.map(({ from, to }) => (
          <tr key={`${from}>${to}`}>
            <th scope="row">
              {from} → {to}
            </th>
            {columns.map((c) => {
              const key = fareKey(from, to, c);
              const id = `fare-${from}-${to}-${c || "all"}`;
              const error = props.errors[key];
              return (
                <td key={c}>
                  <label class="sr-only" for={id}>
                    {c ? ct("fares.cellCategory", { from, to, category: c }) : ct("fares.cell", { from, to })}
                  </label>
                  <input
                    id={id}
                    class="money-input"
                    inputMode="decimal"
                    value={props.values[key] ?? ""}
                    aria-invalid={!!error || undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onInput={(e) => props.onChange(key, e.currentTarget.value)}
                  />
                  {error ? (
                    <p class="error" id={`${id}-error`}>
                      {error}
                    </p>
                  ) : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
