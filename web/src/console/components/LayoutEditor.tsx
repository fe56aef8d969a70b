import { useState } from "preact/hooks";
import type { CellType } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import {
  DEFAULT_CATEGORY,
  emptyDeck,
  fromTemplate,
  MAX_COLS,
  MAX_ROWS,
  placeKey,
  renumber,
  resize,
  sittable,
  TEMPLATES,
  type EditCell,
  type EditDeck,
  type TemplateName,
} from "../layout";

const TOOLS: CellType[] = ["seat", "berth", "aisle", "driver", "door", "empty"];
const SYMBOL: Partial<Record<CellType, string>> = { driver: "◎", door: "⇥", aisle: "" };

interface Selected {
  deck: number;
  row: number;
  col: number;
}

/** What a cell is, in words: the cell's accessible name. */
function describe(deck: EditDeck, row: number, col: number, cell: EditCell): string {
  const where = ct("layout.where", { deck: deck.name, row: row + 1, col: col + 1 });
  const what = ct(`layout.type.${cell.type}` as ConsoleKey);
  if (!sittable(cell.type)) return `${where}: ${what}`;
  const blocked = cell.blocked ? `, ${ct("layout.blocked")}` : "";
  return `${where}: ${what} ${cell.label}, ${cell.category}${blocked}`;
}

/**
 * The seat-layout editor: start from a template, click cells to make them seats, berths,
 * aisles, the driver or a door, choose the category a click gives, add an upper deck, and edit
 * one place (label, category, blocked). Problems the server found are drawn on their cells.
 */
export function LayoutEditor(props: {
  decks: EditDeck[];
  onChange: (decks: EditDeck[]) => void;
  /** Problems by cell (placeKey), by deck ("deck:N") and of the whole layout ("layout"). */
  problems: Map<string, string[]>;
  readOnly?: boolean;
}) {
  const { decks, onChange, problems, readOnly } = props;
  const [tool, setTool] = useState<CellType | "select">("seat");
  const [category, setCategory] = useState(DEFAULT_CATEGORY);
  const [template, setTemplate] = useState<TemplateName>("2+2");
  const [templateRows, setTemplateRows] = useState(10);
  const [selected, setSelected] = useState<Selected | null>(null);

  const change = (next: EditDeck[]) => onChange(renumber(next));
  const setCell = (at: Selected, update: (cell: EditCell) => EditCell) =>
    change(
      decks.map((deck, d) =>
        d !== at.deck ? deck : { ...deck, grid: deck.grid.map((row, r) => (r !== at.row ? row : row.map((cell, c) => (c !== at.col ? cell : update(cell))))) },
      ),
    );

  function click(at: Selected) {
    if (tool === "select") {
      setSelected(at);
      return;
    }
    setSelected(sittable(tool) ? at : null);
    setCell(at, (cell) => ({
      type: tool,
      label: sittable(tool) && cell.custom ? cell.label : "",
      custom: sittable(tool) && cell.custom,
      category: sittable(tool) ? category.trim() || DEFAULT_CATEGORY : "",
      blocked: sittable(tool) ? cell.blocked : false,
    }));
  }

  const picked = selected ? decks[selected.deck]?.grid[selected.row]?.[selected.col] : undefined;
  const layoutProblems = problems.get("layout") ?? [];

  return (
    <div class="layout-editor">
      {readOnly ? null : (
        <div class="editor-tools">
          <fieldset>
            <legend>{ct("layout.start")}</legend>
            <div class="row wrap">
              <div class="field">
                <label for="template">{ct("layout.template")}</label>
                <select id="template" value={template} onChange={(e) => setTemplate(e.currentTarget.value as TemplateName)}>
                  {TEMPLATES.map((name) => (
                    <option key={name} value={name}>
                      {ct(`layout.template.${name}` as ConsoleKey)}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field narrow">
                <label for="template-rows">{ct("layout.rows")}</label>
                <input id="template-rows" type="number" min={1} max={26} value={templateRows} onInput={(e) => setTemplateRows(Number(e.currentTarget.value))} />
              </div>
              <button
                type="button"
                class="secondary self-end"
                onClick={() => {
                  setSelected(null);
                  change(fromTemplate(template, templateRows || 1));
                }}
              >
                {ct("layout.useTemplate")}
              </button>
            </div>
          </fieldset>
          <fieldset class="tools">
            <legend>{ct("layout.tool")}</legend>
            <div class="tool-list">
              {(["select", ...TOOLS] as const).map((name) => (
                <label key={name} class={tool === name ? "tool on" : "tool"}>
                  <input type="radio" name="tool" value={name} checked={tool === name} onChange={() => setTool(name)} />
                  {ct(name === "select" ? "layout.selectTool" : (`layout.type.${name}` as ConsoleKey))}
                </label>
              ))}
            </div>
            <div class="field narrow-wide">
              <label for="paint-category">{ct("layout.paintCategory")}</label>
              <input id="paint-category" list="categories" value={category} maxLength={32} onInput={(e) => setCategory(e.currentTarget.value)} />
              <datalist id="categories">
                <option value="standard" />
                <option value="premium" />
                <option value="ladies" />
              </datalist>
            </div>
          </fieldset>
        </div>
      )}

      {layoutProblems.length > 0 ? (
        <ul class="problem" role="alert">
          {layoutProblems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}

      <div class="decks">
        {decks.map((deck, d) => {
          const deckProblems = problems.get(`deck:${d}`) ?? [];
          return (
            <section class="deck-edit" key={d} aria-label={ct("layout.deck", { name: deck.name })}>
              <div class="deck-head">
                <h3>{ct("layout.deck", { name: deck.name })}</h3>
                {readOnly ? null : (
                  <div class="row wrap">
                    <div class="field narrow">
                      <label for={`deck-${d}-name`}>{ct("layout.deckName")}</label>
                      <input id={`deck-${d}-name`} value={deck.name} maxLength={16} onInput={(e) => change(decks.map((x, i) => (i === d ? { ...x, name: e.currentTarget.value } : x)))} />
                    </div>
                    <div class="field narrow">
                      <label for={`deck-${d}-rows`}>{ct("layout.rows")}</label>
                      <input
                        id={`deck-${d}-rows`}
                        type="number"
                        min={1}
                        max={MAX_ROWS}
                        value={deck.rows}
                        onChange={(e) => change(decks.map((x, i) => (i === d ? resize(x, Number(e.currentTarget.value), x.cols) : x)))}
                      />
                    </div>
                    <div class="field narrow">
                      <label for={`deck-${d}-cols`}>{ct("layout.cols")}</label>
                      <input
                        id={`deck-${d}-cols`}
                        type="number"
                        min={1}
                        max={MAX_COLS}
                        value={deck.cols}
                        onChange={(e) => change(decks.map((x, i) => (i === d ? resize(x, x.rows, Number(e.currentTarget.value)) : x)))}
                      />
                    </div>
                    {decks.length > 1 ? (
                      <button type="button" class="link self-end" onClick={() => { setSelected(null); change(decks.filter((_, i) => i !== d)); }}>
                        {ct("layout.removeDeck", { name: deck.name })}
                      </button>
                    ) : null}
                  </div>
                )}
              </div>
              {deckProblems.length > 0 ? (
                <ul class="problem">
                  {deckProblems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              ) : null}
              <div class="grid editor-grid" style={{ gridTemplateColumns: `repeat(${deck.cols}, minmax(2.6rem, 3.2rem))` }}>
                {deck.grid.map((row, r) =>
                  row.map((cell, c) => {
                    const at = { deck: d, row: r, col: c };
                    const cellProblems = problems.get(placeKey(at));
                    const classes = [
                      "cell",
                      "edit",
                      cell.type,
                      sittable(cell.type) ? `cat-${cell.category}` : "",
                      cell.blocked ? "blocked" : "",
                      cellProblems ? "invalid" : "",
                      selected && selected.deck === d && selected.row === r && selected.col === c ? "picked" : "",
                    ].join(" ");
                    const text = sittable(cell.type) ? cell.label : SYMBOL[cell.type] ?? "";
                    const name = describe(deck, r, c, cell) + (cellProblems ? `. ${cellProblems.join(". ")}` : "");
                    return readOnly ? (
                      <div key={`${r}:${c}`} class={classes} role="img" aria-label={name} title={name}>
                        {text}
                      </div>
                    ) : (
                      <button key={`${r}:${c}`} type="button" class={classes} aria-label={name} title={name} data-cell={`${d}:${r}:${c}`} onClick={() => click(at)}>
                        {text}
                      </button>
                    );
                  }),
                )}
              </div>
              {[...problems.entries()].some(([key]) => key.startsWith(`${d}:`)) ? (
                <ul class="problem cell-problems">
                  {[...problems.entries()]
                    .filter(([key]) => key.startsWith(`${d}:`))
                    .map(([key, list]) => {
                      const [, r, c] = key.split(":").map(Number);
                      const cell = deck.grid[r]?.[c];
                      return (
                        <li key={key}>
                          {ct("layout.where", { deck: deck.name, row: r + 1, col: c + 1 })}
                          {cell && cell.label ? ` (${cell.label})` : ""}: {list.join("; ")}
                        </li>
                      );
                    })}
                </ul>
              ) : null}
            </section>
          );
        })}
      </div>

      {readOnly ? null : (
        <div class="row wrap">
          {decks.length < 2 ? (
            <button type="button" class="secondary" onClick={() => change([...decks, emptyDeck(decks[0]?.name === "upper" ? "lower" : "upper", decks[0]?.rows ?? 10, decks[0]?.cols ?? 3)])}>
              {ct("layout.addDeck")}
            </button>
          ) : null}
          <button type="button" class="secondary" onClick={() => onChange(renumber(decks.map((deck) => ({ ...deck, grid: deck.grid.map((row) => row.map((cell) => ({ ...cell, custom: false }))) }))))}>
            {ct("layout.renumber")}
          </button>
        </div>
      )}

      {!readOnly && picked && selected && sittable(picked.type) ? (
        <fieldset class="inspector">
          <legend>{ct("layout.place", { label: picked.label })}</legend>
          <div class="row wrap">
            <div class="field narrow">
              <label for="place-label">{ct("layout.label")}</label>
              <input
                id="place-label"
                value={picked.label}
                maxLength={8}
                onInput={(e) => setCell(selected, (cell) => ({ ...cell, label: e.currentTarget.value.toUpperCase(), custom: true }))}
              />
            </div>
            <div class="field narrow">
              <label for="place-category">{ct("layout.category")}</label>
              <input id="place-category" list="categories" value={picked.category} maxLength={32} onInput={(e) => setCell(selected, (cell) => ({ ...cell, category: e.currentTarget.value }))} />
            </div>
            <label class="check self-end">
              <input type="checkbox" checked={picked.blocked} onChange={(e) => setCell(selected, (cell) => ({ ...cell, blocked: e.currentTarget.checked }))} />
              {ct("layout.blockedForSale")}
            </label>
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}
