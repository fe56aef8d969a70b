// A file the API makes (a CSV export, an invoice's PDF), saved by the browser. The gateway
// wants the caller's bearer and the organization's X-Org-Id, which a plain <a href> cannot
// send: the file is fetched with them, kept as a blob (an export streams, but a console's
// exports fit in memory), and saved through a temporary object URL.

import { useState } from "preact/hooks";
import { callerBearer } from "../../shared/api";
import { Alert } from "../../shared/components/Field";
import type { Endpoint } from "../../shared/endpoints";
import { ApiError, type ProblemBody } from "../../shared/problem";
import { ct } from "../i18n";
import { errorText } from "../model";
import { currentMembership } from "../workspace";

export interface DownloadRequest {
  endpoint: Endpoint;
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** The file's name when the answer's Content-Disposition names none. */
  filename: string;
}

function urlOf({ endpoint, params = {}, query = {} }: DownloadRequest): URL {
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
  }
  return url;
}

/** The file name a Content-Disposition header gives, if any (no path, nothing hidden). */
function filenameOf(disposition: string | null): string | null {
  const found = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  const name = found?.[1].replace(/[/\\]/g, "_").trim();
  return name && !name.startsWith(".") ? name : null;
}

/** Fetches the file as the signed-in member of the current organization and saves it; its name. */
export async function download(request: DownloadRequest): Promise<string> {
  const membership = currentMembership();
  const headers: Record<string, string> = { Authorization: `Bearer ${await callerBearer()}` };
  if (membership) headers["X-Org-Id"] = membership.org_id;
  let response: Response;
  try {
    response = await fetch(urlOf(request), { headers });
  } catch (error) {
    throw new ApiError(0, { detail: String(error) });
  }
  if (!response.ok) {
    let problem: ProblemBody = {};
    try {
      problem = (await response.json()) as ProblemBody;
    } catch {
      // not a problem document: the status says enough
    }
    const retryAfter = Number(response.headers.get("Retry-After"));
    throw new ApiError(response.status, problem, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (error) {
    // A chunked export cut short: the file is not whole, so nothing is saved.
    throw new ApiError(0, { detail: String(error) });
  }
  const name = filenameOf(response.headers.get("Content-Disposition")) ?? request.filename;
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = name;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/** A button that downloads one file, saying while it works, when it is saved, or why it failed. */
export function DownloadButton(props: DownloadRequest & { label: string; class?: string }) {
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function run() {
    setBusy(true);
    setSaved(null);
    setProblem(null);
    try {
      setSaved(await download(props));
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.status === 429
          ? ct("reports.download.busy", { n: error.retryAfterSeconds ?? 30 })
          : ct("reports.download.failed", { reason: errorText(error) }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <span class="download">
      <button type="button" class={props.class ?? "secondary"} disabled={busy} aria-busy={busy ? "true" : undefined} onClick={run}>
        {busy ? ct("reports.download.working") : props.label}
      </button>
      <span class="download-status small" role="status">
        {saved ? ct("reports.download.saved", { file: saved }) : ""}
      </span>
      <Alert text={problem} />
    </span>
  );
}
