import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { time } from "../../shared/i18n";
import { ct } from "../i18n";
import { errorText, travellerText } from "../model";
import { orgCall } from "../workspace";

interface ManifestLine {
  order_id: string;
  seat: string;
  passenger: { name: string; gender: string; age?: number; phone?: string };
  from: string;
  to: string;
  contact_phone?: string;
  ticket?: { id: string; number: string; status: string; boarded_at?: string };
}

/** Who travels on a trip, seat by seat, with the boarding stop and who has boarded; printable. */
export function ManifestPage({ tripId }: { tripId: string }) {
  const [lines, setLines] = useState<ManifestLine[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    orgCall<{ passengers: ManifestLine[] }>(endpoints.manifest, { params: { trip_id: tripId } })
      .then((answer) =>
        setLines(
          [...answer.body.passengers].sort((a, b) => a.from.localeCompare(b.from) || a.seat.localeCompare(b.seat, undefined, { numeric: true })),
        ),
      )
      .catch((error) => setProblem(errorText(error)));
  }, [tripId]);

  return (
    <section class="manifest">
      <p class="crumbs no-print">
        <a href="/console/trips">{ct("trips.title")}</a>
      </p>
      <div class="page-head">
        <h1>{ct("manifest.title")}</h1>
        <button type="button" class="secondary no-print" onClick={() => print()}>
          {ct("manifest.print")}
        </button>
      </div>
      <Alert text={problem} />
      {lines && lines.length === 0 ? <p class="card">{ct("manifest.none")}</p> : null}
      {lines && lines.length > 0 ? (
        <table class="table">
          <caption>{ct("manifest.count", { n: lines.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{ct("manifest.seat")}</th>
              <th scope="col">{ct("manifest.passenger")}</th>
              <th scope="col">{ct("manifest.journey")}</th>
              <th scope="col">{ct("manifest.phone")}</th>
              <th scope="col">{ct("manifest.ticket")}</th>
              <th scope="col">{ct("manifest.boarded")}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={`${line.order_id}:${line.seat}`}>
                <td>{line.seat}</td>
                <td>
                  <bdi>{travellerText(line.passenger.name)}</bdi>
                  <span class="muted small">
                    {" "}
                    · {line.passenger.gender}
                    {line.passenger.age ? `, ${line.passenger.age}` : ""}
                  </span>
                </td>
                <td>
                  {line.from} → {line.to}
                </td>
                <td>
                  <bdi>{travellerText(line.passenger.phone ?? line.contact_phone ?? "")}</bdi>
                </td>
                <td>{line.ticket?.number ?? ""}</td>
                <td>{line.ticket?.boarded_at ? time(line.ticket.boarded_at) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
