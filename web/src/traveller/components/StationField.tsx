import { useEffect, useId, useRef, useState } from "preact/hooks";
import { call } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { t } from "../../shared/i18n";
import type { List, Station } from "../../shared/types";

interface Props {
  label: string;
  name: string;
  value: Station | null;
  onChange: (station: Station | null) => void;
  error?: string;
}

/**
 * A station picker over the typo-tolerant lookup (GET /v1/search/stations): type a code, a
 * name or a misspelling, choose with the arrows and Enter or a tap. An ARIA 1.2 combobox.
 */
export function StationField({ label, name, value, onChange, error }: Props) {
  const id = useId();
  const [text, setText] = useState(value ? value.name : "");
  const [options, setOptions] = useState<Station[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const request = useRef<AbortController | null>(null);

  useEffect(() => setText(value ? value.name : ""), [value?.code]);

  useEffect(() => {
    if (!open || text.trim().length === 0 || (value && text === value.name)) {
      setOptions([]);
      return;
    }
    const timer = setTimeout(async () => {
      request.current?.abort();
      const controller = new AbortController();
      request.current = controller;
      try {
        const answer = await call<List<Station>>(endpoints.findStations, {
          auth: "none",
          query: { q: text.trim(), limit: 8 },
          signal: controller.signal,
        });
        setOptions(answer.body.items);
        setActive(0);
      } catch {
        if (!controller.signal.aborted) setOptions([]);
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [text, open]);

  const choose = (station: Station) => {
    onChange(station);
    setText(station.name);
    setOpen(false);
    setOptions([]);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      setOpen(true);
      setActive((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      setActive((active - 1 + options.length) % options.length);
    } else if (event.key === "Enter" && open && options[active]) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const errorId = `${id}-error`;
  const expanded = open && options.length > 0;
  return (
    <div class="field station">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        placeholder={t("search.stationPlaceholder")}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        value={text}
        onInput={(event) => {
          setText((event.target as HTMLInputElement).value);
          setOpen(true);
          if (value) onChange(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" class="options" hidden={!expanded} aria-label={label}>
        {options.map((station, i) => (
          <li
            id={`${listId}-${i}`}
            key={station.code}
            role="option"
            aria-selected={i === active}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(station);
            }}
          >
            <strong>{station.name}</strong> <span class="code">{station.code}</span>
            {station.city && station.city !== station.name ? <span class="muted"> · {station.city}</span> : null}
          </li>
        ))}
      </ul>
      {error ? (
        <p id={errorId} class="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
