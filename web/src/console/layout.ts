// A bus's seat layout as the editor holds it (a grid per deck) and as the API takes it
// (api.md: explicit decks of cells). Labels are numbered the way the server's templates number
// them, row letter then place in the row ("A1", "LB2"), unless the operator typed one.

import type { CellType } from "../shared/types";

export interface EditCell {
  type: CellType;
  label: string;
  category: string;
  blocked: boolean;
  /** A label the operator typed: renumbering keeps it. */
  custom: boolean;
}

export interface EditDeck {
  name: string;
  rows: number;
  cols: number;
  grid: EditCell[][]; // [row][col]
}

export interface ApiCell {
  row: number;
  col: number;
  type: CellType;
  label?: string;
  category?: string;
  blocked?: boolean;
}

export interface ApiDeck {
  name: string;
  rows: number;
  cols: number;
  cells: ApiCell[];
}

export const MAX_ROWS = 30;
export const MAX_COLS = 10;
export const DEFAULT_CATEGORY = "standard";
export const TEMPLATES = ["2+2", "2+1", "1+1", "double-decker"] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export const sittable = (type: CellType) => type === "seat" || type === "berth";

const blank = (): EditCell => ({ type: "empty", label: "", category: "", blocked: false, custom: false });

function rowLetters(row: number): string {
  // A..Z, then AA, AB...: a deck has at most 30 rows.
  return row < 26 ? String.fromCharCode(65 + row) : `A${String.fromCharCode(65 + row - 26)}`;
}

/** The prefix of a deck's labels: none on a single deck, its name's initial on two ("L", "U"). */
function prefixOf(decks: EditDeck[], index: number): string {
  if (decks.length < 2) return "";
  return (decks[index].name.trim()[0] ?? (index === 0 ? "L" : "U")).toUpperCase().replace(/[^A-Z]/g, "") || (index === 0 ? "L" : "U");
}

/** Numbers every place that has no typed label: row letter, then its place in the row. */
export function renumber(decks: EditDeck[]): EditDeck[] {
  return decks.map((deck, d) => ({
    ...deck,
    grid: deck.grid.map((cells, row) => {
      let place = 0;
      return cells.map((cell) => {
        if (!sittable(cell.type)) return cell.label && !cell.custom ? { ...cell, label: "" } : cell;
        place++;
        return cell.custom ? cell : { ...cell, label: `${prefixOf(decks, d)}${rowLetters(row)}${place}` };
      });
    }),
  }));
}

function templateDeck(name: string, pattern: string, rows: number, place: CellType, fullBackRow: boolean): EditDeck {
  const grid: EditCell[][] = [];
  for (let row = 0; row < rows; row++) {
    const full = fullBackRow && row === rows - 1;
    grid.push(
      [...pattern].map((p) =>
        p === "P" || full ? { ...blank(), type: place, category: DEFAULT_CATEGORY } : { ...blank(), type: "aisle" as CellType },
      ),
    );
  }
  return { name, rows, cols: pattern.length, grid };
}

/** The server's templates (api.md), as a grid to start editing from. */
export function fromTemplate(name: TemplateName, rows: number): EditDeck[] {
  const r = Math.max(1, Math.min(26, rows));
  switch (name) {
    case "2+2":
      return renumber([templateDeck("main", "PP|PP", r, "seat", true)]);
    case "2+1":
      return renumber([templateDeck("main", "PP|P", r, "seat", true)]);
    case "1+1":
      return renumber([templateDeck("main", "P|P", r, "berth", false)]);
    case "double-decker":
      return renumber([templateDeck("lower", "P|P", r, "berth", false), templateDeck("upper", "P|P", r, "berth", false)]);
  }
}

/** A layout as the API answered it (a bus's `layout`), as a grid. */
export function fromApi(decks: ApiDeck[]): EditDeck[] {
  return decks.map((deck) => {
    const grid = Array.from({ length: deck.rows }, () => Array.from({ length: deck.cols }, blank));
    for (const cell of deck.cells) {
      if (cell.row < 0 || cell.row >= deck.rows || cell.col < 0 || cell.col >= deck.cols) continue;
      grid[cell.row][cell.col] = {
        type: cell.type,
        label: cell.label ?? "",
        category: cell.category ?? (sittable(cell.type) ? DEFAULT_CATEGORY : ""),
        blocked: cell.blocked ?? false,
        custom: true, // as saved: keep what the operator chose
      };
    }
    return { name: deck.name, rows: deck.rows, cols: deck.cols, grid };
  });
}

/** Where each cell the API reads came from, so its problems can be shown on that cell. */
export interface CellPlace {
  deck: number;
  row: number;
  col: number;
}

/** The layout for the API: every cell but the empty ones, and where each one sits. */
export function toApi(decks: EditDeck[]): { layout: { decks: ApiDeck[] }; places: CellPlace[][] } {
  const places: CellPlace[][] = [];
  const out = decks.map((deck, d) => {
    const cells: ApiCell[] = [];
    places.push([]);
    deck.grid.forEach((row, r) =>
      row.forEach((cell, c) => {
        if (cell.type === "empty") return;
        const item: ApiCell = { row: r, col: c, type: cell.type };
        if (sittable(cell.type)) {
          item.label = cell.label;
          item.category = cell.category || DEFAULT_CATEGORY;
          if (cell.blocked) item.blocked = true;
        }
        cells.push(item);
        places[d].push({ deck: d, row: r, col: c });
      }),
    );
    return { name: deck.name, rows: deck.rows, cols: deck.cols, cells };
  });
  return { layout: { decks: out }, places };
}

export const placeKey = (p: CellPlace) => `${p.deck}:${p.row}:${p.col}`;

/**
 * The server's problems with a layout (fields such as `layout.decks[1].cells[7].label`) on the
 * cells they concern; problems of a whole deck or layout under "deck:N" and "layout".
 */
export function problemsByCell(
  errors: { field: string; message: string }[],
  places: CellPlace[][],
  nameOf: (place: CellPlace) => string,
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (key: string, message: string) => found.set(key, [...(found.get(key) ?? []), message]);
  for (const error of errors) {
    const cell = /^layout\.decks\[(\d+)\]\.cells\[(\d+)\](?:\.(\w+))?/.exec(error.field);
    if (cell) {
      const place = places[Number(cell[1])]?.[Number(cell[2])];
      const what = cell[3] ? `${cell[3]} ` : "";
      // "repeats the label of layout.decks[0].cells[3]": name that cell by its label instead.
      const message = error.message.replace(/layout\.decks\[(\d+)\]\.cells\[(\d+)\]/g, (whole, d: string, c: string) => {
        const other = places[Number(d)]?.[Number(c)];
        return other ? nameOf(other) : whole;
      });
      if (place) add(placeKey(place), `${what}${message}`);
      else add("layout", `${error.field} ${message}`);
      continue;
    }
    const deck = /^layout\.decks\[(\d+)\](?:\.(\w+))?/.exec(error.field);
    if (deck) add(`deck:${deck[1]}`, `${deck[2] ?? ""} ${error.message}`.trim());
    else if (error.field.startsWith("layout")) add("layout", `${error.field.replace(/^layout\.?/, "")} ${error.message}`.trim());
  }
  return found;
}

/** The deck resized, keeping the cells that still fit; new cells are empty. */
export function resize(deck: EditDeck, rows: number, cols: number): EditDeck {
  const r = Math.max(1, Math.min(MAX_ROWS, rows));
  const c = Math.max(1, Math.min(MAX_COLS, cols));
  const grid = Array.from({ length: r }, (_, row) => Array.from({ length: c }, (_, col) => deck.grid[row]?.[col] ?? blank()));
  return { ...deck, rows: r, cols: c, grid };
}

export function emptyDeck(name: string, rows: number, cols: number): EditDeck {
  return { name, rows, cols, grid: Array.from({ length: rows }, () => Array.from({ length: cols }, blank)) };
}

export function capacity(decks: EditDeck[]): { places: number; forSale: number } {
  let places = 0;
  let forSale = 0;
  for (const deck of decks) {
    for (const row of deck.grid) {
      for (const cell of row) {
        if (!sittable(cell.type)) continue;
        places++;
        if (!cell.blocked) forSale++;
      }
    }
  }
  return { places, forSale };
}

/** The categories a layout's places use, for fares per category. */
export function categoriesOf(decks: ApiDeck[]): string[] {
  const found = new Set<string>();
  for (const deck of decks) for (const cell of deck.cells) if (sittable(cell.type)) found.add(cell.category || DEFAULT_CATEGORY);
  return [...found].sort();
}
