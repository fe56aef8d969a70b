import "../rooms.css";
import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { DEFAULT_ZONE, number } from "../../shared/i18n";
import { usePlace } from "../../shared/router";
import type { List } from "../../shared/types";
import { openingWords, statusWords, tripWords, tripZone, type Room } from "../components/RoomTypes";
import { ct } from "../i18n";
import { errorText, type Trip } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

/** How many of a room's trips the list names (the room's page names them all). */
const TRIPS_SHOWN = 3;

interface Listed {
  room: Room;
  trips: Trip[];
}

/**
 * The organization's virtual waiting rooms for ticket drops: each with its settings, status and
 * counters, leading to its page; catalog managers start a new one here.
 */
export function WaitingRoomsPage() {
  const { membership } = useWorkspace();
  const manage = can(membership, "catalog.manage");
  const place = usePlace();
  // Only a room id is echoed back: a crafted link cannot put its own words on this page.
  const roomIdOrNull = (value: string | null) => (value && /^[a-z0-9-]{3,64}$/.test(value) ? value : null);
  const saved = roomIdOrNull(place.query.get("saved"));
  const closed = roomIdOrNull(place.query.get("closed"));
  const [rooms, setRooms] = useState<Listed[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    (async () => {
      const answer = await orgCall<List<Room>>(endpoints.queueRooms);
      // The first few trips of each room, all asked at once; a trip that cannot be read (gone
      // meanwhile) is left out rather than failing the list.
      const trips = await Promise.all(
        answer.body.items.map((room) =>
          Promise.all(
            room.trip_ids.slice(0, TRIPS_SHOWN).map((tripId) =>
              orgCall<Trip>(endpoints.orgTrip, { params: { trip_id: tripId } })
                .then((found) => found.body)
                .catch(() => null),
            ),
          ),
        ),
      );
      setRooms(
        answer.body.items.map((room, i) => ({
          room,
          trips: trips[i].filter((trip): trip is Trip => trip !== null).sort((a, b) => Date.parse(a.departure) - Date.parse(b.departure)),
        })),
      );
    })().catch((error) => setProblem(errorText(error)));
  }, [membership?.org_id]);

  const savedRoom = saved ? rooms?.find((listed) => listed.room.room_id === saved)?.room : undefined;

  return (
    <section>
      <div class="page-head">
        <h1>{ct("rooms.title")}</h1>
        {manage ? (
          <a class="button primary" href="/console/waiting-rooms/new">
            {ct("rooms.new")}
          </a>
        ) : null}
      </div>
      <p class="lead-text">{ct("rooms.lead")}</p>
      {savedRoom ? (
        <p class="note" role="status">
          {ct("rooms.createdNote", { name: savedRoom.name })}
        </p>
      ) : null}
      {closed ? (
        <p class="note" role="status">
          {ct("rooms.closedNote", { id: closed })}
        </p>
      ) : null}
      <Alert text={problem} />
      {rooms === null && !problem ? <p class="muted">{ct("loading")}</p> : null}
      {rooms && rooms.length === 0 ? <p class="card">{ct(manage ? "rooms.noneManage" : "rooms.none")}</p> : null}
      {rooms && rooms.length > 0 ? (
        <div class="table-scroll">
          <table class="table rooms-table">
            <thead>
              <tr>
                <th scope="col">{ct("rooms.room")}</th>
                <th scope="col">{ct("rooms.statusCol")}</th>
                <th scope="col">{ct("rooms.opens")}</th>
                <th scope="col">{ct("rooms.trips")}</th>
                <th scope="col">{ct("rooms.paceCol")}</th>
                <th scope="col" class="num">
                  {ct("rooms.waiting")}
                </th>
                <th scope="col" class="num">
                  {ct("rooms.active")}
                </th>
                <th scope="col" class="num">
                  {ct("rooms.admitted")}
                </th>
                <th scope="col" class="num">
                  {ct("rooms.expired")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rooms.map(({ room, trips }) => {
                const zone = tripZone(trips[0]) ?? DEFAULT_ZONE;
                const more = room.trip_ids.length - trips.length;
                return (
                  <tr key={room.room_id} data-room={room.room_id}>
                    <td>
                      <a href={`/console/waiting-rooms/${encodeURIComponent(room.room_id)}`}>{room.name}</a>
                      <br />
                      <code class="muted">{room.room_id}</code>
                    </td>
                    <td>
                      <span class={`badge room-${room.status}`}>{statusWords(room.status)}</span>
                    </td>
                    <td>
                      {openingWords(room, zone)}
                      {room.mode === "scheduled" && room.pre_queue_minutes > 0 ? (
                        <>
                          <br />
                          <span class="muted small">{ct("rooms.preQueueShort", { n: room.pre_queue_minutes })}</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <ul class="plain">
                        {trips.map((trip) => (
                          <li key={trip.id}>{tripWords(trip)}</li>
                        ))}
                        {more > 0 ? <li class="muted">{ct("rooms.moreTrips", { n: more })}</li> : null}
                      </ul>
                    </td>
                    <td>{ct("rooms.pace", { admit: room.admit_per_minute, max: room.max_active, session: room.session_minutes })}</td>
                    <td class="num">{number(room.waiting)}</td>
                    <td class="num">{number(room.active)}</td>
                    <td class="num">{number(room.admitted_total)}</td>
                    <td class="num">{number(room.expired_total)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
