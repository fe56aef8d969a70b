import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Field } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { date, DEFAULT_ZONE, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate, usePlace } from "../../shared/router";
import { stationsByCode } from "../../shared/stations";
import type { List, Station } from "../../shared/types";
import {
  dayBounds,
  isDay,
  journey,
  moneyOf,
  ORDER_STATUSES,
  shortRef,
  statusWord,
  when,
  zoneOf,
  type StaffOrder,
} from "../components/SalesModel";
import { ct } from "../i18n";
import { errorText, travellerText } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";
import "../trips.css";
import "../sales.css";

const PAGE = 50;

interface View {
  orders: StaffOrder[];
  cursor: string | null;
  stations: Map<string, Station>;
}

/**
 * The organization's orders, newest first: found by an order number, a passenger's name or the
 * contact's email or phone, and narrowed by status and the day of departure (a day in Dhaka).
 * The filters live in the address, so a search can be bookmarked and shared.
 */
export function OrdersPage() {
  const { membership } = useWorkspace();
  const place = usePlace();
  const q = place.query.get("q") ?? "";
  const status = place.query.get("status") ?? "";
  const day = place.query.get("date") ?? "";
  const tripId = place.query.get("trip_id") ?? "";
  const [text, setText] = useState(q);
  const [view, setView] = useState<View | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [more, setMore] = useState(false);
  const latest = useRef(0);

  // What the address itself gets wrong (a link typed by hand), said before asking the server.
  const dayError = day && !isDay(day) ? ct("orders.dateInvalid") : undefined;
  const statusError = status && !(ORDER_STATUSES as readonly string[]).includes(status) ? ct("orders.statusInvalid") : undefined;

  const query = (after: string | null) => {
    const [from, until] = day ? dayBounds(day, DEFAULT_ZONE) : [undefined, undefined];
    return {
      q: q.trim() || undefined,
      status: status || undefined,
      trip_id: tripId || undefined,
      departs_from: from,
      departs_until: until,
      limit: PAGE,
      cursor: after ?? undefined,
    };
  };

  // The list and the station names come together, and are drawn together; an answer to an
  // older search (the filters changed meanwhile) is dropped.
  useEffect(() => {
    setText(q);
    const ask = ++latest.current;
    setView(null);
    setProblem(null);
    setErrors({});
    if (dayError || statusError) return;
    Promise.all([
      orgCall<List<StaffOrder>>(endpoints.orgOrders, { query: query(null) }),
      // Names and zones of stations: without them the list still shows codes, in Dhaka's time.
      stationsByCode().catch(() => new Map<string, Station>()),
    ])
      .then(([page, stations]) => {
        if (ask !== latest.current) return;
        setView({ orders: page.body.items, cursor: page.body.next_cursor, stations });
      })
      .catch((error) => {
        if (ask !== latest.current) return;
        const named: Record<string, string> = {};
        if (error instanceof ApiError) {
          for (const field of ["q", "status", "trip_id"]) {
            const message = error.fieldMessage(field);
            if (message) named[field] = message;
          }
          const dayMessage = error.fieldMessage("departs_from") ?? error.fieldMessage("departs_until");
          if (dayMessage) named.date = dayMessage;
        }
        if (Object.keys(named).length > 0) setErrors(named);
        else setProblem(errorText(error));
      });
  }, [q, status, day, tripId, membership?.org_id]);

  const filter = (change: Record<string, string>) => {
    const next = new URLSearchParams({ q, status, date: day, trip_id: tripId, ...change });
    for (const [k, v] of [...next.entries()]) if (!v) next.delete(k);
    const search = next.toString();
    navigate(search ? `/console/orders?${search}` : "/console/orders", { replace: true });
  };

  const loadMore = async () => {
    if (!view?.cursor || more) return;
    setMore(true);
    try {
      const page = await orgCall<List<StaffOrder>>(endpoints.orgOrders, { query: query(view.cursor) });
      setView({ ...view, orders: [...view.orders, ...page.body.items], cursor: page.body.next_cursor });
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setMore(false);
    }
  };

  const filtered = Boolean(q || status || day || tripId);

  return (
    <section class="orders-page">
      <div class="page-head">
        <h1>{ct("orders.title")}</h1>
        {can(membership, "sales.create") ? (
          <a class="button primary" href="/console/counter">
            {ct("orders.newSale")}
          </a>
        ) : null}
      </div>
      <form
        class="row wrap filters-bar sales-filters"
        role="search"
        aria-label={ct("orders.filters")}
        onSubmit={(event) => {
          event.preventDefault();
          filter({ q: text.trim() });
        }}
      >
        <Field id="orders-q" label={ct("orders.search")} error={errors.q}>
          <input id="orders-q" type="search" value={text} maxLength={200} autocomplete="off" onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="secondary filter-button">
          {ct("orders.searchButton")}
        </button>
        <Field id="orders-status" label={ct("orders.status")} error={statusError ?? errors.status} narrow>
          <select id="orders-status" value={statusError ? "" : status} onChange={(e) => filter({ status: e.currentTarget.value })}>
            <option value="">{ct("orders.anyStatus")}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusWord(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="orders-date" label={ct("orders.departureDay")} error={dayError ?? errors.date} narrow>
          <input id="orders-date" type="date" value={isDay(day) ? day : ""} onChange={(e) => filter({ date: e.currentTarget.value })} />
        </Field>
        {filtered ? (
          <button type="button" class="link filter-button" onClick={() => filter({ q: "", status: "", date: "", trip_id: "" })}>
            {ct("orders.clear")}
          </button>
        ) : null}
      </form>
      <p class="hint">{ct("orders.searchHint")}</p>
      {tripId ? (
        <p class="tag soft trip-filter">
          {ct("orders.oneTrip")}{" "}
          <button type="button" class="link" onClick={() => filter({ trip_id: "" })}>
            {ct("orders.allTrips")}
          </button>
        </p>
      ) : null}
      {errors.trip_id ? <Alert text={errors.trip_id} /> : null}
      <Alert text={problem} />
      {view === null && !problem && !dayError && !statusError && Object.keys(errors).length === 0 ? <p class="muted">{ct("loading")}</p> : null}
      {view && view.orders.length === 0 ? <p class="card">{filtered ? ct("orders.noneMatch") : ct("orders.none")}</p> : null}
      {view && view.orders.length > 0 ? (
        <>
          <p class="muted small" role="status">
            {view.cursor ? ct("orders.shownMore", { n: view.orders.length }) : ct("orders.shown", { n: view.orders.length })}
          </p>
          <div class="table-scroll">
            <table class="table orders-table">
              <thead>
                <tr>
                  <th scope="col">{ct("orders.order")}</th>
                  <th scope="col">{ct("orders.departure")}</th>
                  <th scope="col">{ct("orders.passengers")}</th>
                  <th scope="col">{ct("orders.contact")}</th>
                  <th scope="col" class="num">
                    {ct("orders.total")}
                  </th>
                  <th scope="col">{ct("orders.status")}</th>
                  <th scope="col">{ct("orders.placed")}</th>
                </tr>
              </thead>
              <tbody>
                {view.orders.map((order) => {
                  const zone = zoneOf(view.stations, order.from);
                  const cancelled = order.items.filter((i) => i.status === "cancelled").length;
                  return (
                    <tr key={order.id} data-order={order.id} data-status={order.status}>
                      <td>
                        <a href={`/console/orders/${encodeURIComponent(order.id)}`} class="order-ref">
                          {shortRef(order.id)}
                        </a>
                      </td>
                      <td>
                        <span class="nowrap">
                          {date(order.departs_at, zone)}, {time(order.departs_at, zone)}
                        </span>
                        <br />
                        <span class="muted small">{journey(view.stations, order)}</span>
                      </td>
                      <td>
                        <ul class="plain">
                          {order.items.map((item) => (
                            <li key={item.seat} class={item.status === "cancelled" ? "struck" : undefined}>
                              <span class="seat-label">{item.seat}</span> <bdi>{travellerText(item.passenger.name)}</bdi>
                              {item.status === "cancelled" ? <span class="sr-only"> ({ct("orders.seatCancelled")})</span> : null}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td class="contact-cell">
                        <bdi>{travellerText(order.contact.email)}</bdi>
                        {order.contact.phone ? (
                          <>
                            <br />
                            <bdi class="muted small">{travellerText(order.contact.phone)}</bdi>
                          </>
                        ) : null}
                      </td>
                      <td class="num nowrap">{moneyOf(order.total)}</td>
                      <td>
                        <span class={`badge status-${order.status}`}>{statusWord(order.status)}</span>
                        {cancelled > 0 && order.status === "partially_cancelled" ? (
                          <span class="muted small block">{ct("orders.seatsCancelled", { n: cancelled })}</span>
                        ) : null}
                      </td>
                      <td class="small">{when(order.created_at, zone)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {view?.cursor ? (
        <button type="button" class="secondary" disabled={more} onClick={loadMore}>
          {ct("orders.more")}
        </button>
      ) : null}
    </section>
  );
}
