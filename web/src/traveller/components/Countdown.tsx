import { useEffect, useState } from "preact/hooks";
import { t } from "../../shared/i18n";

/** Minutes and seconds left until `until`; calls onExpire once when it reaches zero. */
export function Countdown({ until, onExpire }: { until: string; onExpire?: () => void }) {
  const deadline = new Date(until).getTime();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.round((deadline - now) / 1000));
  useEffect(() => {
    if (left === 0) onExpire?.();
  }, [left === 0]);
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, "0");
  return (
    <div class={left < 60 ? "countdown urgent" : "countdown"} role="timer" aria-live="off">
      <span class="muted">{t("hold.timeLeft")}</span>{" "}
      <strong>
        {left === 0 ? t("hold.expired") : t("hold.clock", { m: String(minutes), s: seconds })}
      </strong>
    </div>
  );
}
