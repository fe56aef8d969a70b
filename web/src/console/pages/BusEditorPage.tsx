import { useEffect, useState } from "preact/hooks";
import { IdempotentRequest } from "../../shared/api";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import { LayoutEditor } from "../components/LayoutEditor";
import { ct, type ConsoleKey } from "../i18n";
import { capacity, fromApi, fromTemplate, problemsByCell, toApi, type CellPlace, type EditDeck } from "../layout";
import { errorText, type Bus } from "../model";
import { can, orgCall, useWorkspace } from "../workspace";

const CLASSES = ["seater", "semi_sleeper", "sleeper"] as const;
const AMENITIES = ["wifi", "charging", "water", "blanket", "snacks", "toilet", "tv"] as const;

/** A new bus (no id) or an existing one: its facts and its seat layout. */
export function BusEditorPage({ busId }: { busId?: string }) {
  const { membership } = useWorkspace();
  const editable = can(membership, "fleet.manage");
  const [plate, setPlate] = useState("");
  const [name, setName] = useState("");
  const [busClass, setBusClass] = useState<Bus["class"]>("seater");
  const [ac, setAc] = useState(true);
  const [amenities, setAmenities] = useState<string[]>([]);
  const [decks, setDecks] = useState<EditDeck[]>(() => fromTemplate("2+2", 10));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [cellProblems, setCellProblems] = useState<Map<string, string[]>>(new Map());
  const [problem, setProblem] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(!busId);
  const [busy, setBusy] = useState(false);
  const [request] = useState(() => new IdempotentRequest());

  useEffect(() => {
    if (!busId) return;
    orgCall<Bus>(endpoints.bus, { params: { bus_id: busId } })
      .then(({ body }) => {
        setPlate(body.plate);
        setName(body.name);
        setBusClass(body.class);
        setAc(body.ac);
        setAmenities(body.amenities);
        setDecks(fromApi(body.layout.decks));
        setLoaded(true);
      })
      .catch((error) => setProblem(errorText(error)));
  }, [busId]);

  const places = capacity(decks);

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    setCellProblems(new Map());
    if (!plate.trim()) {
      setErrors({ plate: ct("bus.plateNeeded") });
      return focusFirstError();
    }
    setErrors({});
    const { layout, places: placeOf } = toApi(decks);
    const body = { plate: plate.trim(), name: name.trim(), class: busClass, ac, amenities, layout };
    setBusy(true);
    try {
      if (busId) await orgCall(endpoints.changeBus, { params: { bus_id: busId }, body });
      else await orgCall(endpoints.createBus, { body, idempotencyKey: request.keyFor(body) });
      navigate("/console/buses");
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors) {
        const fields: Record<string, string> = {};
        for (const e of error.problem.errors) if (!e.field.startsWith("layout")) fields[e.field] = e.message;
        setErrors(fields);
        const nameOf = (at: CellPlace) => {
          const deck = decks[at.deck];
          const label = deck?.grid[at.row]?.[at.col]?.label;
          const where = ct("layout.where", { deck: deck?.name ?? "", row: at.row + 1, col: at.col + 1 });
          return label ? `${label} (${where})` : where;
        };
        setCellProblems(problemsByCell(error.problem.errors, placeOf, nameOf));
        setProblem(error.code === "invalid_layout" ? ct("bus.layoutInvalid") : error.message);
      } else if (error instanceof ApiError && error.code === "plate_taken") {
        setErrors({ plate: ct("bus.plateTaken") });
      } else setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  if (!loaded) {
    return problem ? <Alert text={problem} /> : <p class="muted">{ct("loading")}</p>;
  }

  return (
    <section>
      <p class="crumbs">
        <a href="/console/buses">{ct("buses.title")}</a>
      </p>
      <h1>{busId ? plate : ct("buses.new")}</h1>
      <form onSubmit={save} noValidate>
        {editable ? null : (
          <dl class="facts card">
            <dt>{ct("bus.name")}</dt>
            <dd>{name || "—"}</dd>
            <dt>{ct("bus.class")}</dt>
            <dd>{ct(`bus.class.${busClass}` as ConsoleKey)}</dd>
            <dt>{ct("bus.ac")}</dt>
            <dd>{ac ? ct("yes") : ct("no")}</dd>
            <dt>{ct("bus.amenities")}</dt>
            <dd>{amenities.map((a) => ct(`amenity.${a}` as ConsoleKey)).join(", ") || "—"}</dd>
          </dl>
        )}
        {editable ? (
        <fieldset>
          <legend>{ct("bus.facts")}</legend>
          <div class="row wrap">
            <Field id="bus-plate" label={ct("bus.plate")} error={errors.plate}>
              <input id="bus-plate" value={plate} maxLength={64} onInput={(e) => setPlate(e.currentTarget.value)} />
            </Field>
            <Field id="bus-name" label={ct("bus.name")} error={errors.name}>
              <input id="bus-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <Field id="bus-class" label={ct("bus.class")} error={errors.class}>
              <select id="bus-class" value={busClass} onChange={(e) => setBusClass(e.currentTarget.value as Bus["class"])}>
                {CLASSES.map((c) => (
                  <option key={c} value={c}>
                    {ct(`bus.class.${c}` as ConsoleKey)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <label class="check">
            <input type="checkbox" checked={ac} onChange={(e) => setAc(e.currentTarget.checked)} />
            {ct("bus.ac")}
          </label>
          <fieldset class="inline-checks">
            <legend>{ct("bus.amenities")}</legend>
            {AMENITIES.map((a) => (
              <label key={a} class="check">
                <input
                  type="checkbox"
                  checked={amenities.includes(a)}
                  onChange={(e) => setAmenities(e.currentTarget.checked ? [...amenities, a] : amenities.filter((x) => x !== a))}
                />
                {ct(`amenity.${a}` as ConsoleKey)}
              </label>
            ))}
          </fieldset>
        </fieldset>
        ) : null}

        <h2>{ct("bus.layout")}</h2>
        <p class="muted" aria-live="polite">
          {ct("bus.capacityNow", { places: places.places, forSale: places.forSale })}
        </p>
        <LayoutEditor
          decks={decks}
          readOnly={!editable}
          problems={cellProblems}
          onChange={(next) => {
            setDecks(next);
          }}
        />
        <Alert text={problem} />
        {editable ? (
          <div class="actions">
            <button class="primary" disabled={busy}>
              {ct(busId ? "bus.save" : "bus.create")}
            </button>
            <a href="/console/buses">{ct("cancel")}</a>
          </div>
        ) : null}
      </form>
    </section>
  );
}
