import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDayIn, DEFAULT_ZONE, money, number, time } from "../../shared/i18n";
import type { List, SeatMap } from "../../shared/types";
import { Chart } from "../components/Chart";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Trip } from "../model";
import { dayBounds } from "../components/SalesModel";
import { addDays } from "../schedule";
import { can, orgCall, useWorkspace } from "../workspace";

interface RevenueReport {
  currency: string | null;
  rows: { key: string; bookings: number; seats: number; net: number }[];
  totals: { bookings: number; seats: number; gross: number; net: number };
}

interface OccupancyReport {
  rows: { key: string; trip_id?: string; load_factor: number; seats_sold: number; capacity: number }[];
}

/** A payment whose books disagree with the provider's settlement report. */
interface Mismatch {
  kind: "missing_at_provider" | "amount_differs" | "missing_in_travio";
  payment_id: string;
  order_id: string;
  travio_amount: { amount: number; currency: string };
  provider_amount: { amount: number; currency: string };
  found_at: string;
}

/** What was booked since the start of today (Dhaka), per currency: GET /v1/operator/orders/summary. */
interface BookedToday {
  totals: { currency: string; orders: number; amount: { amount: number; currency: string } }[];
}

interface Departure {
  trip: Trip;
  sold: number | null;
  held: number | null;
  capacity: number;
}

/** Every day of the week ending today, as report keys (YYYY-MM-DD). */
function weekDays(today: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(today, i - 6));
}

const utcDay = (ymd: string) => new Date(`${ymd}T00:00:00Z`);
const NEARLY_FULL = 0.9;
// Held seats come from each trip's seat map: a busy day's first departures are enough.
const SEAT_MAPS = 40;

/**
 * The day at a glance: what needs attention, today's and tomorrow's departures with seats sold
 * and held, and the last week's revenue and occupancy as charts.
 */
export function DashboardPage() {
  const { membership } = useWorkspace();
  const today = calendarDayIn(DEFAULT_ZONE);
  const [departures, setDepartures] = useState<Departure[] | null>(null);
  const [revenue, setRevenue] = useState<RevenueReport | null>(null);
  const [occupancy, setOccupancy] = useState<OccupancyReport | null>(null);
  const [reviews, setReviews] = useState<number | null>(null);
  const [mismatches, setMismatches] = useState<Mismatch[]>([]);
  const [booked, setBooked] = useState<BookedToday | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reports = can(membership, "reports.read");

  useEffect(() => {
    (async () => {
      const week = weekDays(today);
      const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
      const [trips, rev, occ, upcoming, held, disagreeing, bookedToday] = await Promise.all([
        can(membership, "catalog.read")
          ? orgCall<List<Trip>>(endpoints.orgTrips, { query: { from_date: today, to_date: addDays(today, 1), limit: 200 } }).then((a) => a.body.items)
          : Promise.resolve([] as Trip[]),
        reports ? orgCall<RevenueReport>(endpoints.revenueReport, { query: { from_date: week[0], to_date: today, group_by: "day", limit: 200 } }).then((a) => a.body) : null,
        reports ? orgCall<OccupancyReport>(endpoints.occupancyReport, { query: { from_date: week[0], to_date: today, group_by: "day", limit: 200 } }).then((a) => a.body) : null,
        reports
          ? orgCall<OccupancyReport>(endpoints.occupancyReport, { query: { from_date: today, to_date: addDays(today, 1), group_by: "trip", limit: 200 } }).then((a) => a.body)
          : null,
        can(membership, "fraud.review") ? orgCall<List<unknown>>(endpoints.fraudReviews, { query: { limit: 200 } }).then((a) => a.body.items.length) : null,
        reports
          ? orgCall<{ items: Mismatch[] }>(endpoints.paymentMismatches, { query: { since: weekAgo, limit: 20 } }).then((a) => a.body.items)
          : ([] as Mismatch[]),
        can(membership, "sales.read")
          ? orgCall<BookedToday>(endpoints.salesSummary, { query: { since: dayBounds(today)[0] } }).then((a) => a.body)
          : null,
      ]);
      const soldOf = new Map((upcoming?.rows ?? []).map((row) => [row.trip_id, row.seats_sold]));
      const open = trips.filter((trip) => trip.status !== "cancelled");
      const maps = await Promise.all(
        open.slice(0, SEAT_MAPS).map((trip) =>
          orgCall<SeatMap>(endpoints.seats, { params: { trip_id: trip.id } })
            .then((a) => a.body)
            .catch(() => null),
        ),
      );
      const heldOf = (map: SeatMap | null) => (map ? map.decks.reduce((n, deck) => n + deck.cells.filter((c) => c.status === "held").length, 0) : null);
      setDepartures(
        trips.map((trip) => {
          const index = open.indexOf(trip);
          return {
            trip,
            sold: soldOf.get(trip.id) ?? null,
            held: index >= 0 && index < SEAT_MAPS ? heldOf(maps[index]) : null,
            capacity: trip.bus.seats_for_sale,
          };
        }),
      );
      setRevenue(rev);
      setOccupancy(occ);
      setReviews(held);
      setMismatches(disagreeing);
      setBooked(bookedToday);
    })().catch((error) => setProblem(errorText(error)));
  }, [membership?.org_id]);

  if (departures === null && !problem) return <p class="muted">{ct("loading")}</p>;

  const week = weekDays(today);
  const currency = revenue?.currency ?? null;
  const netByDay = new Map((revenue?.rows ?? []).map((row) => [row.key, row.net]));
  const loadByDay = new Map((occupancy?.rows ?? []).map((row) => [row.key, row.load_factor]));
  const nearlyFull = (departures ?? []).filter((d) => d.sold !== null && d.capacity > 0 && d.sold / d.capacity >= NEARLY_FULL && d.trip.status !== "cancelled");
  const delayed = (departures ?? []).filter((d) => d.trip.delay_minutes > 0 && d.trip.status !== "cancelled");
  const alerts: { key: string; text: string; href: string }[] = [];
  // Money first: the provider's books and ours disagree on these payments.
  for (const m of mismatches) {
    alerts.push({
      key: `money-${m.payment_id}-${m.found_at}`,
      text: ct(m.kind === "amount_differs" ? "dashboard.alertAmountDiffers" : "dashboard.alertMissingAtProvider", {
        order: m.order_id.slice(-8),
        ours: money(m.travio_amount.amount, m.travio_amount.currency),
        theirs: money(m.provider_amount.amount, m.provider_amount.currency),
      }),
      href: `/console/orders/${m.order_id}`,
    });
  }
  if (reviews) alerts.push({ key: "reviews", text: ct("dashboard.alertReviews", { n: reviews }), href: "/console/fraud" });
  for (const d of nearlyFull) {
    alerts.push({
      key: `full-${d.trip.id}`,
      text: ct("dashboard.alertFull", { route: d.trip.route_name, time: time(d.trip.departure, d.trip.stops[0]?.zone), sold: d.sold ?? 0, capacity: d.capacity }),
      href: `/console/trips/${d.trip.id}`,
    });
  }
  for (const d of delayed) {
    alerts.push({
      key: `late-${d.trip.id}`,
      text: ct("dashboard.alertDelayed", { route: d.trip.route_name, time: time(d.trip.departure, d.trip.stops[0]?.zone), n: d.trip.delay_minutes }),
      href: `/console/trips/${d.trip.id}`,
    });
  }

  return (
    <section>
      <h1>{ct("dashboard.title", { org: membership?.org_name ?? "" })}</h1>
      <Alert text={problem} />

      {booked ? (
        <div class="tiles" id="booked-today">
          {(booked.totals.length > 0 ? booked.totals : [null]).map((total) => (
            <div class="tile" key={total?.currency ?? "none"}>
              <span class="tile-label">{ct("dashboard.bookedToday")}</span>
              <strong>{total ? money(total.amount.amount, total.currency) : "—"}</strong>
              <span class="muted">{ct("dashboard.bookedOrders", { n: total?.orders ?? 0 })}</span>
            </div>
          ))}
        </div>
      ) : null}

      <h2>{ct("dashboard.attention")}</h2>
      {alerts.length === 0 ? (
        <p class="muted">{ct("dashboard.allQuiet")}</p>
      ) : (
        <ul class="alerts">
          {alerts.map((a) => (
            <li key={a.key}>
              <a href={a.href}>{a.text}</a>
            </li>
          ))}
        </ul>
      )}

      {reports && revenue ? (
        <>
          {currency ? (
            <div class="tiles">
              <div class="tile">
                <span class="tile-label">{ct("dashboard.weekNet")}</span>
                <strong>{money(revenue.totals.net, currency)}</strong>
              </div>
              <div class="tile">
                <span class="tile-label">{ct("dashboard.weekSeats")}</span>
                <strong>{number(revenue.totals.seats)}</strong>
              </div>
              <div class="tile">
                <span class="tile-label">{ct("dashboard.weekBookings")}</span>
                <strong>{number(revenue.totals.bookings)}</strong>
              </div>
            </div>
          ) : (
            <p class="card">{ct("dashboard.noSales")}</p>
          )}
          <div class="dashboard-charts">
            <Chart
              id="dashboard-revenue"
              title={currency ? ct("dashboard.chartRevenue", { currency }) : ct("dashboard.chartRevenueNone")}
              x={week.map(utcDay)}
              series={[{ label: ct("dashboard.seriesNet"), values: week.map((day) => (netByDay.get(day) ?? 0) / 100) }]}
              format={(value) => (currency ? money(Math.round(value * 100), currency) : number(value))}
              height={220}
            />
            <Chart
              id="dashboard-occupancy"
              title={ct("dashboard.chartOccupancy")}
              kind="line"
              x={week.map(utcDay)}
              series={[{ label: ct("dashboard.seriesLoad"), values: week.map((day) => (loadByDay.has(day) ? Math.round((loadByDay.get(day) ?? 0) * 100) : null)) }]}
              format={(value) => `${number(value)}%`}
              range={[0, 100]}
              height={220}
            />
          </div>
        </>
      ) : null}

      {can(membership, "catalog.read") ? (
        <>
          <h2>{ct("dashboard.departures")}</h2>
          {departures && departures.length === 0 ? <p class="card">{ct("dashboard.noDepartures")}</p> : null}
          {departures && departures.length > 0 ? (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{ct("trips.departs")}</th>
                  <th scope="col">{ct("trips.route")}</th>
                  <th scope="col">{ct("trips.bus")}</th>
                  <th scope="col" class="num">{ct("dashboard.sold")}</th>
                  <th scope="col" class="num">{ct("dashboard.heldNow")}</th>
                  <th scope="col">{ct("trips.status")}</th>
                </tr>
              </thead>
              <tbody>
                {departures.map(({ trip, sold, held, capacity }) => (
                  <tr key={trip.id} data-trip={trip.id}>
                    <td>
                      <a href={`/console/trips/${trip.id}`}>
                        {trip.local_date === today ? ct("dashboard.today") : ct("dashboard.tomorrow")} {time(trip.departure, trip.stops[0]?.zone)}
                      </a>
                    </td>
                    <td>{trip.route_name}</td>
                    <td>{trip.bus.plate}</td>
                    <td class="num">{sold === null ? "—" : ct("dashboard.soldOf", { sold, capacity })}</td>
                    <td class="num">{held === null ? "—" : number(held)}</td>
                    <td>
                      <span class={`badge trip-${trip.status}`}>{ct(`trip.status.${trip.status}` as ConsoleKey)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
