import { locale } from "../../shared/i18n";
import { ct } from "../i18n";
import { monthsBetween } from "../schedule";

const TAGS = { en: "en-GB", bn: "bn-BD" } as const;

function monthName(yyyymm: string): string {
  const [y, m] = yyyymm.split("-").map(Number);
  return new Intl.DateTimeFormat(TAGS[locale.get()], { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

function weekdayNames(): string[] {
  const format = new Intl.DateTimeFormat(TAGS[locale.get()], { weekday: "narrow", timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i)))); // 2024-01-01 was a Monday
}

function dayNumber(ymd: string): string {
  return new Intl.NumberFormat(TAGS[locale.get()]).format(Number(ymd.slice(8)));
}

/** The months a schedule covers, its trip days marked, the generated ones apart. */
export function CalendarPreview(props: { start: string; end: string; dates: string[]; until: string }) {
  const on = new Set(props.dates);
  const months = monthsBetween(props.start, props.end);
  const names = weekdayNames();
  return (
    <>
    <ul class="legend calendar-legend">
      <li>
        <span class="swatch generated" aria-hidden="true" /> {ct("schedule.legendNow")}
      </li>
      <li>
        <span class="swatch later" aria-hidden="true" /> {ct("schedule.legendLater")}
      </li>
    </ul>
    <div class="calendars">
      {months.map(({ month, weeks }) => (
        <table class="calendar" key={month}>
          <caption>{monthName(month)}</caption>
          <thead>
            <tr>
              {names.map((n, i) => (
                <th scope="col" key={i}>
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week, w) => (
              <tr key={w}>
                {week.map((day, i) => {
                  if (!day) return <td key={i} />;
                  const trip = on.has(day);
                  const generated = trip && day <= props.until;
                  const label = trip ? ct(generated ? "schedule.dayGenerated" : "schedule.dayLater", { date: day }) : day;
                  return (
                    <td key={i} class={trip ? (generated ? "trip-day generated" : "trip-day") : ""} title={label} data-date={day}>
                      <span aria-hidden="true">{dayNumber(day)}</span>
                      <span class="sr-only">{label}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
    </>
  );
}
