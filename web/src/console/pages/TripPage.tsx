import { useEffect, useState } from "preact/hooks";
import { Alert, Field } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDate, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import type { List, SeatMap } from "../../shared/types";
import { TripSeatMap } from "../components/TripSeatMap";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type StaffMember, type Trip } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";
import "../trips.css";

interface Block {
  id: string;
  seats: string[];
  from: string;
  to: string;
}

interface Assignment {
  id: string;
  staff_id: string;
  duty: string;
}

const DUTIES = ["driver", "co_driver", "conductor", "helper"] as const;
const OPEN = new Set(["draft", "published", "delayed", "boarding"]);

function counts(map: SeatMap) {
  const out = { available: 0, held: 0, booked: 0, blocked: 0 };
  for (const deck of map.decks) {
    for (const cell of deck.cells) {
      if (cell.type !== "seat" && cell.type !== "berth") continue;
      out[cell.status] += 1;
    }
  }
  return out;
}

/**
 * One trip: its seats (sold, held, kept off sale) with seats blocked and put back, its crew,
 * and a delay or a cancellation with what each does to travellers said before confirming.
 */
export function TripPage({ tripId }: { tripId?: string }) {
  const { membership } = useWorkspace();
  const manage = can(membership, "catalog.manage");
  const crewManage = can(membership, "fleet.manage");
  const [trip, setTrip] = useState<Trip | null>(null);
  const [map, setMap] = useState<SeatMap | null>(null);
  const [blocks, setBlocks] = useState<Block[]>([]);
  const [crew, setCrew] = useState<Assignment[]>([]);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [blockFrom, setBlockFrom] = useState("");
  const [blockTo, setBlockTo] = useState("");
  const [staffId, setStaffId] = useState("");
  const [duty, setDuty] = useState<(typeof DUTIES)[number]>("driver");
  const [delay, setDelay] = useState("0");
  const [reason, setReason] = useState("");
  const [confirm, setConfirm] = useState<"delay" | "cancel" | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = tripId ?? "";

  const load = async () => {
    const [t, m, b, c, s] = await Promise.all([
      orgCall<Trip>(endpoints.orgTrip, { params: { trip_id: id } }),
      orgCall<SeatMap>(endpoints.seats, { params: { trip_id: id } }),
      orgCall<List<Block>>(endpoints.blocks, { params: { trip_id: id } }),
      orgCall<List<Assignment>>(endpoints.crew, { params: { trip_id: id } }),
      orgCall<List<StaffMember>>(endpoints.staff, { query: { limit: 200 } }),
    ]);
    setMap(m.body);
    setBlocks(b.body.items);
    setCrew(c.body.items);
    setStaff(s.body.items);
    setDelay(String(t.body.delay_minutes));
    setTrip(t.body);
  };
  useEffect(() => {
    load().catch((error) => setProblem(errorText(error)));
  }, [id]);

  async function act(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    setProblem(null);
    setNote(null);
    try {
      await action();
      await load();
      setNote(done);
      setConfirm(null);
    } catch (error) {
      if (error instanceof ApiError && error.code === "staff_conflict") setProblem(ct("trip.crewConflict"));
      else setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  if (!trip || !map) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const zone = trip.stops[0]?.zone;
  const seats = counts(map);
  const stops = trip.stops.map((s) => s.station);
  const open = OPEN.has(trip.status);
  const staffName = (staffIdOf: string) => staff.find((s) => s.id === staffIdOf)?.name ?? staffIdOf;
  const delayMinutes = Number(delay);
  const delayValid = Number.isInteger(delayMinutes) && delayMinutes >= 0 && delayMinutes <= 1440;

  return (
    <section>
      <p class="crumbs">
        <a href="/console/trips">{ct("trips.title")}</a>
      </p>
      <div class="page-head">
        <h1>
          {trip.route_name} · {calendarDate(trip.local_date)} {time(trip.departure, zone)}
        </h1>
        {can(membership, "sales.read") ? (
          <a class="button secondary" href={`/console/orders?trip_id=${trip.id}`}>
            {ct("trip.orders")}
          </a>
        ) : null}
        {can(membership, "boarding.scan") ? (
          <a class="button secondary" href={`/console/trips/${trip.id}/manifest`}>
            {ct("trips.manifest")}
          </a>
        ) : null}
      </div>
      <p>
        <span class={`badge trip-${trip.status}`}>{ct(`trip.status.${trip.status}` as ConsoleKey)}</span>{" "}
        {trip.delay_minutes > 0 ? <span class="tag warn">{ct("trips.delayed", { n: trip.delay_minutes })}</span> : null}{" "}
        <span class="muted">
          {trip.bus.plate} · {stops.join(" → ")}
        </span>
      </p>
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      <Alert text={problem} />

      <div class="tiles">
        <div class="tile">
          <span class="tile-label">{ct("trip.sold")}</span>
          <strong data-count="booked">{seats.booked}</strong>
        </div>
        <div class="tile">
          <span class="tile-label">{ct("trip.held")}</span>
          <strong data-count="held">{seats.held}</strong>
        </div>
        <div class="tile">
          <span class="tile-label">{ct("trip.free")}</span>
          <strong data-count="available">{seats.available}</strong>
        </div>
        <div class="tile">
          <span class="tile-label">{ct("trip.blocked")}</span>
          <strong data-count="blocked">{seats.blocked}</strong>
        </div>
      </div>

      <h2>{ct("trip.seats")}</h2>
      <ul class="legend trip-legend">
        {(["available", "held", "booked", "blocked"] as const).map((s) => (
          <li key={s}>
            <span class={`swatch seat-${s}`} aria-hidden="true" /> {ct(`trip.seat.${s}` as ConsoleKey)}
          </li>
        ))}
      </ul>
      <TripSeatMap
        map={map}
        selected={selected}
        onToggle={manage && open ? (label) => setSelected(selected.includes(label) ? selected.filter((s) => s !== label) : [...selected, label]) : undefined}
      />
      {manage && open ? (
        <form
          class="card"
          onSubmit={(event) => {
            event.preventDefault();
            const body = { seats: selected, ...(blockFrom && blockTo ? { from: blockFrom, to: blockTo } : {}) };
            void act(async () => {
              await orgCall(endpoints.blockSeats, { params: { trip_id: trip.id }, body });
              setSelected([]);
            }, ct("trip.blockedNote", { seats: selected.join(", ") }));
          }}
        >
          <h3>{ct("trip.blockTitle")}</h3>
          <p class="hint">{selected.length === 0 ? ct("trip.blockHint") : ct("trip.blockSelected", { seats: selected.join(", ") })}</p>
          <div class="row wrap">
            <Field id="block-from" label={ct("trip.blockFrom")} narrow>
              <select id="block-from" value={blockFrom} onChange={(e) => setBlockFrom(e.currentTarget.value)}>
                <option value="">{ct("trip.wholeTrip")}</option>
                {stops.slice(0, -1).map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="block-to" label={ct("trip.blockTo")} narrow>
              <select id="block-to" value={blockTo} onChange={(e) => setBlockTo(e.currentTarget.value)}>
                <option value="">{ct("trip.wholeTrip")}</option>
                {stops.slice(1).map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </Field>
            <button class="secondary self-end" disabled={busy || selected.length === 0}>
              {ct("trip.block")}
            </button>
          </div>
        </form>
      ) : null}
      {blocks.length > 0 ? (
        <table class="table">
          <caption>{ct("trip.blocks")}</caption>
          <thead>
            <tr>
              <th scope="col">{ct("manifest.seat")}</th>
              <th scope="col">{ct("manifest.journey")}</th>
              {manage ? (
                <th scope="col">
                  <span class="sr-only">{ct("trips.actions")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {blocks.map((b) => (
              <tr key={b.id}>
                <td>{b.seats.join(", ")}</td>
                <td>
                  {b.from} → {b.to}
                </td>
                {manage ? (
                  <td>
                    <button
                      type="button"
                      class="link"
                      disabled={busy}
                      onClick={() => act(() => orgCall(endpoints.unblockSeats, { params: { trip_id: trip.id, block_id: b.id } }), ct("trip.unblockedNote", { seats: b.seats.join(", ") }))}
                    >
                      {ct("trip.unblock", { seats: b.seats.join(", ") })}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>{ct("trip.crew")}</h2>
      {crew.length === 0 ? <p class="muted">{ct("trip.noCrew")}</p> : null}
      {crew.length > 0 ? (
        <ul class="crew">
          {crew.map((a) => (
            <li key={a.id}>
              {staffName(a.staff_id)} · {ct(`trip.duty.${a.duty}` as ConsoleKey)}
            </li>
          ))}
        </ul>
      ) : null}
      {crewManage && open ? (
        <form
          class="row wrap"
          onSubmit={(event) => {
            event.preventDefault();
            if (!staffId) return;
            void act(
              () => orgCall(endpoints.assignCrew, { params: { trip_id: trip.id }, body: { staff_id: staffId, duty } }),
              ct("trip.assigned", { name: staffName(staffId), duty: ct(`trip.duty.${duty}` as ConsoleKey) }),
            );
          }}
        >
          <Field id="crew-staff" label={ct("trip.crewMember")}>
            <select id="crew-staff" value={staffId} onChange={(e) => setStaffId(e.currentTarget.value)}>
              <option value="">{ct("trip.pickStaff")}</option>
              {staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} · {ct(`staff.role.${s.role}` as ConsoleKey)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="crew-duty" label={ct("trip.duty")} narrow>
            <select id="crew-duty" value={duty} onChange={(e) => setDuty(e.currentTarget.value as (typeof DUTIES)[number])}>
              {DUTIES.map((d) => (
                <option key={d} value={d}>
                  {ct(`trip.duty.${d}` as ConsoleKey)}
                </option>
              ))}
            </select>
          </Field>
          <button class="secondary self-end" disabled={busy || !staffId}>
            {ct("trip.assign")}
          </button>
        </form>
      ) : null}

      {manage && open ? (
        <div class="trip-actions">
          <form
            class="card"
            onSubmit={(event) => {
              event.preventDefault();
              if (delayValid) setConfirm("delay");
            }}
          >
            <h2>{ct("trip.delayTitle")}</h2>
            <Field id="trip-delay" label={ct("trip.delayMinutes")} error={delayValid ? undefined : ct("trip.delayInvalid")} narrow>
              <input
                id="trip-delay"
                type="number"
                min={0}
                max={1440}
                value={delay}
                onInput={(e) => {
                  setDelay(e.currentTarget.value);
                  setConfirm(null);
                }}
              />
            </Field>
            {delayValid ? (
              <div class="consequences" role="note" aria-live="polite">
                <p>
                  {delayMinutes === 0
                    ? ct("trip.delayNone", { time: time(trip.scheduled_departure ?? trip.departure, zone) })
                    : ct("trip.delayLeaves", {
                        time: time(new Date(Date.parse(trip.scheduled_departure ?? trip.departure) + delayMinutes * 60_000).toISOString(), zone),
                      })}
                </p>
                <p>{ct("trip.delayTells", { n: seats.booked })}</p>
              </div>
            ) : null}
            {/* The trigger stays where it is while the confirmation opens below it: a double
                click never lands on the confirmation. */}
            <button class="secondary" disabled={!delayValid || confirm === "delay"}>
              {ct("trip.announceDelay")}
            </button>
            {confirm === "delay" ? (
              <div class="actions">
                <button
                  type="button"
                  class="primary"
                  disabled={busy}
                  onClick={(event) => {
                    if (event.detail > 1) return;
                    void act(() => orgCall(endpoints.delayTrip, { params: { trip_id: trip.id }, body: { delay_minutes: delayMinutes } }), ct("trip.delayedNote", { n: delayMinutes }));
                  }}
                >
                  {ct("trip.confirmDelay", { n: delayMinutes })}
                </button>
                <button type="button" class="link" onClick={() => setConfirm(null)}>
                  {ct("cancel")}
                </button>
              </div>
            ) : null}
          </form>

          <form
            class="card"
            onSubmit={(event) => {
              event.preventDefault();
              setConfirm("cancel");
            }}
          >
            <h2>{ct("trip.cancelTitle")}</h2>
            <Field id="trip-cancel-reason" label={ct("trip.cancelReason")}>
              <input id="trip-cancel-reason" value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
            </Field>
            <div class="consequences" role="note">
              <p>{ct("trip.cancelStops")}</p>
              <p>{seats.booked > 0 ? ct("trip.cancelRefunds", { n: seats.booked }) : ct("trip.cancelNoSales")}</p>
            </div>
            <button class="secondary" disabled={confirm === "cancel"}>
              {ct("trip.cancelButton")}
            </button>
            {confirm === "cancel" ? (
              <div class="actions">
                <button
                  type="button"
                  class="danger"
                  disabled={busy}
                  onClick={(event) => {
                    if (event.detail > 1) return;
                    void act(
                      () => orgCall(endpoints.cancelTrip, { params: { trip_id: trip.id }, body: { ...(reason.trim() ? { reason: reason.trim() } : {}) } }),
                      ct("trip.cancelledNote"),
                    );
                  }}
                >
                  {ct("trip.confirmCancel", { n: seats.booked })}
                </button>
                <button type="button" class="link" onClick={() => setConfirm(null)}>
                  {ct("trip.keepTrip")}
                </button>
              </div>
            ) : null}
          </form>
        </div>
      ) : null}
    </section>
  );
}
