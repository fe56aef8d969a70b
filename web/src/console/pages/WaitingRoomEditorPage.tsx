import "../rooms.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { calendarDate, calendarDayIn, date, DEFAULT_ZONE, number, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import type { List } from "../../shared/types";
import { instantOf, wallTimeIn, zoneCity } from "../components/RoomClock";
import { HintedField, serverWords } from "../components/RoomField";
import { openingWords, statusWords, tripWords, tripZone, type Room, type RoomMode } from "../components/RoomTypes";
import { ct } from "../i18n";
import { errorText, type Trip } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

/** How often the counters are read again while the page is open. */
const LIVE_EVERY_MS = 5000;
/** Trips a room may still guard: not yet gone, not cancelled. */
const UPCOMING = new Set(["draft", "published", "boarding"]);
/** The fields the form has an input for (what the server may name in errors[].field). */
const FIELDS = new Set(["name", "room_id", "mode", "opens_at", "pre_queue_minutes", "admit_per_minute", "max_active", "session_minutes", "trip_ids"]);
// The queue service's limits (services/queue/domain/room.h).
const MAX_PRE_QUEUE = 24 * 60;
const MAX_ADMIT = 1_000_000;
const MAX_ACTIVE = 10_000_000;
const MAX_SESSION = 24 * 60;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A room id suggested from its name: lower-case letters, digits and dashes. */
function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}

/** The organization's trips on `day` that a room may still guard, in departure order. */
async function tripsOn(day: string): Promise<Trip[]> {
  const found: Trip[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const answer: { body: List<Trip> } = await orgCall<List<Trip>>(endpoints.orgTrips, {
      query: { from_date: day, to_date: day, limit: 200, cursor: cursor ?? undefined },
    });
    found.push(...answer.body.items);
    cursor = answer.body.next_cursor;
    if (!cursor) break;
  }
  const now = Date.now();
  return found
    .filter((trip) => UPCOMING.has(trip.status) && Date.parse(trip.departure) > now)
    .sort((a, b) => Date.parse(a.departure) - Date.parse(b.departure));
}

/** The next whole hour after the coming one: a default opening that is surely in the future. */
function defaultOpening(): string {
  const hour = 3_600_000;
  return new Date(Math.ceil((Date.now() + hour) / hour) * hour).toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface Loaded {
  room: Room | null;
  /** The organization's other open rooms (their trips cannot be guarded twice). */
  others: Room[];
}

/**
 * One waiting room: its settings (the trips it guards, how and when it opens, its pace), its
 * live counters and the draw's commitment; created or changed with PUT, closed with DELETE
 * after saying what closing does. Read-only for members who may not manage the catalog.
 */
export function WaitingRoomEditorPage({ roomId }: { roomId?: string }) {
  const { membership } = useWorkspace();
  const manage = can(membership, "catalog.manage");
  const today = calendarDayIn(DEFAULT_ZONE);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [live, setLive] = useState<Room | null>(null);
  const [id, setId] = useState("");
  const [idEdited, setIdEdited] = useState(false);
  const [name, setName] = useState("");
  const [mode, setMode] = useState<RoomMode>("scheduled");
  const [opensAt, setOpensAt] = useState(""); // an instant (RFC 3339), or "" for none
  const [preQueue, setPreQueue] = useState("15");
  const [admit, setAdmit] = useState("60");
  const [maxActive, setMaxActive] = useState("200");
  const [session, setSession] = useState("10");
  const [tripIds, setTripIds] = useState<string[]>([]);
  const [known, setKnown] = useState<Map<string, Trip>>(new Map());
  const [day, setDay] = useState(today);
  const [dayTrips, setDayTrips] = useState<Trip[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [closing, setClosing] = useState(false);
  const shownDay = useRef(today);

  // Everything the page shows, read first and then drawn at once.
  useEffect(() => {
    (async () => {
      const [list, room] = await Promise.all([
        orgCall<List<Room>>(endpoints.queueRooms),
        roomId ? orgCall<Room>(endpoints.queueRoom, { params: { room_id: roomId } }).then((a) => a.body) : Promise.resolve(null),
      ]);
      const trips = new Map<string, Trip>();
      if (room) {
        const found = await Promise.all(
          room.trip_ids.map((tripId) =>
            orgCall<Trip>(endpoints.orgTrip, { params: { trip_id: tripId } })
              .then((a) => a.body)
              .catch(() => null),
          ),
        );
        for (const trip of found) if (trip) trips.set(trip.id, trip);
      }
      const ids = room ? [...room.trip_ids].sort((a, b) => Date.parse(trips.get(a)?.departure ?? "") - Date.parse(trips.get(b)?.departure ?? "")) : [];
      const first = trips.get(ids[0]);
      const startDay = first && first.local_date > today ? first.local_date : today;
      const options = manage ? await tripsOn(startDay) : [];
      if (room) {
        setId(room.room_id);
        setName(room.name);
        setMode(room.mode);
        setOpensAt(room.opens_at ?? "");
        setPreQueue(String(room.pre_queue_minutes));
        setAdmit(String(room.admit_per_minute));
        setMaxActive(String(room.max_active));
        setSession(String(room.session_minutes));
        setTripIds(ids);
      } else {
        setOpensAt(defaultOpening());
      }
      setKnown(trips);
      shownDay.current = startDay;
      setDay(startDay);
      setDayTrips(options);
      setLive(room);
      setLoaded({ room, others: list.body.items.filter((r) => r.room_id !== roomId) });
    })().catch((error) => setProblem(error instanceof ApiError && error.status === 404 ? ct("rooms.notFound") : errorText(error)));
  }, [roomId]);

  // The counters, read again every few seconds while the page is open.
  // One read at a time, none while the tab is hidden, and none after the room is gone or the
  // member may no longer read it.
  useEffect(() => {
    if (!roomId) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = () => {
      if (!stopped) timer = setTimeout(read, LIVE_EVERY_MS);
    };
    const read = () => {
      if (document.hidden) return next();
      orgCall<Room>(endpoints.queueRoom, { params: { room_id: roomId } })
        .then((answer) => {
          if (!stopped) setLive(answer.body);
          next();
        })
        .catch((error) => {
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
            if (error.status === 404) setProblem(ct("rooms.gone"));
            stopped = true;
            return;
          }
          next();
        });
    };
    next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [roomId]);

  if (!loaded) return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;

  const room = loaded.room;
  const zone = tripZone(known.get(tripIds[0])) ?? DEFAULT_ZONE;
  const guardedBy = new Map<string, Room>();
  for (const other of loaded.others) for (const tripId of other.trip_ids) guardedBy.set(tripId, other);
  // Once the pre-queue has begun (an on-demand room: from the start), mode and opening stay.
  const begun = live !== null && live.status !== "scheduled";
  const tripName = (tripId: string) => {
    const trip = known.get(tripId);
    return trip ? tripWords(trip) : tripId;
  };

  function showDay(next: string) {
    setDay(next);
    shownDay.current = next;
    if (!next) return;
    setDayTrips(null);
    tripsOn(next)
      .then((trips) => {
        if (shownDay.current === next) setDayTrips(trips);
      })
      .catch((error) => {
        setDayTrips([]);
        setProblem(errorText(error));
      });
  }

  function toggleTrip(trip: Trip, on: boolean) {
    setKnown((before) => new Map(before).set(trip.id, trip));
    setTripIds((before) => (on ? (before.includes(trip.id) ? before : [...before, trip.id]) : before.filter((t) => t !== trip.id)));
  }

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    setNote(null);
    const found: Record<string, string> = {};
    const target = roomId ?? id.trim();
    if (!roomId) {
      if (!target) found.room_id = ct("rooms.err.idNeeded");
      else if (target === "new") found.room_id = ct("rooms.err.idReserved");
    }
    const whole = (field: string, text: string): number => {
      const value = text.trim();
      if (!/^-?\d+$/.test(value)) found[field] = ct("rooms.err.whole");
      return Number(value);
    };
    const body: Record<string, unknown> = {
      name: name.trim(),
      mode,
      trip_ids: tripIds,
      admit_per_minute: whole("admit_per_minute", admit),
      max_active: whole("max_active", maxActive),
      session_minutes: whole("session_minutes", session),
    };
    if (mode === "scheduled") {
      body.pre_queue_minutes = whole("pre_queue_minutes", preQueue);
      if (opensAt) body.opens_at = opensAt;
    }
    if (Object.keys(found).length > 0) {
      setErrors(found);
      return focusFirstError();
    }
    setErrors({});
    setBusy(true);
    try {
      if (!roomId) {
        // PUT creates or replaces: a new room must not silently replace one of ours.
        const existing = await orgCall<Room>(endpoints.queueRoom, { params: { room_id: target } }).then(
          () => true,
          (error) => {
            if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return false;
            throw error;
          },
        );
        if (existing) {
          setErrors({ room_id: ct("rooms.err.idYours") });
          setBusy(false);
          return focusFirstError();
        }
      }
      const answer = await orgCall<Room>(endpoints.putQueueRoom, { params: { room_id: target }, body });
      if (!roomId) {
        navigate(`/console/waiting-rooms?saved=${encodeURIComponent(target)}`);
        return;
      }
      setLive(answer.body);
      setNote(ct("rooms.saved"));
      setBusy(false);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.problem.errors?.length) {
        const fields: Record<string, string> = {};
        const elsewhere: string[] = [];
        for (const e of error.problem.errors) {
          const field = e.field.startsWith("trip_ids") ? "trip_ids" : e.field;
          if (FIELDS.has(field)) fields[field] ??= serverWords(e.message);
          else elsewhere.push(`${e.field}: ${serverWords(e.message)}`);
        }
        setErrors(fields);
        setProblem(elsewhere.length > 0 ? elsewhere.join(" ") : ct("rooms.fixFields"));
        focusFirstError();
      } else if (error instanceof ApiError && error.code === "room_taken") {
        setErrors({ room_id: ct("rooms.err.idTaken") });
        focusFirstError();
      } else if (error instanceof ApiError && error.code === "trip_guarded") {
        const tripId = UUID.exec(error.message)?.[0];
        setErrors({ trip_ids: ct("rooms.err.tripGuarded", { trip: tripId ? tripName(tripId) : "" }) });
      } else if (error instanceof ApiError && error.code === "too_many_rooms") {
        setProblem(ct("rooms.err.tooMany"));
      } else {
        setProblem(errorText(error));
      }
    }
  }

  async function close() {
    if (!roomId) return;
    setBusy(true);
    setProblem(null);
    try {
      await orgCall(endpoints.closeQueueRoom, { params: { room_id: roomId } });
      navigate(`/console/waiting-rooms?closed=${encodeURIComponent(roomId)}`);
    } catch (error) {
      setBusy(false);
      setProblem(error instanceof ApiError && error.status === 404 ? ct("rooms.gone") : errorText(error));
    }
  }

  const settingsText = {
    mode: ct(`rooms.mode.${mode}`),
    preQueue: ct("rooms.minutes", { n: Number(preQueue) }),
    admit: ct("rooms.perMinute", { n: Number(admit) }),
    max: number(Number(maxActive)),
    session: ct("rooms.minutes", { n: Number(session) }),
  };

  const chosen = (
    <>
      {tripIds.length === 0 ? (
        <p class="muted">{ct("rooms.noTripsYet")}</p>
      ) : (
        <ul class="chosen-trips" aria-label={ct("rooms.chosenTrips", { n: tripIds.length })}>
          {tripIds.map((tripId) => (
            <li key={tripId}>
              <span>{tripName(tripId)}</span>
              {manage ? (
                <button
                  type="button"
                  class="link"
                  aria-label={ct("rooms.removeTrip", { trip: tripName(tripId) })}
                  onClick={() => setTripIds((before) => before.filter((t) => t !== tripId))}
                >
                  {ct("rooms.remove")}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );

  return (
    <section class="room-page">
      <p class="crumbs">
        <a href="/console/waiting-rooms">{ct("rooms.title")}</a>
      </p>
      <h1>{room ? room.name : ct("rooms.new")}</h1>

      {live ? <LivePanel room={live} zone={zone} /> : null}

      {manage ? (
        <form onSubmit={save} noValidate class="room-form">
          <fieldset>
            <legend>{ct("rooms.about")}</legend>
            <div class="row wrap">
              <HintedField id="room-name" label={ct("rooms.name")} hint={ct("rooms.nameHint")} error={errors.name}>
                <input
                  id="room-name"
                  value={name}
                  maxLength={200}
                  onInput={(e) => {
                    const value = e.currentTarget.value;
                    setName(value);
                    if (!roomId && !idEdited) setId(slugOf(value));
                  }}
                />
              </HintedField>
              {roomId ? null : (
                <HintedField id="room-id" label={ct("rooms.id")} hint={ct("rooms.idHint")} error={errors.room_id}>
                  <input
                    id="room-id"
                    value={id}
                    maxLength={64}
                    autoCapitalize="none"
                    spellcheck={false}
                    onInput={(e) => {
                      setId(e.currentTarget.value);
                      setIdEdited(true);
                    }}
                  />
                </HintedField>
              )}
            </div>
            {roomId ? (
              <p class="muted small">
                {ct("rooms.idIs")} <code>{roomId}</code>
              </p>
            ) : null}
          </fieldset>

          <fieldset class="room-trips" data-invalid={errors.trip_ids ? "true" : undefined} aria-describedby={errors.trip_ids ? "room-trips-error" : undefined}>
            <legend>{ct("rooms.tripsLegend")}</legend>
            <p class="hint">{ct("rooms.tripsHint")}</p>
            {errors.trip_ids ? (
              <p class="error" id="room-trips-error">
                {errors.trip_ids}
              </p>
            ) : null}
            {chosen}
            <div class="trip-picker">
              <HintedField id="room-day" label={ct("rooms.tripsOn")} narrow>
                <input id="room-day" type="date" min={today} value={day} onChange={(e) => showDay(e.currentTarget.value)} />
              </HintedField>
              {dayTrips === null ? (
                <p class="muted">{ct("loading")}</p>
              ) : dayTrips.length === 0 ? (
                <p class="muted">{ct("rooms.noTripsThatDay")}</p>
              ) : (
                <ul class="trip-options" aria-label={ct("rooms.tripsThatDay", { day: day ? calendarDate(day) : "" })}>
                  {dayTrips.map((trip) => {
                    const other = guardedBy.get(trip.id);
                    return (
                      <li key={trip.id}>
                        <label class="check">
                          <input
                            type="checkbox"
                            name="trip"
                            value={trip.id}
                            checked={tripIds.includes(trip.id)}
                            disabled={other !== undefined}
                            onChange={(e) => toggleTrip(trip, e.currentTarget.checked)}
                          />
                          <span>
                            {tripWords(trip, false)}
                            {trip.status === "draft" ? <span class="tag warn">{ct("trip.status.draft")}</span> : null}
                            {other ? <span class="tag soft">{ct("rooms.guardedBy", { name: other.name })}</span> : null}
                          </span>
                        </label>
                      </li>
                    );
                  })}
                </ul>
              )}
            </div>
          </fieldset>

          <fieldset>
            <legend>{ct("rooms.opening")}</legend>
            {begun ? <p class="notice-box">{ct("rooms.begunNote")}</p> : null}
            <fieldset class="inline-choices" aria-describedby={errors.mode ? "room-mode-error" : undefined}>
              <legend>{ct("rooms.mode")}</legend>
              {(["scheduled", "on_demand"] as const).map((m) => (
                <label key={m} class={mode === m ? "choice on" : "choice"}>
                  <input type="radio" name="room-mode" value={m} checked={mode === m} disabled={begun} onChange={() => setMode(m)} />
                  <span>
                    <strong>{ct(`rooms.mode.${m}`)}</strong>
                    <span class="hint">{ct(`rooms.modeHint.${m}`)}</span>
                  </span>
                </label>
              ))}
              {errors.mode ? (
                <p class="error" id="room-mode-error">
                  {errors.mode}
                </p>
              ) : null}
            </fieldset>
            {mode === "scheduled" ? (
              <div class="row wrap">
                <HintedField id="room-opens" label={ct("rooms.opensAt", { city: zoneCity(zone) })} hint={ct("rooms.opensHint")} error={errors.opens_at}>
                  <input
                    id="room-opens"
                    type="datetime-local"
                    value={wallTimeIn(opensAt, zone)}
                    disabled={begun}
                    onInput={(e) => setOpensAt(instantOf(e.currentTarget.value, zone))}
                  />
                </HintedField>
                <HintedField
                  id="room-prequeue"
                  label={ct("rooms.preQueue")}
                  hint={ct("rooms.preQueueHint", { max: MAX_PRE_QUEUE })}
                  error={errors.pre_queue_minutes}
                >
                  <input
                    id="room-prequeue"
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={MAX_PRE_QUEUE}
                    step={1}
                    class="minutes"
                    value={preQueue}
                    disabled={begun}
                    onInput={(e) => setPreQueue(e.currentTarget.value)}
                  />
                </HintedField>
              </div>
            ) : null}
          </fieldset>

          <fieldset>
            <legend>{ct("rooms.paceLegend")}</legend>
            <div class="row wrap">
              <HintedField id="room-admit" label={ct("rooms.admit")} hint={ct("rooms.admitHint", { max: MAX_ADMIT })} error={errors.admit_per_minute}>
                <input id="room-admit" type="number" inputMode="numeric" min={1} max={MAX_ADMIT} step={1} value={admit} onInput={(e) => setAdmit(e.currentTarget.value)} />
              </HintedField>
              <HintedField id="room-max" label={ct("rooms.maxActive")} hint={ct("rooms.maxActiveHint", { max: MAX_ACTIVE })} error={errors.max_active}>
                <input id="room-max" type="number" inputMode="numeric" min={1} max={MAX_ACTIVE} step={1} value={maxActive} onInput={(e) => setMaxActive(e.currentTarget.value)} />
              </HintedField>
              <HintedField id="room-session" label={ct("rooms.session")} hint={ct("rooms.sessionHint", { max: MAX_SESSION })} error={errors.session_minutes}>
                <input id="room-session" type="number" inputMode="numeric" min={1} max={MAX_SESSION} step={1} value={session} onInput={(e) => setSession(e.currentTarget.value)} />
              </HintedField>
            </div>
          </fieldset>

          <Alert text={problem} />
          {note ? (
            <p class="note" role="status">
              {note}
            </p>
          ) : null}
          <div class="actions">
            <button class="primary" disabled={busy}>
              {ct(roomId ? "rooms.save" : "rooms.create")}
            </button>
            <a href="/console/waiting-rooms">{ct("cancel")}</a>
          </div>
        </form>
      ) : (
        <section class="card" aria-labelledby="room-settings-title">
          <h2 id="room-settings-title">{ct("rooms.settings")}</h2>
          <dl class="facts">
            <dt>{ct("rooms.idLabel")}</dt>
            <dd>
              <code>{id}</code>
            </dd>
            <dt>{ct("rooms.mode")}</dt>
            <dd>{settingsText.mode}</dd>
            {mode === "scheduled" ? (
              <>
                <dt>{ct("rooms.opensAt", { city: zoneCity(zone) })}</dt>
                <dd>{openingWords({ mode, opens_at: opensAt || null }, zone)}</dd>
                <dt>{ct("rooms.preQueue")}</dt>
                <dd>{settingsText.preQueue}</dd>
              </>
            ) : null}
            <dt>{ct("rooms.admit")}</dt>
            <dd>{settingsText.admit}</dd>
            <dt>{ct("rooms.maxActive")}</dt>
            <dd>{settingsText.max}</dd>
            <dt>{ct("rooms.session")}</dt>
            <dd>{settingsText.session}</dd>
            <dt>{ct("rooms.tripsLegend")}</dt>
            <dd>{chosen}</dd>
          </dl>
          <Alert text={problem} />
        </section>
      )}

      {live ? <DrawPanel room={live} /> : null}

      {manage && live ? (
        <section class="card close-room" aria-labelledby="room-close-title">
          <h2 id="room-close-title">{ct("rooms.closeTitle")}</h2>
          {closing ? (
            <>
              <div class="consequences" role="note">
                <p>{ct("rooms.closeUnguards", { n: live.trip_ids.length })}</p>
                <p>{live.waiting + live.active > 0 ? ct("rooms.closeQueue", { waiting: live.waiting, active: live.active }) : ct("rooms.closeNobody")}</p>
                <p>{ct("rooms.closeForGood", { id: live.room_id })}</p>
              </div>
              <div class="actions">
                <button type="button" class="danger" disabled={busy} onClick={close}>
                  {ct("rooms.confirmClose", { n: live.trip_ids.length })}
                </button>
                <button type="button" class="link" onClick={() => setClosing(false)}>
                  {ct("cancel")}
                </button>
              </div>
            </>
          ) : (
            <>
              <p>{ct("rooms.closeLead")}</p>
              <button type="button" class="secondary" onClick={() => setClosing(true)}>
                {ct("rooms.closeButton")}
              </button>
            </>
          )}
        </section>
      ) : null}
    </section>
  );
}

/** What the room is doing now: its status in words and its counters, refreshed by the page. */
function LivePanel({ room, zone }: { room: Room; zone: string }) {
  const when = (iso: string) => `${date(iso, zone)}, ${time(iso, zone)}`;
  let state: string;
  if (room.status === "scheduled" && room.opens_at) {
    const starts = new Date(Date.parse(room.opens_at) - room.pre_queue_minutes * 60_000).toISOString();
    state = ct("rooms.state.scheduled", { starts: when(starts), opens: when(room.opens_at) });
  } else if (room.status === "pre_queue" && room.opens_at) {
    state = ct("rooms.state.pre_queue", { opens: when(room.opens_at) });
  } else if (room.status === "open") {
    state = room.mode === "on_demand" ? ct("rooms.state.onDemand") : ct("rooms.state.open", { opened: when(room.opened_at ?? room.opens_at ?? room.created_at) });
  } else {
    state = ct("rooms.state.closed");
  }
  const page = `${location.origin}/queue/${encodeURIComponent(room.room_id)}`;
  return (
    <section class="card room-live" aria-labelledby="room-live-title">
      <h2 id="room-live-title">{ct("rooms.liveTitle")}</h2>
      <p>
        <span class={`badge room-${room.status}`}>{statusWords(room.status)}</span> {state}
      </p>
      <div class="tiles">
        <div class="tile">
          <span class="tile-label">{ct("rooms.waiting")}</span>
          <strong data-counter="waiting">{number(room.waiting)}</strong>
        </div>
        <div class="tile">
          <span class="tile-label">{ct("rooms.active")}</span>
          <strong data-counter="active">{number(room.active)}</strong>
          <span class="muted small">{ct("rooms.ofMax", { max: room.max_active })}</span>
        </div>
        <div class="tile">
          <span class="tile-label">{ct("rooms.admitted")}</span>
          <strong data-counter="admitted">{number(room.admitted_total)}</strong>
        </div>
        <div class="tile">
          <span class="tile-label">{ct("rooms.expired")}</span>
          <strong data-counter="expired">{number(room.expired_total)}</strong>
        </div>
      </div>
      <p class="muted small">{ct("rooms.liveHint", { n: LIVE_EVERY_MS / 1000 })}</p>
      <p class="small">
        {ct("rooms.travellersAt")} <a href={page}>{page}</a>
      </p>
    </section>
  );
}

/** The draw's commitment (and the seed, once the room has opened) for anyone to check. */
function DrawPanel({ room }: { room: Room }) {
  return (
    <section class="card" aria-labelledby="room-draw-title">
      <h2 id="room-draw-title">{ct("rooms.drawTitle")}</h2>
      <p>{ct(room.mode === "scheduled" ? "rooms.drawText" : "rooms.drawOnDemand")}</p>
      <dl class="facts draw">
        <dt>{ct("rooms.commitment")}</dt>
        <dd>
          <code data-commitment>{room.shuffle.commitment}</code>
        </dd>
        {room.mode === "scheduled" ? (
          <>
            <dt>{ct("rooms.seed")}</dt>
            <dd>{room.shuffle.seed ? <code>{room.shuffle.seed}</code> : <span class="muted">{ct("rooms.seedLater")}</span>}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
