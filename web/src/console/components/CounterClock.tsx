import { useEffect, useState } from "preact/hooks";
import { number, time } from "../../shared/i18n";
import { ct } from "../i18n";

/**
 * How long the counter's hold on the seats lasts: minutes and seconds left, and the clock time
 * it ends at; calls onExpire once when it runs out. Not a live region: a screen reader is not
 * interrupted every second (the time it ends is in the same sentence).
 */
export function CounterClock({ until, zone, onExpire }: { until: string; zone: string; onExpire?: () => void }) {
  const deadline = Date.parse(until);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  const left = Math.max(0, Math.round((deadline - now) / 1000));
  useEffect(() => {
    if (left === 0) onExpire?.();
  }, [left === 0]);
  const clock = `${number(Math.floor(left / 60))}:${number(left % 60).padStart(2, number(0))}`;
  return (
    <p class={left < 60 ? "counter-clock urgent" : "counter-clock"} role="timer" aria-live="off">
      {left === 0 ? ct("counter.holdOver") : ct("counter.holdLeft", { clock, time: time(until, zone) })}
    </p>
  );
}
