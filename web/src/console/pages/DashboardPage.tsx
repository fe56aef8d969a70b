import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDayIn, DEFAULT_ZONE, money, time } from "../../shared/i18n";
import type { List, Money } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Trip } from "../model";
import { addDays } from "../schedule";
import { can, orgCall, useWorkspace } from "../workspace";

interface RevenueTotals {
  currency: string;
  totals: { bookings: number; seats: number; gross: Money; net: Money };
}

/** The day at a glance: today's and tomorrow's departures, and the last week's sales. */
export function DashboardPage() {
  const { membership } = useWorkspace();
  const today = calendarDayIn(DEFAULT_ZONE);
  const [trips, setTrips] = useState<Trip[] | null>(null);
  const [revenue, setRevenue] = useState<RevenueTotals | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (can(membership, "catalog.read")) {
      orgCall<List<Trip>>(endpoints.orgTrips, { query: { from_date: today, to_date: addDays(today, 1), limit: 100 } })
        .then((answer) => setTrips(answer.body.items))
        .catch((error) => setProblem(errorText(error)));
    }
    if (can(membership, "reports.read")) {
      orgCall<RevenueTotals>(endpoints.revenueReport, { query: { from_date: addDays(today, -6), to_date: today, group_by: "day", limit: 1 } })
        .then((answer) => setRevenue(answer.body))
        .catch(() => setRevenue(null));
    }
  }, [membership?.org_id]);

  return (
    <section>
      <h1>{ct("dashboard.title", { org: membership?.org_name ?? "" })}</h1>
      <Alert text={problem} />
      {revenue && !revenue.currency ? <p class="card">{ct("dashboard.noSales")}</p> : null}
      {revenue && revenue.currency ? (
        <div class="tiles">
          <div class="tile">
            <span class="tile-label">{ct("dashboard.weekNet")}</span>
            <strong>{money(revenue.totals.net.amount, revenue.totals.net.currency)}</strong>
          </div>
          <div class="tile">
            <span class="tile-label">{ct("dashboard.weekSeats")}</span>
            <strong>{revenue.totals.seats}</strong>
          </div>
          <div class="tile">
            <span class="tile-label">{ct("dashboard.weekBookings")}</span>
            <strong>{revenue.totals.bookings}</strong>
          </div>
        </div>
      ) : null}
      {can(membership, "catalog.read") ? (
        <>
          <h2>{ct("dashboard.departures")}</h2>
          {trips && trips.length === 0 ? <p class="card">{ct("dashboard.noDepartures")}</p> : null}
          {trips && trips.length > 0 ? (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{ct("trips.departs")}</th>
                  <th scope="col">{ct("trips.route")}</th>
                  <th scope="col">{ct("trips.bus")}</th>
                  <th scope="col">{ct("trips.status")}</th>
                </tr>
              </thead>
              <tbody>
                {trips.map((trip) => (
                  <tr key={trip.id}>
                    <td>
                      {trip.local_date === today ? ct("dashboard.today") : ct("dashboard.tomorrow")} {time(trip.departure, trip.stops[0]?.zone)}
                    </td>
                    <td>{trip.route_name}</td>
                    <td>{trip.bus.plate}</td>
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
