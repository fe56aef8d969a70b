import { useEffect, useRef, useState } from "preact/hooks";
import { call } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { date, duration, money, t, time } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import type { Hold, PricedSeat, Quote, SeatCell, SeatMap as SeatMapData, TripHit } from "../../shared/types";
import { SeatMap, categoryName } from "../components/SeatMap";
import { forgetQueueToken, queueToken, rememberHold } from "../holds";
import { findTrip } from "../tripSummary";

const MAX_SEATS = 6;

interface Props {
  tripId: string;
  query: URLSearchParams;
}

export function TripPage({ tripId, query }: Props) {
  const from = query.get("from") || "";
  const to = query.get("to") || "";
  const day = query.get("date") || "";
  const wanted = Math.min(MAX_SEATS, Math.max(1, Number(query.get("passengers")) || 1));
  const [trip, setTrip] = useState<TripHit | null>(null);
  const [map, setMap] = useState<SeatMapData | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<{ text: string; bad: boolean } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [live, setLive] = useState(false);
  // Prices under the operator's rules: per category now, and for the seats chosen.
  const [prices, setPrices] = useState<Quote | null>(null);
  const [chosenPrice, setChosenPrice] = useState<Quote | null>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const quote = async (seats: string[]) => {
    const answer = await call<Quote>(endpoints.quote, {
      auth: "none",
      body: seats.length ? { trip_id: tripId, from, to, seats } : { trip_id: tripId, from, to },
    });
    return answer.body;
  };

  const loadSeats = async () => {
    // Prices follow the sale (a rule may read how full the bus is): asked again with the map.
    quote([]).then(setPrices, () => undefined);
    try {
      const answer = await call<SeatMapData>(endpoints.seats, {
        auth: "none",
        params: { trip_id: tripId },
        query: { from, to },
      });
      setMap(answer.body);
      // A seat someone else took while it was only selected here: say so, and drop it.
      const gone: string[] = [];
      for (const deck of answer.body.decks) {
        for (const cell of deck.cells) {
          if (selectedRef.current.has(cell.label) && cell.status !== "available") gone.push(cell.label);
        }
      }
      if (gone.length) {
        setSelected((current) => new Set([...current].filter((label) => !gone.includes(label))));
        setNotice({ text: t("seats.takenLive", { seats: gone.join(", ") }), bad: true });
      }
    } catch (error) {
      setFailed(error instanceof ApiError && error.status === 404 ? t("trip.notOnSale") : t("error.network"));
    }
  };

  useEffect(() => {
    if (from && to && day) {
      findTrip(tripId, from, to, day)
        .then(setTrip)
        .catch(() => undefined);
    }
    loadSeats();
    // Live seat changes: every change on this trip reloads the map for this journey (a change
    // on another leg may or may not touch it; the server knows, the page asks).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = new EventSource(endpoints.seatStream.path.replace("{trip_id}", encodeURIComponent(tripId)));
    stream.addEventListener("open", () => setLive(true));
    stream.addEventListener("error", () => setLive(false));
    stream.addEventListener("seats", () => {
      clearTimeout(timer);
      timer = setTimeout(loadSeats, 150);
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, [tripId, from, to]);

  useEffect(() => {
    const seats = [...selected];
    if (!seats.length) {
      setChosenPrice(null);
      return;
    }
    let current = true;
    quote(seats).then(
      (answer) => current && setChosenPrice(answer),
      () => current && setChosenPrice(null),
    );
    return () => {
      current = false;
    };
  }, [selected, tripId, from, to]);

  const toggle = (cell: SeatCell) => {
    setNotice(null);
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(cell.label)) next.delete(cell.label);
      else if (next.size >= MAX_SEATS) {
        setNotice({ text: t("seats.tooMany", { n: MAX_SEATS }), bad: true });
      } else next.add(cell.label);
      return next;
    });
  };

  const hold = async () => {
    if (busy || selected.size === 0) return;
    setBusy(true);
    setNotice(null);
    const token = queueToken(tripId);
    try {
      const answer = await call<Hold>(endpoints.hold, {
        body: { trip_id: tripId, seats: [...selected], from, to },
        headers: token ? { "Queue-Token": token } : undefined,
      });
      rememberHold(answer.body);
      navigate(`/checkout/${encodeURIComponent(answer.body.hold_id)}`);
      return;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const roomId = typeof error.problem.room_id === "string" ? error.problem.room_id : "";
      if (error.code === "seats_unavailable") {
        const taken = Array.isArray(error.problem.unavailable) ? (error.problem.unavailable as string[]) : [];
        setSelected((current) => new Set([...current].filter((label) => !taken.includes(label))));
        setNotice({ text: t("seats.takenFirst", { seats: taken.join(", ") }), bad: true });
        loadSeats();
      } else if (error.code === "queue_token_required" && roomId) {
        navigate(`/queue/${encodeURIComponent(roomId)}?${new URLSearchParams({ trip: tripId, from, to, date: day })}`);
      } else if (error.code === "queue_token_invalid") {
        forgetQueueToken(tripId);
        setNotice({ text: t("queue.tokenInvalid"), bad: true });
      } else if (error.code === "hold_limit") {
        setNotice({ text: t("seats.holdLimit"), bad: true });
      } else if (error.isNetwork) {
        setNotice({ text: t("error.network"), bad: true });
      } else {
        setNotice({ text: error.message, bad: true });
      }
    } finally {
      setBusy(false);
    }
  };

  if (failed) {
    return (
      <section class="card">
        <h1>{t("trip.title")}</h1>
        <p class="problem">{failed}</p>
        <a href="/">{t("trip.backToSearch")}</a>
      </section>
    );
  }

  const fare = trip?.fare;
  const count = selected.size;
  const categories = prices?.categories ?? [];
  const chosen: PricedSeat[] = chosenPrice?.seats ?? [];
  const chosenTotal = chosen.length === count ? chosen.reduce((sum, seat) => sum + seat.price, 0) : null;
  const namesOf = (prices: PricedSeat[]) => [...new Set(prices.flatMap((p) => p.applied.map((r) => r.name)))];
  const categoryRules = namesOf(categories);
  const chosenRules = namesOf(chosen);
  const priceLine =
    categories.length > 1
      ? categories
          .map((c) => t("seats.categoryPrice", { category: categoryName(c.category), price: money(c.price, c.currency) }))
          .join(" · ")
      : categories.length === 1
        ? t("seats.farePerSeat", { price: money(categories[0].price, categories[0].currency) })
        : fare
          ? t("seats.farePerSeat", { price: money(fare.amount, fare.currency) })
          : "";
  return (
    <>
      <section class="card trip-head">
        <p class="crumbs">
          <a href={`/search?${new URLSearchParams({ from, to, date: day, passengers: String(wanted) })}`}>
            {t("trip.backToResults")}
          </a>
        </p>
        <h1>
          {trip ? `${trip.from.name} → ${trip.to.name}` : `${from} → ${to}`}
        </h1>
        {trip ? (
          <p class="muted">
            {date(trip.departure)} · {time(trip.departure)} – {time(trip.arrival)} ({duration(trip.duration_min)}) ·{" "}
            {trip.operator.name} · {trip.bus.ac ? t("bus.ac") : t("bus.nonAc")}
          </p>
        ) : null}
      </section>
      <section class="card">
        <div class="seat-head">
          <h2>{t("seats.title")}</h2>
          <span class={live ? "live on" : "live"} title={live ? t("seats.liveOn") : t("seats.liveOff")}>
            {live ? t("seats.live") : t("seats.connecting")}
          </span>
        </div>
        <p class="muted">
          {map ? t("seats.available.count", { n: map.available }) : t("seats.loading")}
          {priceLine ? <span class="price-line"> · {priceLine}</span> : null}
          {categoryRules.length ? (
            <span class="category-rules"> ({t("seats.includes", { rules: categoryRules.join(", ") })})</span>
          ) : null}
        </p>
        <p class="hint">{t("seats.pick", { n: wanted })}</p>
        {map ? <SeatMap decks={map.decks} selected={selected} onToggle={toggle} /> : null}
      </section>
      <div class="sticky-bar">
        {/* Where the eye is while choosing: a seat lost to someone else is said here. */}
        <p class={notice?.bad ? "problem notice" : "note notice"} role="status" aria-live="polite" hidden={!notice}>
          {notice?.text ?? ""}
        </p>
        <div>
          <strong>
            {count === 0 ? t("seats.noneChosen") : t("seats.chosen", { n: count, seats: [...selected].join(", ") })}
          </strong>
          {count && chosenTotal !== null && chosenPrice ? (
            <span class="muted total">
              {" · "}
              {money(chosenTotal, chosenPrice.currency)}
              {chosenRules.length ? <span class="rules"> ({t("seats.includes", { rules: chosenRules.join(", ") })})</span> : null}
            </span>
          ) : fare && count ? (
            <span class="muted total"> · {money(fare.amount * count, fare.currency)}</span>
          ) : null}
        </div>
        <button type="button" class="primary" disabled={count === 0 || busy} onClick={hold}>
          {busy ? t("seats.holding") : count === 0 ? t("seats.continue") : t("seats.hold", { n: count })}
        </button>
      </div>
    </>
  );
}
