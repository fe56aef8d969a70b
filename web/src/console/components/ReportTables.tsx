// The reports' shapes (GET /v1/reports/revenue and /occupancy, services/reporting/README.md)
// and their tables: one row per day, route or trip, the range's totals in the footer.

import { calendarDate, date, money, number, time } from "../../shared/i18n";
import { ct, type ConsoleKey } from "../i18n";

export type Grouping = "day" | "route" | "trip";
export const GROUPINGS: readonly Grouping[] = ["day", "route", "trip"];

export interface RevenueRow {
  key: string;
  label: string;
  bookings: number;
  seats: number;
  cancelled_seats: number;
  gross: number;
  refunds: number;
  net: number;
}

export interface RevenueReport {
  currency: string | null;
  currencies: string[];
  group_by: Grouping;
  from_date: string;
  to_date: string;
  rows: RevenueRow[];
  totals: RevenueRow;
  next_cursor: string | null;
}

export interface OccupancyRow {
  // by trip
  trip_id?: string;
  route_id?: string;
  route_name?: string;
  departure?: string;
  status?: string;
  // by day or route, and the totals
  key?: string;
  label?: string;
  trips?: number;
  capacity: number;
  offered: number;
  sold: number;
  seats_sold: number;
  seats_cancelled: number;
  boarded: number;
  no_shows: number;
  load_factor: number;
}

export interface OccupancyReport {
  group_by: Grouping;
  from_date: string;
  to_date: string;
  rows: OccupancyRow[];
  totals: OccupancyRow;
  next_cursor: string | null;
}

/** A share (0.4567) as a percentage in words ("45.7%"). */
export function percent(share: number): string {
  const value = share * 100;
  // Below one per cent, two decimals: a few seats sold on a large network are not "0%".
  const scale = value > 0 && value < 1 ? 100 : 10;
  return ct("reports.percent", { value: Math.round(value * scale) / scale });
}

/** A trip's departure in words: its day and time in the zone it was written with. */
function departureText(iso: string): string {
  return `${date(iso)} ${time(iso)}`;
}

/** A revenue row's label: the day in words, the route's name, or a trip's route and departure. */
function revenueLabel(row: RevenueRow, grouping: Grouping): string {
  if (grouping === "day") return calendarDate(row.key);
  if (grouping === "trip") {
    // "Dhaka – Cox's Bazar 2026-12-21T22:30:00+06:00": the route's name, then the departure.
    const found = /^(.*) (\d{4}-\d\d-\d\dT\S+)$/.exec(row.label);
    if (found) return `${found[1]} · ${departureText(found[2])}`;
  }
  return row.label;
}

const headOf = (grouping: Grouping) => ct(`reports.by.${grouping}` as ConsoleKey);

export function RevenueTable({ report, grouping, currency }: { report: RevenueReport; grouping: Grouping; currency: string }) {
  const cash = (amount: number) => money(amount, currency);
  return (
    <table class="table report-table" id="revenue-table">
      <caption>{ct(`reports.revenueBy.${grouping}` as ConsoleKey)}</caption>
      <thead>
        <tr>
          <th scope="col">{headOf(grouping)}</th>
          <th scope="col" class="num">{ct("reports.bookings")}</th>
          <th scope="col" class="num">{ct("reports.seats")}</th>
          <th scope="col" class="num">{ct("reports.cancelledSeats")}</th>
          <th scope="col" class="num">{ct("reports.gross")}</th>
          <th scope="col" class="num">{ct("reports.refunds")}</th>
          <th scope="col" class="num">{ct("reports.net")}</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((row) => (
          <tr key={row.key} data-key={row.key}>
            <th scope="row">
              {grouping === "trip" ? <a href={`/console/trips/${row.key}`}>{revenueLabel(row, grouping)}</a> : revenueLabel(row, grouping)}
            </th>
            <td class="num">{number(row.bookings)}</td>
            <td class="num">{number(row.seats)}</td>
            <td class="num">{number(row.cancelled_seats)}</td>
            <td class="num">{cash(row.gross)}</td>
            <td class="num">{cash(row.refunds)}</td>
            <td class="num">{cash(row.net)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr class="totals">
          <th scope="row">{ct("reports.total")}</th>
          <td class="num">{number(report.totals.bookings)}</td>
          <td class="num">{number(report.totals.seats)}</td>
          <td class="num">{number(report.totals.cancelled_seats)}</td>
          <td class="num">{cash(report.totals.gross)}</td>
          <td class="num">{cash(report.totals.refunds)}</td>
          <td class="num" data-total="net">{cash(report.totals.net)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function occupancyLabel(row: OccupancyRow, grouping: Grouping) {
  if (grouping === "trip" && row.trip_id) {
    return (
      <>
        <a href={`/console/trips/${row.trip_id}`}>{row.departure ? departureText(row.departure) : row.trip_id}</a>
        <span class="block small muted">
          {row.route_name}
          {row.status ? ` · ${ct(`trip.status.${row.status}` as ConsoleKey)}` : ""}
        </span>
      </>
    );
  }
  if (grouping === "day" && row.key) return calendarDate(row.key);
  return row.label ?? row.key ?? "";
}

export function OccupancyTable({ report, grouping }: { report: OccupancyReport; grouping: Grouping }) {
  const t = report.totals;
  return (
    <table class="table report-table" id="occupancy-table">
      <caption>{ct(`reports.occupancyBy.${grouping}` as ConsoleKey)}</caption>
      <thead>
        <tr>
          <th scope="col">{headOf(grouping)}</th>
          {grouping === "trip" ? null : <th scope="col" class="num">{ct("reports.trips")}</th>}
          <th scope="col" class="num">{ct("reports.capacity")}</th>
          <th scope="col" class="num">{ct("reports.offered")}</th>
          <th scope="col" class="num">{ct("reports.sold")}</th>
          <th scope="col" class="num">{ct("reports.loadFactor")}</th>
          <th scope="col" class="num">{ct("reports.seatsSold")}</th>
          <th scope="col" class="num">{ct("reports.cancelledSeats")}</th>
          <th scope="col" class="num">{ct("reports.boarded")}</th>
          <th scope="col" class="num">{ct("reports.noShows")}</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((row) => (
          <tr key={row.trip_id ?? row.key} data-key={row.trip_id ?? row.key}>
            <th scope="row">{occupancyLabel(row, grouping)}</th>
            {grouping === "trip" ? null : <td class="num">{number(row.trips ?? 0)}</td>}
            <td class="num">{number(row.capacity)}</td>
            <td class="num">{number(row.offered)}</td>
            <td class="num">{number(row.sold)}</td>
            <td class="num">{percent(row.load_factor)}</td>
            <td class="num">{number(row.seats_sold)}</td>
            <td class="num">{number(row.seats_cancelled)}</td>
            <td class="num">{number(row.boarded)}</td>
            <td class="num">{number(row.no_shows)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr class="totals">
          <th scope="row">{ct("reports.total")}</th>
          {grouping === "trip" ? null : <td class="num">{number(t.trips ?? 0)}</td>}
          <td class="num">{number(t.capacity)}</td>
          <td class="num">{number(t.offered)}</td>
          <td class="num">{number(t.sold)}</td>
          <td class="num">{percent(t.load_factor)}</td>
          <td class="num">{number(t.seats_sold)}</td>
          <td class="num">{number(t.seats_cancelled)}</td>
          <td class="num">{number(t.boarded)}</td>
          <td class="num">{number(t.no_shows)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
