import { useEffect, useRef, useState } from "preact/hooks";
import { call } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { number, t, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import { rememberQueueToken } from "../holds";

interface Place {
  status: "waiting" | "admitted";
  ticket: string;
  position: number | null;
  ahead?: number;
  eta_s?: number;
  opens_at?: string | null;
  queue_token?: string;
  expires_at?: string;
  trip_ids?: string[];
}

type View =
  | { kind: "joining" }
  | { kind: "waiting"; place: Place }
  | { kind: "admitted"; place: Place }
  | { kind: "notOpen" }
  | { kind: "message"; text: string; bad: boolean };

const ticketKey = (room: string) => `travio.queue.ticket.${room}`;

function minutes(seconds: number): string {
  if (seconds < 60) return t("queue.underAMinute");
  return t("queue.aboutMinutes", { n: Math.round(seconds / 60) });
}

/**
 * The waiting room of a ticket drop: joins with the same bearer the trip page will hold with
 * (the queue token names its subject), polls at the pace Retry-After sets, and continues to the
 * trip with the queue token once admitted.
 */
export function QueuePage({ roomId, query }: { roomId: string; query: URLSearchParams }) {
  const [view, setView] = useState<View>({ kind: "joining" });
  const firstAhead = useRef<number | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const later = (seconds: number) => {
      if (!stopped) timer = setTimeout(step, Math.max(1, Math.min(60, seconds)) * 1000);
    };

    const admitted = (place: Place) => {
      for (const trip of place.trip_ids ?? []) rememberQueueToken(trip, place.queue_token ?? "");
      setView({ kind: "admitted", place });
      const trip = query.get("trip") && place.trip_ids?.includes(query.get("trip")!) ? query.get("trip")! : place.trip_ids?.[0];
      if (!trip) return;
      const back = new URLSearchParams(query);
      back.delete("trip");
      const target = `/trips/${encodeURIComponent(trip)}${back.toString() ? `?${back}` : ""}`;
      timer = setTimeout(() => !stopped && navigate(target, { replace: true }), 1500);
    };

    async function step() {
      const ticket = sessionStorage.getItem(ticketKey(roomId));
      try {
        const answer = ticket
          ? await call<Place>(endpoints.queueStatus, { params: { room_id: roomId }, query: { ticket } })
          : await call<Place>(endpoints.queueJoin, { params: { room_id: roomId } });
        if (stopped) return;
        const place = answer.body;
        if (answer.status === 200 && place.status === "admitted") return admitted(place);
        sessionStorage.setItem(ticketKey(roomId), place.ticket);
        if (place.position !== null && (firstAhead.current === null || (place.ahead ?? 0) > firstAhead.current)) {
          firstAhead.current = Math.max(1, place.ahead ?? 1);
        }
        setView({ kind: "waiting", place });
        later(Number(answer.headers.get("Retry-After")) || 5);
      } catch (error) {
        if (stopped) return;
        if (!(error instanceof ApiError) || error.isNetwork) {
          setView({ kind: "message", text: t("queue.connectionLost"), bad: false });
          return later(5);
        }
        const retry = error.retryAfterSeconds ?? 5;
        if (error.status === 410 || (error.status === 404 && ticket) || error.status === 403) {
          // The place was lost (the page slept, or this browser is someone else now): join again.
          sessionStorage.removeItem(ticketKey(roomId));
          setView({ kind: "message", text: t("queue.placeLost"), bad: false });
          return later(3);
        }
        if (error.code === "room_not_open") {
          setView({ kind: "notOpen" });
          return later(Math.min(retry, 30));
        }
        if (error.code === "room_closed") return setView({ kind: "message", text: t("queue.closed"), bad: true });
        if (error.status === 404) return setView({ kind: "message", text: t("queue.noRoom"), bad: true });
        if (error.status === 429 || error.status >= 500) {
          setView({ kind: "message", text: t("queue.busy"), bad: false });
          return later(retry);
        }
        setView({ kind: "message", text: error.message, bad: true });
      }
    }

    step();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [roomId]);

  return (
    <section class={view.kind === "admitted" ? "card queue admitted" : "card queue"} aria-live="polite">
      <h1>{t("queue.title")}</h1>
      <p class="muted">{roomId}</p>
      <QueueBody view={view} firstAhead={firstAhead.current} />
      <p class="note small">{t("queue.keepOpen")}</p>
    </section>
  );
}

function QueueBody({ view, firstAhead }: { view: View; firstAhead: number | null }) {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  switch (view.kind) {
    case "joining":
      return <p aria-busy="true">{t("queue.joining")}</p>;
    case "notOpen":
      return <p>{t("queue.notOpen")}</p>;
    case "message":
      return <p class={view.bad ? "problem" : ""}>{view.text}</p>;
    case "admitted":
      return (
        <>
          <p class="big" data-queue="admitted">
            {t("queue.admitted")}
          </p>
          {view.place.expires_at ? <p>{t("queue.until", { time: time(view.place.expires_at, here) })}</p> : null}
        </>
      );
    case "waiting": {
      const place = view.place;
      if (place.position === null) {
        return (
          <>
            <p class="muted">{t("queue.preQueue")}</p>
            <p class="big">{place.opens_at ? time(place.opens_at, here) : t("queue.anyMoment")}</p>
            <p class="small">{t("queue.fairDraw")}</p>
          </>
        );
      }
      const ahead = place.ahead ?? 0;
      return (
        <>
          <p class="muted">{t("queue.yourPlace")}</p>
          <p class="big" data-queue="position">
            {number(place.position)}
          </p>
          <div class="counts">
            <div>
              <strong>{number(ahead)}</strong>
              {t("queue.ahead")}
            </div>
            <div>
              <strong>{minutes(place.eta_s ?? 0)}</strong>
              {t("queue.wait")}
            </div>
          </div>
          {firstAhead ? (
            <progress max={firstAhead} value={Math.max(0, firstAhead - ahead)} aria-label={t("queue.progress")} />
          ) : null}
        </>
      );
    }
  }
}
