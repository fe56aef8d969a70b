import { t } from "../../shared/i18n";
import type { Deck, SeatCell } from "../../shared/types";

interface Props {
  decks: Deck[];
  selected: Set<string>;
  onToggle: (cell: SeatCell) => void;
}

const SELLABLE = new Set(["seat", "berth"]);

/**
 * The bus as its layout draws it: each deck a grid of its rows and columns, seats and berths
 * as toggle buttons, aisles and doors as gaps, the driver marked. Status and category are
 * written in each button's accessible name, not only shown in colour.
 */
export function SeatMap({ decks, selected, onToggle }: Props) {
  return (
    <div class="seatmap">
      {decks.map((deck) => (
        <section class="deck" aria-label={deckName(deck.name, decks.length)}>
          {decks.length > 1 ? <h3>{deckName(deck.name, decks.length)}</h3> : null}
          <div class="grid" style={{ gridTemplateColumns: `repeat(${deck.cols}, minmax(2.4rem, 1fr))` }}>
            {deck.cells.map((cell) => (
              <Cell cell={cell} selected={selected.has(cell.label)} onToggle={onToggle} />
            ))}
          </div>
        </section>
      ))}
      <ul class="legend" aria-label={t("seats.legend")}>
        <li>
          <span class="swatch available" /> {t("seats.available")}
        </li>
        <li>
          <span class="swatch selected" /> {t("seats.selected")}
        </li>
        <li>
          <span class="swatch held" /> {t("seats.held")}
        </li>
        <li>
          <span class="swatch booked" /> {t("seats.booked")}
        </li>
        <li>
          <span class="swatch ladies" /> {t("seats.category.ladies")}
        </li>
      </ul>
    </div>
  );
}

function deckName(name: string, count: number): string {
  if (count === 1) return t("seats.deck");
  const key = `seats.deck.${name}`;
  const text = t(key as "seats.deck.lower");
  return text === key ? name : text;
}

function Cell({ cell, selected, onToggle }: { cell: SeatCell; selected: boolean; onToggle: (cell: SeatCell) => void }) {
  const place = { gridRow: String(cell.row + 1), gridColumn: String(cell.col + 1) };
  if (!SELLABLE.has(cell.type)) {
    if (cell.type === "driver") {
      return (
        <span class="cell driver" style={place} title={t("seats.driver")}>
          <span aria-hidden="true">◎</span>
          <span class="sr-only">{t("seats.driver")}</span>
        </span>
      );
    }
    if (cell.type === "door") {
      return (
        <span class="cell door" style={place}>
          {t("seats.door")}
        </span>
      );
    }
    return <span class="cell gap" style={place} aria-hidden="true" />;
  }
  const free = cell.status === "available";
  const category = cell.category && cell.category !== "standard" ? cell.category : "";
  const statusText = selected ? t("seats.selected") : t(`seats.${cell.status}` as "seats.available");
  const categoryText = category ? `, ${categoryName(category)}` : "";
  const kind = cell.type === "berth" ? t("seats.berth") : t("seats.seat");
  return (
    <button
      type="button"
      class={`cell ${cell.type} ${selected ? "selected" : cell.status}${category ? ` cat-${category}` : ""}`}
      style={place}
      data-seat={cell.label}
      data-status={selected ? "selected" : cell.status}
      aria-pressed={selected}
      aria-label={`${kind} ${cell.label}, ${statusText}${categoryText}`}
      disabled={!free && !selected}
      onClick={() => onToggle(cell)}
    >
      {cell.label}
    </button>
  );
}

export function categoryName(category: string): string {
  const key = `seats.category.${category}`;
  const text = t(key as "seats.category.ladies");
  return text === key ? category : text;
}
