import { useEffect, useState } from "preact/hooks";
import { stationsByCode } from "../../shared/stations";
import type { Station } from "../../shared/types";
import { ct } from "../i18n";

let sorted: Promise<Station[]> | null = null;
function allStations(): Promise<Station[]> {
  sorted ??= stationsByCode().then((map) => [...map.values()].sort((a, b) => a.name.localeCompare(b.name)));
  return sorted;
}

/** A station, picked by name from the published list; its value is the station's code. */
export function StationSelect(props: { id: string; value: string; onChange: (code: string) => void; invalid?: boolean; describedBy?: string }) {
  const [stations, setStations] = useState<Station[]>([]);
  useEffect(() => {
    allStations().then(setStations).catch(() => setStations([]));
  }, []);
  return (
    <select
      id={props.id}
      value={props.value}
      aria-invalid={props.invalid || undefined}
      aria-describedby={props.describedBy}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <option value="">{ct("route.pickStation")}</option>
      {stations.map((s) => (
        <option key={s.code} value={s.code}>
          {s.name} ({s.code})
        </option>
      ))}
    </select>
  );
}
