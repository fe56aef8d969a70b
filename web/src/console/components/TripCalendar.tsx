import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDate, locale, number } from "../../shared/i18n";
import type { List } from "../../shared/types";
import { ct } from "../i18n";
import { errorText, type Trip } from "../model";
import { monthsBetween } from "../schedule";
import { orgCall } from "../workspace";
import "../trips.css";

const TAGS = { en: "en-GB", bn: "bn-BD" } as const;
// A month of a large operator: bounded, so a month with thousands of trips still answers fast.
const PAGES = 10;

interface DayCount {
  trips: number;
  cancelled: number;
}

function shift(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const at = new Date(Date.UTC(y, m - 1 + by, 1));
  return at.toISOString().slice(0, 7);
}

/** A month of the organization's trips, a day's count in each cell; a day opens its list. */
export function TripCalendar(props: { month: string; routeId: string; onMonth: (month: string) => void; onDay: (day: string) => void }) {
  const { month, routeId } = props;
  const [counts, setCounts] = useState<Map<string, DayCount> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const first = `${month}-01`;
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

  useEffect(() => {
    setCounts(null);
    (async () => {
      const found = new Map<string, DayCount>();
      let cursor: string | null = null;
      for (let page = 0; page < PAGES; page++) {
        const answer: { body: List<Trip> } = await orgCall<List<Trip>>(endpoints.orgTrips, {
          query: { from_date: first, to_date: last, route_id: routeId || undefined, limit: 200, cursor: cursor ?? undefined },
        });
        for (const trip of answer.body.items) {
          const day = found.get(trip.local_date) ?? { trips: 0, cancelled: 0 };
          day.trips += 1;
          if (trip.status === "cancelled") day.cancelled += 1;
          found.set(trip.local_date, day);
        }
        cursor = answer.body.next_cursor;
        if (!cursor) break;
      }
      setCounts(found);
    })().catch((error) => setProblem(errorText(error)));
  }, [month, routeId]);

  const [{ weeks } = { weeks: [] }] = monthsBetween(first, last, 1);
  const title = new Intl.DateTimeFormat(TAGS[locale.get()], { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${first}T00:00:00Z`));
  const weekday = new Intl.DateTimeFormat(TAGS[locale.get()], { weekday: "short", timeZone: "UTC" });

  return (
    <div>
      <div class="row wrap calendar-nav">
        <button type="button" class="link" onClick={() => props.onMonth(shift(month, -1))}>
          {ct("trips.previousMonth")}
        </button>
        <h2>{title}</h2>
        <button type="button" class="link" onClick={() => props.onMonth(shift(month, 1))}>
          {ct("trips.nextMonth")}
        </button>
      </div>
      <Alert text={problem} />
      {counts === null && !problem ? <p class="muted">{ct("loading")}</p> : null}
      {counts ? (
        <table class="calendar trip-calendar">
          <caption class="sr-only">{ct("trips.calendarCaption", { month: title })}</caption>
          <thead>
            <tr>
              {Array.from({ length: 7 }, (_, i) => (
                <th scope="col" key={i}>
                  {weekday.format(new Date(Date.UTC(2024, 0, 1 + i)))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week, w) => (
              <tr key={w}>
                {week.map((day, i) => {
                  if (!day) return <td key={i} />;
                  const count = counts.get(day);
                  return (
                    <td key={i} data-date={day}>
                      <button type="button" class="day" onClick={() => props.onDay(day)}>
                        <span class="day-number" aria-hidden="true">
                          {number(Number(day.slice(8)))}
                        </span>
                        <span class="sr-only">{calendarDate(day)}</span>
                        {count ? <span class="day-trips">{ct("trips.dayTrips", { n: count.trips })}</span> : null}
                        {count && count.cancelled > 0 ? <span class="day-cancelled">{ct("trips.dayCancelled", { n: count.cancelled })}</span> : null}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
