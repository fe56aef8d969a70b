import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Alert, Field } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDate, calendarDayIn, DEFAULT_ZONE, money, number, useLocale } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate, usePlace } from "../../shared/router";
import type { List } from "../../shared/types";
import { Chart } from "../components/Chart";
import { DownloadButton } from "../components/DownloadButton";
import {
  GROUPINGS,
  type Grouping,
  OccupancyTable,
  type OccupancyReport,
  percent,
  RevenueTable,
  type RevenueReport,
} from "../components/ReportTables";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Route } from "../model";
import { addDays, ymdOf } from "../schedule";
import { can, orgCall, useWorkspace } from "../workspace";
import "../backoffice.css";

/** The server's limit on a report's range, both days included. */
const MAX_DAYS = 400;
const DAY_MS = 86_400_000;

interface View {
  revenue: RevenueReport;
  /** The same range by day, for the chart (the table's own rows when it is by day). */
  revenueDays: RevenueReport;
  occupancy: OccupancyReport;
  occupancyDays: OccupancyReport;
}

type Pick = "last7" | "last30" | "thisMonth" | "lastMonth" | "next30";
const PICKS: readonly Pick[] = ["last7", "last30", "thisMonth", "lastMonth", "next30"];

function rangeOf(pick: Pick, today: string): [string, string] {
  const month = today.slice(0, 8);
  switch (pick) {
    case "last7":
      return [addDays(today, -6), today];
    case "last30":
      return [addDays(today, -29), today];
    case "thisMonth":
      return [`${month}01`, today];
    case "lastMonth": {
      const lastOfPrevious = addDays(`${month}01`, -1);
      return [`${lastOfPrevious.slice(0, 8)}01`, lastOfPrevious];
    }
    case "next30":
      return [today, addDays(today, 29)];
  }
}

const isDay = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** Every day of the range, as the dates the chart's x axis takes (UTC midnights). */
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end && out.length <= MAX_DAYS; at += DAY_MS) {
    out.push(ymdOf(at));
  }
  return out;
}

function groupingOf(text: string | null): Grouping {
  return GROUPINGS.includes(text as Grouping) ? (text as Grouping) : "day";
}

/**
 * Revenue and occupancy of the trips departing in a range of days (service days), as charts by
 * day and tables by day, route or trip with the range's totals; the CSV exports of the range.
 * The range and groupings live in the address, so a report can be bookmarked and shared.
 */
export function ReportsPage() {
  const { membership } = useWorkspace();
  const locale = useLocale();
  const place = usePlace();
  const today = calendarDayIn(DEFAULT_ZONE);
  const from = place.query.get("from_date") || addDays(today, -29);
  const to = place.query.get("to_date") || today;
  const revenueBy = groupingOf(place.query.get("revenue_by"));
  const occupancyBy = groupingOf(place.query.get("occupancy_by"));
  const currency = place.query.get("currency") || "";
  const routeId = place.query.get("route_id") || "";

  const [view, setView] = useState<View | null>(null);
  const [routes, setRoutes] = useState<Route[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [more, setMore] = useState<"revenue" | "occupancy" | null>(null);
  const latest = useRef(0);
  // The routes (for the occupancy's filter) come with the first report, not after it.
  const routesOf = useRef<string | null>(null);

  // What the range itself gets wrong, said before anything is asked of the server.
  const rangeErrors: Record<string, string> = {};
  if (!isDay(from)) rangeErrors.from_date = ct("reports.dateNeeded");
  if (!isDay(to)) rangeErrors.to_date = ct("reports.dateNeeded");
  else if (isDay(from) && to < from) rangeErrors.to_date = ct("reports.toBeforeFrom");
  else if (isDay(from) && daysBetween(from, to) > MAX_DAYS) rangeErrors.to_date = ct("reports.tooLong", { n: MAX_DAYS });
  const rangeOk = Object.keys(rangeErrors).length === 0;

  // Everything the view shows is asked for at once and drawn at once; an answer to an older
  // question (the range changed meanwhile) is dropped.
  useEffect(() => {
    const ask = ++latest.current;
    setView(null);
    setProblem(null);
    setFieldErrors({});
    if (!rangeOk) return;
    const dates = { from_date: from, to_date: to };
    const revenueQuery = { ...dates, currency: currency || undefined, limit: 500 };
    const occupancyQuery = { ...dates, route_id: routeId || undefined, limit: 500 };
    const org = membership?.org_id ?? null;
    const wantRoutes = routesOf.current !== org && can(membership, "catalog.read");
    (async () => {
      const [revenue, revenueDays, occupancy, occupancyDays, routeList] = await Promise.all([
        orgCall<RevenueReport>(endpoints.revenueReport, { query: { ...revenueQuery, group_by: revenueBy } }),
        revenueBy === "day" ? null : orgCall<RevenueReport>(endpoints.revenueReport, { query: { ...revenueQuery, group_by: "day" } }),
        orgCall<OccupancyReport>(endpoints.occupancyReport, { query: { ...occupancyQuery, group_by: occupancyBy } }),
        occupancyBy === "day" ? null : orgCall<OccupancyReport>(endpoints.occupancyReport, { query: { ...occupancyQuery, group_by: "day" } }),
        // The filter is a convenience: without the routes, occupancy is shown for all of them.
        wantRoutes ? orgCall<List<Route>>(endpoints.routes, { query: { limit: 200 } }).catch(() => null) : null,
      ]);
      if (ask !== latest.current) return;
      if (routeList) {
        routesOf.current = org;
        setRoutes(routeList.body.items);
      }
      setView({
        revenue: revenue.body,
        revenueDays: (revenueDays ?? revenue).body,
        occupancy: occupancy.body,
        occupancyDays: (occupancyDays ?? occupancy).body,
      });
    })().catch((error) => {
      if (ask !== latest.current) return;
      const errors: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const field of ["from_date", "to_date"]) {
          const message = error.fieldMessage(field);
          if (message) errors[field] = message;
        }
      }
      if (Object.keys(errors).length > 0) setFieldErrors(errors);
      else setProblem(errorText(error));
    });
  }, [from, to, revenueBy, occupancyBy, currency, routeId, membership?.org_id]);

  const change = (values: Record<string, string>) => {
    const query = new URLSearchParams({
      from_date: from,
      to_date: to,
      revenue_by: revenueBy,
      occupancy_by: occupancyBy,
      currency,
      route_id: routeId,
      ...values,
    });
    for (const [name, value] of [...query.entries()]) {
      if (!value || (name.endsWith("_by") && value === "day")) query.delete(name);
    }
    navigate(`/console/reports?${query}`, { replace: true });
  };

  async function showMore(which: "revenue" | "occupancy") {
    if (!view) return;
    setMore(which);
    setProblem(null);
    try {
      if (which === "revenue") {
        const next = await orgCall<RevenueReport>(endpoints.revenueReport, {
          query: { from_date: from, to_date: to, group_by: revenueBy, currency: currency || undefined, limit: 500, cursor: view.revenue.next_cursor ?? undefined },
        });
        const revenue = { ...view.revenue, rows: [...view.revenue.rows, ...next.body.rows], next_cursor: next.body.next_cursor };
        setView({ ...view, revenue, revenueDays: revenueBy === "day" ? revenue : view.revenueDays });
      } else {
        const next = await orgCall<OccupancyReport>(endpoints.occupancyReport, {
          query: { from_date: from, to_date: to, group_by: occupancyBy, route_id: routeId || undefined, limit: 500, cursor: view.occupancy.next_cursor ?? undefined },
        });
        const occupancy = { ...view.occupancy, rows: [...view.occupancy.rows, ...next.body.rows], next_cursor: next.body.next_cursor };
        setView({ ...view, occupancy, occupancyDays: occupancyBy === "day" ? occupancy : view.occupancyDays });
      }
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setMore(null);
    }
  }

  const days = useMemo(() => (rangeOk ? daysOf(from, to) : []), [from, to, rangeOk]);
  const xs = useMemo(() => days.map((d) => new Date(`${d}T00:00:00Z`)), [days]);
  const shownCurrency = view?.revenue.currency ?? null;
  const netByDay = useMemo(() => {
    if (!view) return [];
    const byDay = new Map(view.revenueDays.rows.map((row) => [row.key, row.net]));
    return days.map((d) => byDay.get(d) ?? 0);
  }, [view, days]);
  const loadByDay = useMemo(() => {
    if (!view) return [];
    const byDay = new Map(view.occupancyDays.rows.map((row) => [row.key, row.load_factor]));
    return days.map((d) => byDay.get(d) ?? null);
  }, [view, days]);
  const activePick = PICKS.find((pick) => {
    const [a, b] = rangeOf(pick, today);
    return a === from && b === to;
  });
  const errors = { ...rangeErrors, ...fieldErrors };
  const range = { from: calendarDate(from), to: calendarDate(to) };

  return (
    <section class="reports" data-loaded={view ? "true" : undefined}>
      <h1>{ct("reports.title")}</h1>
      <p class="muted">{ct("reports.lead")}</p>
      <form class="card report-range" onSubmit={(e) => e.preventDefault()}>
        <div class="row wrap">
          <Field id="reports-from" label={ct("reports.from")} error={errors.from_date} narrow>
            <input id="reports-from" type="date" value={from} max={to} onChange={(e) => change({ from_date: e.currentTarget.value })} />
          </Field>
          <Field id="reports-to" label={ct("reports.to")} error={errors.to_date} narrow>
            <input id="reports-to" type="date" value={to} min={from} onChange={(e) => change({ to_date: e.currentTarget.value })} />
          </Field>
          <div class="quick-picks" role="group" aria-label={ct("reports.quickPicks")}>
            {PICKS.map((pick) => (
              <button
                key={pick}
                type="button"
                class="chip"
                aria-pressed={activePick === pick ? "true" : "false"}
                onClick={() => {
                  const [a, b] = rangeOf(pick, today);
                  change({ from_date: a, to_date: b });
                }}
              >
                {ct(`reports.pick.${pick}` as ConsoleKey)}
              </button>
            ))}
          </div>
        </div>
        <p class="small muted">{ct("reports.serviceDays")}</p>
      </form>
      <Alert text={problem} />
      {rangeOk && !view && !problem && Object.keys(fieldErrors).length === 0 ? <p class="muted">{ct("loading")}</p> : null}

      {view ? (
        <>
          <section class="report-part" aria-labelledby="revenue-title">
            <div class="page-head">
              <h2 id="revenue-title">{ct("reports.revenue")}</h2>
              {view.revenue.currencies.length > 1 ? (
                <Field id="reports-currency" label={ct("reports.currency")} narrow>
                  <select id="reports-currency" value={shownCurrency ?? ""} onChange={(e) => change({ currency: e.currentTarget.value })}>
                    {view.revenue.currencies.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : null}
            </div>
            {shownCurrency === null ? (
              <p class="card">{ct("reports.noSales", range)}</p>
            ) : (
              <>
                <div class="tiles" id="revenue-totals">
                  <Tile id="total-net" label={ct("reports.net")} value={money(view.revenue.totals.net, shownCurrency)} strong />
                  <Tile id="total-gross" label={ct("reports.gross")} value={money(view.revenue.totals.gross, shownCurrency)} />
                  <Tile id="total-refunds" label={ct("reports.refunds")} value={money(view.revenue.totals.refunds, shownCurrency)} />
                  <Tile id="total-bookings" label={ct("reports.bookings")} value={number(view.revenue.totals.bookings)} />
                  <Tile id="total-seats" label={ct("reports.seats")} value={number(view.revenue.totals.seats)} />
                </div>
                <Chart
                  id="revenue-chart"
                  key={`revenue-${locale}`}
                  title={ct("reports.netPerDay", range)}
                  x={xs}
                  series={[{ label: ct("reports.net"), values: netByDay }]}
                  format={(v) => money(v, shownCurrency)}
                  timeZone="UTC"
                />
                <GroupSelect id="revenue-by" value={revenueBy} onChange={(g) => change({ revenue_by: g })} />
                {view.revenue.rows.length === 0 ? null : <RevenueTable report={view.revenue} grouping={revenueBy} currency={shownCurrency} />}
                {view.revenue.next_cursor ? (
                  <button type="button" class="secondary" disabled={more !== null} onClick={() => showMore("revenue")}>
                    {ct("reports.more")}
                  </button>
                ) : null}
              </>
            )}
          </section>

          <section class="report-part" aria-labelledby="occupancy-title">
            <div class="page-head">
              <h2 id="occupancy-title">{ct("reports.occupancy")}</h2>
              {routes.length > 0 ? (
                <Field id="reports-route" label={ct("reports.route")}>
                  <select id="reports-route" value={routeId} onChange={(e) => change({ route_id: e.currentTarget.value })}>
                    <option value="">{ct("reports.allRoutes")}</option>
                    {routes.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.name}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : null}
            </div>
            {view.occupancy.totals.offered === 0 && view.occupancy.rows.length === 0 ? (
              <p class="card">{ct("reports.noTrips", range)}</p>
            ) : (
              <>
                <div class="tiles" id="occupancy-totals">
                  <Tile id="total-load" label={ct("reports.loadFactor")} value={percent(view.occupancy.totals.load_factor)} strong />
                  <Tile
                    id="total-sold"
                    label={ct("reports.seatLegs")}
                    value={ct("reports.ofOffered", { sold: view.occupancy.totals.sold, offered: view.occupancy.totals.offered })}
                  />
                  <Tile id="total-trips" label={ct("reports.trips")} value={number(view.occupancy.totals.trips ?? 0)} />
                  <Tile id="total-boarded" label={ct("reports.boarded")} value={number(view.occupancy.totals.boarded)} />
                  <Tile id="total-noshows" label={ct("reports.noShows")} value={number(view.occupancy.totals.no_shows)} />
                </div>
                <Chart
                  id="occupancy-chart"
                  key={`occupancy-${locale}`}
                  title={ct("reports.loadPerDay", range)}
                  x={xs}
                  series={[{ label: ct("reports.loadFactor"), values: loadByDay, color: "#1d5fa8" }]}
                  format={percent}
                  range={[0, 1]}
                  timeZone="UTC"
                />
                <GroupSelect id="occupancy-by" value={occupancyBy} onChange={(g) => change({ occupancy_by: g })} />
                <OccupancyTable report={view.occupancy} grouping={occupancyBy} />
                {view.occupancy.next_cursor ? (
                  <button type="button" class="secondary" disabled={more !== null} onClick={() => showMore("occupancy")}>
                    {ct("reports.more")}
                  </button>
                ) : null}
              </>
            )}
          </section>
        </>
      ) : null}

      {rangeOk ? (
        <section class="report-part card" aria-labelledby="exports-title">
          <h2 id="exports-title">{ct("reports.exports")}</h2>
          <p class="muted">{ct("reports.exportsLead", range)}</p>
          <div class="downloads">
            <DownloadButton
              endpoint={endpoints.reportExport}
              query={{ kind: "revenue", from_date: from, to_date: to, group_by: revenueBy, currency: currency || undefined }}
              filename={`revenue-${from}-${to}.csv`}
              label={ct("reports.exportRevenue")}
            />
            <DownloadButton
              endpoint={endpoints.reportExport}
              query={{ kind: "occupancy", from_date: from, to_date: to, group_by: occupancyBy, route_id: routeId || undefined }}
              filename={`occupancy-${from}-${to}.csv`}
              label={ct("reports.exportOccupancy")}
            />
            <DownloadButton
              endpoint={endpoints.reportExport}
              query={{ kind: "bookings", from_date: from, to_date: to }}
              filename={`bookings-${from}-${to}.csv`}
              label={ct("reports.exportBookings")}
            />
          </div>
        </section>
      ) : null}
    </section>
  );
}

function Tile({ id, label, value, strong }: { id: string; label: string; value: string; strong?: boolean }) {
  return (
    <div class={strong ? "tile tile-main" : "tile"} id={id}>
      <span class="tile-label">{label}</span>
      <strong class="tile-value">{value}</strong>
    </div>
  );
}

function GroupSelect({ id, value, onChange }: { id: string; value: Grouping; onChange: (grouping: Grouping) => void }) {
  return (
    <div class="row group-select">
      <Field id={id} label={ct("reports.showBy")} narrow>
        <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Grouping)}>
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {ct(`reports.by.${g}` as ConsoleKey)}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
