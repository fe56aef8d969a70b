import type { SeatCell, SeatMap } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";

const sittable = (cell: SeatCell) => cell.type === "seat" || cell.type === "berth";

/**
 * A trip's seats as the operator sees them: sold, held, blocked or free on the whole route.
 * With `onToggle`, free seats are buttons that select them (to keep off sale).
 */
export function TripSeatMap(props: { map: SeatMap; selected: string[]; onToggle?: (label: string) => void }) {
  const { map, selected, onToggle } = props;
  return (
    <div class="decks">
      {map.decks.map((deck) => {
        const grid: (SeatCell | null)[][] = Array.from({ length: deck.rows }, () => Array.from({ length: deck.cols }, () => null));
        for (const cell of deck.cells) if (grid[cell.row] && cell.col < deck.cols) grid[cell.row][cell.col] = cell;
        return (
          <section class="deck-edit" key={deck.name} aria-label={ct("layout.deck", { name: deck.name })}>
            <h3>{ct("layout.deck", { name: deck.name })}</h3>
            <div class="grid editor-grid" style={{ gridTemplateColumns: `repeat(${deck.cols}, minmax(2.6rem, 3.2rem))` }}>
              {grid.flatMap((row, r) =>
                row.map((cell, c) => {
                  if (!cell || !sittable(cell)) {
                    return <div key={`${r}:${c}`} class={`cell edit ${cell?.type ?? "empty"}`} aria-hidden="true" />;
                  }
                  const picked = selected.includes(cell.label);
                  const status = ct(`trip.seat.${cell.status}` as ConsoleKey);
                  const name = `${cell.label}, ${cell.category}: ${status}${picked ? `, ${ct("trip.seat.picked")}` : ""}`;
                  const classes = `cell edit ${cell.type} seat-${cell.status} cat-${cell.category}${picked ? " picked" : ""}`;
                  return onToggle && cell.status === "available" ? (
                    <button
                      key={`${r}:${c}`}
                      type="button"
                      class={classes}
                      aria-pressed={picked}
                      aria-label={name}
                      title={name}
                      data-seat={cell.label}
                      onClick={() => onToggle(cell.label)}
                    >
                      {cell.label}
                    </button>
                  ) : (
                    <div key={`${r}:${c}`} class={classes} role="img" aria-label={name} title={name} data-seat={cell.label}>
                      {cell.label}
                    </div>
                  );
                }),
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}
