import { useEffect, useMemo, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { call } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { calendarDate, calendarDayIn, date, DEFAULT_ZONE, duration, money, number, t, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import { stationsByCode } from "../../shared/stations";
import type { List, Station, TripHit } from "../../shared/types";
import { StationField } from "../components/StationField";
import { rememberTrip } from "../tripSummary";

const WINDOWS: Record<string, [string | undefined, string | undefined]> = {
  any: [undefined, undefined],
  morning: [undefined, "11:59"],
  afternoon: ["12:00", "16:59"],
  evening: ["17:00", undefined],
};

function tripLink(hit: TripHit, date: string, passengers: string) {
  const query = new URLSearchParams({ from: hit.from.code, to: hit.to.code, date, passengers });
  return `/trips/${encodeURIComponent(hit.trip_id)}?${query}`;
}

export function SearchPage({ query }: { query: URLSearchParams }) {
  const [from, setFrom] = useState<Station | null>(null);
  const [to, setTo] = useState<Station | null>(null);
  const [day, setDay] = useState(query.get("date") || calendarDayIn(DEFAULT_ZONE));
  const [passengers, setPassengers] = useState(query.get("passengers") || "1");
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});

  const searched = query.get("from") && query.get("to") && query.get("date");
  const sort = query.get("sort") || "departure";
  const ac = query.get("ac") || "";
  const busClass = query.get("class") || "";
  const operator = query.get("operator") || "";
  const departWindow = query.get("window") || "any";
  const maxPrice = query.get("max_price") || "";

  // The stations of a shared or reloaded search link, by code.
  useEffect(() => {
    const fromCode = query.get("from");
    const toCode = query.get("to");
    if (!fromCode && !toCode) return;
    stationsByCode()
      .then((stations) => {
        if (fromCode) setFrom(stations.get(fromCode) ?? { code: fromCode, name: fromCode, city: "" });
        if (toCode) setTo(stations.get(toCode) ?? { code: toCode, name: toCode, city: "" });
      })
      .catch(() => undefined);
  }, [query.get("from"), query.get("to")]);

  const submit = (event: Event) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!from) errors.from = t("search.pickStation");
    if (!to) errors.to = t("search.pickStation");
    if (from && to && from.code === to.code) errors.to = t("search.sameStation");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) errors.date = t("search.pickDate");
    setFormErrors(errors);
    if (Object.keys(errors).length) return;
    const next = new URLSearchParams({ from: from!.code, to: to!.code, date: day, passengers });
    for (const name of ["sort", "ac", "class", "operator", "window", "max_price"]) {
      const value = query.get(name);
      if (value) next.set(name, value);
    }
    navigate(`/search?${next}`);
  };

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(query);
    if (value && value !== "any") next.set(name, value);
    else next.delete(name);
    navigate(`/search?${next}`, { replace: true });
  };

  return (
    <>
      <section class="hero">
        <h1>{t("search.title")}</h1>
        <form class="card search-form" onSubmit={submit} noValidate>
          <StationField label={t("search.from")} name="from" value={from} onChange={setFrom} error={formErrors.from} />
          <button
            type="button"
            class="swap"
            aria-label={t("search.swap")}
            title={t("search.swap")}
            onClick={() => {
              setFrom(to);
              setTo(from);
            }}
          >
            ⇅
          </button>
          <StationField label={t("search.to")} name="to" value={to} onChange={setTo} error={formErrors.to} />
          <div class="row">
            <div class="field">
              <label for="search-date">{t("search.date")}</label>
              <input
                id="search-date"
                type="date"
                value={day}
                min={calendarDayIn(DEFAULT_ZONE)}
                aria-invalid={formErrors.date ? true : undefined}
                onInput={(event) => setDay((event.target as HTMLInputElement).value)}
              />
              {formErrors.date ? <p class="error">{formErrors.date}</p> : null}
            </div>
            <div class="field narrow">
              <label for="search-passengers">{t("search.passengers")}</label>
              <select
                id="search-passengers"
                value={passengers}
                onChange={(event) => setPassengers((event.target as HTMLSelectElement).value)}
              >
                {[1, 2, 3, 4, 5, 6].map((n) => (
                  <option value={String(n)}>{number(n)}</option>
                ))}
              </select>
            </div>
          </div>
          <button type="submit" class="primary wide">
            {t("search.submit")}
          </button>
        </form>
      </section>
      {searched ? (
        <Results
          from={query.get("from")!}
          to={query.get("to")!}
          day={query.get("date")!}
          passengers={query.get("passengers") || "1"}
          sort={sort}
          ac={ac}
          busClass={busClass}
          operator={operator}
          departWindow={departWindow}
          maxPrice={maxPrice}
          setFilter={setFilter}
        />
      ) : null}
    </>
  );
}

interface ResultsProps {
  from: string;
  to: string;
  day: string;
  passengers: string;
  sort: string;
  ac: string;
  busClass: string;
  operator: string;
  departWindow: string;
  maxPrice: string;
  setFilter: (name: string, value: string) => void;
}

function Results(props: ResultsProps) {
  const { from, to, day, passengers, sort, ac, busClass, operator, departWindow, maxPrice, setFilter } = props;
  const [items, setItems] = useState<TripHit[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [operators, setOperators] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const baseQuery = useMemo(() => {
    const [after, before] = WINDOWS[departWindow] ?? WINDOWS.any;
    const taka = Number(maxPrice);
    return {
      from,
      to,
      date: day,
      passengers,
      sort,
      ac: ac || undefined,
      class: busClass || undefined,
      operator: operator || undefined,
      depart_after: after,
      depart_before: before,
      max_price: maxPrice && Number.isFinite(taka) && taka > 0 ? Math.round(taka * 100) : undefined,
      limit: 20,
    };
  }, [from, to, day, passengers, sort, ac, busClass, operator, departWindow, maxPrice]);

  const load = async (quiet: boolean) => {
    try {
      const answer = await call<List<TripHit>>(endpoints.search, { auth: "none", query: baseQuery });
      setItems(answer.body.items);
      setCursor(answer.body.next_cursor);
      setError(null);
      setOperators((known) => {
        const next = new Map(known);
        for (const hit of answer.body.items) next.set(hit.operator.id, hit.operator.name);
        return next;
      });
    } catch (e) {
      if (!quiet) setError(e instanceof ApiError && !e.isNetwork ? e.message : t("error.network"));
    }
  };

  useEffect(() => {
    setItems(null);
    load(false);
    // Seats left change while the traveller compares: refresh while the page is visible.
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load(true);
    }, 20_000);
    return () => clearInterval(timer);
  }, [baseQuery]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const answer = await call<List<TripHit>>(endpoints.search, { auth: "none", query: { ...baseQuery, cursor } });
      setItems((current) => [...(current ?? []), ...answer.body.items]);
      setCursor(answer.body.next_cursor);
    } catch {
      setError(t("error.network"));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section class="results" aria-labelledby="results-title">
      <h2 id="results-title">
        {t("results.title", { date: calendarDate(day) })}
      </h2>
      <details class="filters card" open={Boolean(ac || busClass || operator || maxPrice || departWindow !== "any")}>
        <summary>{t("filters.title")}</summary>
        <div class="filter-grid">
          <div class="field">
            <label for="f-sort">{t("filters.sort")}</label>
            <select id="f-sort" value={sort} onChange={(e) => setFilter("sort", (e.target as HTMLSelectElement).value)}>
              <option value="departure">{t("filters.sort.departure")}</option>
              <option value="price">{t("filters.sort.price")}</option>
              <option value="duration">{t("filters.sort.duration")}</option>
            </select>
          </div>
          <div class="field">
            <label for="f-ac">{t("filters.ac")}</label>
            <select id="f-ac" value={ac} onChange={(e) => setFilter("ac", (e.target as HTMLSelectElement).value)}>
              <option value="">{t("filters.any")}</option>
              <option value="true">{t("bus.ac")}</option>
              <option value="false">{t("bus.nonAc")}</option>
            </select>
          </div>
          <div class="field">
            <label for="f-class">{t("filters.class")}</label>
            <select id="f-class" value={busClass} onChange={(e) => setFilter("class", (e.target as HTMLSelectElement).value)}>
              <option value="">{t("filters.any")}</option>
              <option value="seater">{t("bus.class.seater")}</option>
              <option value="semi_sleeper">{t("bus.class.semi_sleeper")}</option>
              <option value="sleeper">{t("bus.class.sleeper")}</option>
            </select>
          </div>
          <div class="field">
            <label for="f-operator">{t("filters.operator")}</label>
            <select id="f-operator" value={operator} onChange={(e) => setFilter("operator", (e.target as HTMLSelectElement).value)}>
              <option value="">{t("filters.any")}</option>
              {[...operators].map(([id, name]) => (
                <option value={id}>{name}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-window">{t("filters.window")}</label>
            <select id="f-window" value={departWindow} onChange={(e) => setFilter("window", (e.target as HTMLSelectElement).value)}>
              <option value="any">{t("filters.any")}</option>
              <option value="morning">{t("filters.window.morning")}</option>
              <option value="afternoon">{t("filters.window.afternoon")}</option>
              <option value="evening">{t("filters.window.evening")}</option>
            </select>
          </div>
          <div class="field">
            <label for="f-price">{t("filters.maxPrice")}</label>
            <input
              id="f-price"
              type="number"
              inputMode="numeric"
              min={0}
              step={50}
              value={maxPrice}
              onChange={(e) => setFilter("max_price", (e.target as HTMLInputElement).value)}
            />
          </div>
        </div>
      </details>
      <Alert text={error} />
      {items === null && !error ? <p aria-busy="true">{t("results.loading")}</p> : null}
      {items && items.length === 0 ? <p class="card">{t("results.none")}</p> : null}
      <ul class="trips">
        {(items ?? []).map((hit) => (
          <TripCard hit={hit} day={day} passengers={passengers} />
        ))}
      </ul>
      {cursor ? (
        <button type="button" class="secondary wide" disabled={loadingMore} onClick={more}>
          {t("results.more")}
        </button>
      ) : null}
    </section>
  );
}

function TripCard({ hit, day, passengers }: { hit: TripHit; day: string; passengers: string }) {
  const nextDay = hit.arrival.slice(0, 10) !== hit.departure.slice(0, 10);
  const few = hit.seats_available > 0 && hit.seats_available <= 5;
  const soldOut = hit.seats_available < Number(passengers);
  return (
    <li class="card trip" data-trip={hit.trip_id}>
      <div class="times">
        <span class="time">{time(hit.departure)}</span>
        <span class="muted dur">{duration(hit.duration_min)}</span>
        <span class="time">
          {time(hit.arrival)}
          {nextDay ? <sup title={date(hit.arrival)}>+1</sup> : null}
        </span>
      </div>
      <div class="stations muted">
        {hit.from.name} → {hit.to.name}
      </div>
      <div class="operator">
        <strong>{hit.operator.name}</strong>
        <span class="tags">
          <span class="tag">{hit.bus.ac ? t("bus.ac") : t("bus.nonAc")}</span>
          <span class="tag">{t(`bus.class.${hit.bus.class}` as "bus.class.seater")}</span>
          {hit.bus.amenities.slice(0, 3).map((a) => (
            <span class="tag soft">{amenity(a)}</span>
          ))}
        </span>
      </div>
      <div class="buy">
        <div>
          <span class="price">{money(hit.fare.amount, hit.fare.currency)}</span>
          <span class={few ? "seats few" : "seats"}>
            {hit.seats_available === 0 ? t("results.soldOut") : t("results.seatsLeft", { n: hit.seats_available })}
          </span>
        </div>
        {soldOut ? (
          <span class="button disabled" aria-disabled="true">
            {t("results.select")}
          </span>
        ) : (
          <a
            class="button primary"
            href={tripLink(hit, day, passengers)}
            onClick={() => rememberTrip(hit)}
            aria-label={t("results.selectLabel", { operator: hit.operator.name, time: time(hit.departure) })}
          >
            {t("results.select")}
          </a>
        )}
      </div>
    </li>
  );
}

function amenity(code: string): string {
  const key = `amenity.${code}`;
  const text = t(key as "amenity.wifi");
  return text === key ? code.replace(/_/g, " ") : text;
}
