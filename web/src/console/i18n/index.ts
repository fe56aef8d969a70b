// The console's own words, beside the shared ones (../../shared/i18n): the traveller app does
// not download them.
import { translator } from "../../shared/i18n";
import { bn } from "./bn";
import { en, type ConsoleKey } from "./en";

export type { ConsoleKey };
export const ct = translator<ConsoleKey>({ en, bn });
