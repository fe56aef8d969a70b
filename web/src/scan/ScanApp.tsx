import { useEffect, useRef, useState } from "preact/hooks";
import { call, isSignedIn, signIn, signOut } from "../shared/api";
import { endpoints } from "../shared/endpoints";
import { calendarDayIn, date, DEFAULT_ZONE, setLocale, t, time, useLocale } from "../shared/i18n";
import { ApiError } from "../shared/problem";
import { Alert, Field } from "../shared/components/Field";
import { preloadDecoder, startCamera, type CameraScan } from "./camera";
import {
  deviceId,
  forgetScanData,
  loadPack,
  normalNumber,
  pending,
  savePack,
  setAside,
  setPending,
  type Pack,
  type PendingScan,
} from "./pack";
import { canVerify, unverifiedClaims, verifyTicket } from "./paseto";

const BOARDING_ROLES = new Set(["owner", "admin", "manager", "conductor"]);

type Outcome = "boarded" | "already_boarded" | "void" | "invalid" | "wrong_trip" | "unverified";

interface Verdict {
  outcome: Outcome;
  seat?: string;
  passenger?: string;
  boardedAt?: string;
  offline?: boolean;
  at: number;
}

interface Membership {
  org_id: string;
  org_name: string;
  role: string;
}

interface OrgTrip {
  id: string;
  route_name: string;
  departure: string;
  status: string;
  bus?: { plate: string };
}

export function ScanApp() {
  useLocale();
  const [signedIn, setSignedIn] = useState(isSignedIn());
  const [org, setOrg] = useState<Membership | null>(() => {
    try {
      return JSON.parse(localStorage.getItem("travio.scan.org") || "null") as Membership | null;
    } catch {
      return null;
    }
  });
  const [trip, setTrip] = useState<OrgTrip | null>(null);

  const chooseOrg = (membership: Membership | null) => {
    if (membership) localStorage.setItem("travio.scan.org", JSON.stringify(membership));
    else localStorage.removeItem("travio.scan.org");
    setOrg(membership);
  };

  let body;
  if (!signedIn) body = <SignIn onSignedIn={() => setSignedIn(true)} />;
  else if (!org) body = <ChooseOrg onChosen={chooseOrg} />;
  else if (!trip) body = <ChooseTrip org={org} onChosen={setTrip} />;
  else body = <Boarding org={org} trip={trip} onLeave={() => setTrip(null)} />;

  return (
    <>
      <header class="top">
        <span class="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>{t("scan.title")}</span>
        </span>
        <nav aria-label={t("app.menu")}>
          {signedIn ? (
            <button
              type="button"
              class="link"
              onClick={() => {
                signOut();
                // A shared phone: the next conductor sees none of this one's passengers or scans.
                forgetScanData();
                chooseOrg(null);
                setTrip(null);
                setSignedIn(false);
              }}
            >
              {t("nav.signOut")}
            </button>
          ) : null}
          <LanguageToggle />
        </nav>
      </header>
      <main id="main">{body}</main>
    </>
  );
}

function LanguageToggle() {
  const locale = useLocale();
  return (
    <button type="button" class="link" lang={locale === "en" ? "bn" : "en"} onClick={() => setLocale(locale === "en" ? "bn" : "en")}>
      {locale === "en" ? "বাংলা" : "English"}
    </button>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await signIn(email.trim(), password);
      onSignedIn();
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.code === "invalid_credentials"
          ? t("signin.invalid")
          : error instanceof ApiError && !error.isNetwork
            ? error.message
            : t("error.network"),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card narrow-card" onSubmit={submit} noValidate aria-labelledby="scan-signin">
      <h1 id="scan-signin">{t("scan.signIn")}</h1>
      <Field id="scan-email" label={t("form.email")}>
        <input id="scan-email" type="email" autocomplete="username" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
      </Field>
      <Field id="scan-password" label={t("form.password")}>
        <input
          id="scan-password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
      </Field>
      <Alert text={problem} />
      <button type="submit" class="primary wide" disabled={busy}>
        {t("signin.submit")}
      </button>
    </form>
  );
}

function ChooseOrg({ onChosen }: { onChosen: (membership: Membership) => void }) {
  const [memberships, setMemberships] = useState<Membership[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    call<{ memberships: Membership[] }>(endpoints.me)
      .then((answer) => {
        const boarding = answer.body.memberships.filter((m) => BOARDING_ROLES.has(m.role));
        if (boarding.length === 1) onChosen(boarding[0]);
        setMemberships(boarding);
      })
      .catch(() => setProblem(t("error.network")));
  }, []);
  return (
    <section class="card">
      <h1>{t("scan.chooseOrg")}</h1>
      {problem ? <p class="problem">{problem}</p> : null}
      {memberships && memberships.length === 0 ? <p class="problem">{t("scan.noBoardingRole")}</p> : null}
      <ul class="trip-list">
        {(memberships ?? []).map((m) => (
          <li>
            <button type="button" onClick={() => onChosen(m)}>
              <strong>{m.org_name}</strong> <span class="muted">{m.role}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ChooseTrip({ org, onChosen }: { org: Membership; onChosen: (trip: OrgTrip) => void }) {
  const [trips, setTrips] = useState<OrgTrip[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    call<{ items: OrgTrip[] }>(endpoints.orgTrips, {
      headers: { "X-Org-Id": org.org_id },
      query: { from_date: calendarDayIn(DEFAULT_ZONE), to_date: calendarDayIn(DEFAULT_ZONE, 1), limit: 200 },
    })
      .then((answer) => setTrips(answer.body.items.filter((trip) => trip.status !== "cancelled" && trip.status !== "draft")))
      .catch((error) => setProblem(error instanceof ApiError && error.isNetwork ? t("scan.offlineTrips") : t("error.network")));
  }, [org.org_id]);
  return (
    <section class="card">
      <h1>{t("scan.chooseTrip")}</h1>
      <p class="muted">{org.org_name}</p>
      {problem ? <p class="problem">{problem}</p> : null}
      {trips && trips.length === 0 ? <p>{t("scan.noTrips")}</p> : null}
      <ul class="trip-list">
        {(trips ?? []).map((trip) => (
          <li>
            <button type="button" onClick={() => onChosen(trip)} data-trip={trip.id}>
              <span>
                <strong>{time(trip.departure)}</strong> {trip.route_name}
                <br />
                <span class="muted small">
                  {date(trip.departure)}
                  {trip.bus?.plate ? ` · ${trip.bus.plate}` : ""}
                </span>
              </span>
              <span aria-hidden="true">›</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Boarding({ org, trip, onLeave }: { org: Membership; trip: OrgTrip; onLeave: () => void }) {
  const tripId = trip.id;
  const [pack, setPack] = useState<Pack | null>(() => loadPack(org.org_id, tripId));
  const [queue, setQueue] = useState<PendingScan[]>(() => pending(org.org_id));
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [history, setHistory] = useState<Verdict[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [asideNote, setAsideNote] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const [cameraOn, setCameraOn] = useState(false);
  const [decoderReady, setDecoderReady] = useState(false);
  const [online, setOnline] = useState(navigator.onLine);
  const video = useRef<HTMLVideoElement>(null);
  const camera = useRef<CameraScan | null>(null);
  const packRef = useRef(pack);
  packRef.current = pack;
  const headers = { "X-Org-Id": org.org_id };

  const download = async () => {
    try {
      const answer = await call<Omit<Pack, "fetched_at">>(endpoints.boardingPack, { headers, params: { trip_id: tripId } });
      const fresh: Pack = { ...answer.body, fetched_at: new Date().toISOString() };
      // Scans this device made offline stay boarded until the server has them.
      for (const scan of pending(org.org_id)) markBoarded(fresh, scan);
      savePack(org.org_id, fresh);
      setPack(fresh);
      setProblem(null);
    } catch (error) {
      if (error instanceof ApiError && error.code === "not_on_crew") setProblem(t("scan.notOnCrew"));
      else if (!packRef.current) setProblem(error instanceof ApiError && !error.isNetwork ? error.message : t("scan.noPackOffline"));
    }
  };

  // Sends scans; true when the server settled them (answered per scan), false when it could
  // not be reached. A batch refused as a whole (a scan naming a trip that is no longer this
  // conductor's, say) is sent again scan by scan, and only the ones refused alone are set
  // aside, so one bad scan never holds back the others.
  const send = async (scans: PendingScan[]): Promise<boolean> => {
    try {
      await call(endpoints.boardingSync, { headers, body: { scans } });
      return true;
    } catch (error) {
      if (!(error instanceof ApiError) || error.isNetwork || error.status >= 500 || error.status === 429) return false;
      if (scans.length === 1) {
        setAside(org.org_id, scans, error.message);
        setAsideNote(t("scan.setAside", { n: 1, reason: error.message }));
        return true;
      }
      for (const scan of scans) {
        if (!(await send([scan]))) return false;
      }
      return true;
    }
  };

  const sync = async () => {
    const scans = pending(org.org_id);
    if (scans.length === 0) return;
    if (!(await send(scans))) return; // offline or the server in trouble: kept for later
    // What was sent is settled now; scans made meanwhile wait for the next sync.
    const rest = pending(org.org_id).slice(scans.length);
    setPending(org.org_id, rest);
    setQueue(rest);
    await download();
  };

  useEffect(() => {
    download().then(sync);
    preloadDecoder()
      .then(() => setDecoderReady(true))
      .catch(() => undefined);
    const goOnline = () => {
      setOnline(true);
      sync();
    };
    const goOffline = () => setOnline(false);
    addEventListener("online", goOnline);
    addEventListener("offline", goOffline);
    const timer = setInterval(() => {
      if (navigator.onLine) sync();
    }, 30_000);
    return () => {
      removeEventListener("online", goOnline);
      removeEventListener("offline", goOffline);
      clearInterval(timer);
      camera.current?.stop();
    };
  }, [tripId]);

  const show = (next: Verdict) => {
    setVerdict(next);
    setHistory((list) => [next, ...list].slice(0, 20));
    navigator.vibrate?.(next.outcome === "boarded" ? 80 : [80, 60, 80]);
  };

  const remember = (changed: Pack) => {
    savePack(org.org_id, changed);
    setPack({ ...changed });
  };

  // Offline: the pack decides, and the scan waits to be synced (the server's first scan wins).
  const boardOffline = async (input: { qr?: string; number?: string }) => {
    const current = packRef.current;
    if (!current) {
      show({ outcome: "invalid", at: Date.now() });
      return;
    }
    let ticket;
    if (input.qr) {
      if (!canVerify()) {
        // Without WebCrypto (plain http) a code's signature cannot be checked here, and anyone
        // can print a code naming a real ticket: no boarding on its word. The conductor types
        // the number printed beside it (numbers are unguessable and in the pack).
        const claims = unverifiedClaims(input.qr);
        const named = claims && current.tickets.find((candidate) => candidate.id === claims.tid);
        return show({ outcome: "unverified", seat: named?.seat, offline: true, at: Date.now() });
      }
      const claims = await verifyTicket(input.qr, current.keys);
      if (!claims) return show({ outcome: "invalid", offline: true, at: Date.now() });
      if (claims.trip !== tripId) return show({ outcome: "wrong_trip", seat: claims.seat, offline: true, at: Date.now() });
      ticket = current.tickets.find((candidate) => candidate.id === claims.tid);
    } else {
      ticket = current.tickets.find((candidate) => normalNumber(candidate.number) === normalNumber(input.number ?? ""));
    }
    if (!ticket) return show({ outcome: "invalid", offline: true, at: Date.now() });
    const base = { seat: ticket.seat, passenger: ticket.passenger, offline: true, at: Date.now() };
    if (ticket.status === "void") return show({ outcome: "void", ...base });
    if (ticket.status === "boarded") return show({ outcome: "already_boarded", boardedAt: ticket.boarded_at, ...base });
    const scan: PendingScan = {
      ...(input.qr ? { qr: input.qr } : { number: ticket.number, trip_id: tripId }),
      scanned_at: new Date().toISOString(),
      device_id: deviceId(),
    };
    const queued = [...pending(org.org_id), scan];
    setPending(org.org_id, queued);
    setQueue(queued);
    ticket.status = "boarded";
    ticket.boarded_at = scan.scanned_at;
    remember(current);
    show({ outcome: "boarded", ...base });
  };

  const board = async (input: { qr?: string; number?: string }) => {
    setProblem(null);
    if (!navigator.onLine) return boardOffline(input);
    try {
      const answer = await call<{ ticket_id: string; seat: string; passenger: string; boarded_at: string }>(endpoints.boardingScan, {
        headers,
        body: { ...input, trip_id: tripId, device_id: deviceId() },
      });
      updateTicket(answer.body.ticket_id, "boarded", answer.body.boarded_at);
      show({ outcome: "boarded", seat: answer.body.seat, passenger: answer.body.passenger, at: Date.now() });
    } catch (error) {
      if (!(error instanceof ApiError) || error.isNetwork || error.status >= 500) return boardOffline(input);
      const problem = error.problem as { seat?: string; boarded_at?: string; ticket_id?: string };
      const outcome: Outcome =
        error.code === "already_boarded"
          ? "already_boarded"
          : error.code === "ticket_void"
            ? "void"
            : error.code === "wrong_trip"
              ? "wrong_trip"
              : "invalid";
      if (outcome === "already_boarded" && problem.ticket_id) updateTicket(problem.ticket_id, "boarded", problem.boarded_at);
      const known = packRef.current?.tickets.find((ticket) => ticket.id === problem.ticket_id);
      show({ outcome, seat: problem.seat, passenger: known?.passenger, boardedAt: problem.boarded_at, at: Date.now() });
    }
  };

  const updateTicket = (id: string, status: "boarded" | "void", at?: string) => {
    const current = packRef.current;
    const ticket = current?.tickets.find((candidate) => candidate.id === id);
    if (!current || !ticket) return;
    ticket.status = status;
    if (at) ticket.boarded_at = at;
    remember(current);
  };

  const toggleCamera = async () => {
    if (cameraOn) {
      camera.current?.stop();
      camera.current = null;
      setCameraOn(false);
      return;
    }
    setCameraOn(true);
    try {
      camera.current = await startCamera(video.current!, (code) => board({ qr: code }));
    } catch {
      setCameraOn(false);
      setProblem(t("scan.noCamera"));
    }
  };

  const valid = pack?.tickets.filter((ticket) => ticket.status !== "void") ?? [];
  const boarded = valid.filter((ticket) => ticket.status === "boarded").length;
  return (
    <>
      <section class="card">
        <div class="scan-top">
          <button type="button" class="link" onClick={onLeave}>
            {t("scan.otherTrip")}
          </button>
          {!online ? <span class="offline">{t("scan.offline")}</span> : null}
        </div>
        <h1>
          {time(trip.departure)} {trip.route_name}
        </h1>
        <p class="muted">
          {date(trip.departure)}
          {trip.bus?.plate ? ` · ${trip.bus.plate}` : ""}
        </p>
        <div class="counts" role="status">
          <div>
            <strong data-count="boarded">{boarded}</strong>
            {t("scan.boardedCount")}
          </div>
          <div>
            <strong data-count="expected">{valid.length - boarded}</strong>
            {t("scan.toBoard")}
          </div>
          <div>
            <strong data-count="pending">{queue.length}</strong>
            {t("scan.toSync")}
          </div>
        </div>
        {pack ? (
          <p class="muted small">{t("scan.packReady", { n: pack.tickets.length, time: time(pack.fetched_at, Intl.DateTimeFormat().resolvedOptions().timeZone) })}</p>
        ) : null}
        <Alert text={problem} />
        {asideNote ? (
          <p class="problem" role="status">
            {asideNote}
          </p>
        ) : null}
        {verdict ? (
          <div class={`verdict ${verdict.outcome}`} role="alert" data-outcome={verdict.outcome}>
            <strong>{t(`scan.outcome.${verdict.outcome}`)}</strong>
            {verdict.seat
              ? verdict.passenger
                ? t("scan.seatOf", { seat: verdict.seat, passenger: verdict.passenger })
                : t("tickets.seat", { seat: verdict.seat })
              : null}
            {verdict.boardedAt ? ` · ${t("scan.boardedAt", { time: time(verdict.boardedAt, Intl.DateTimeFormat().resolvedOptions().timeZone) })}` : null}
            {verdict.offline ? <div class="small">{t("scan.decidedOffline")}</div> : null}
          </div>
        ) : null}
        <video ref={video} class="camera" hidden={!cameraOn} muted aria-label={t("scan.cameraView")} />
        <button type="button" class="primary wide" onClick={toggleCamera} data-decoder={decoderReady ? "ready" : "loading"}>
          {cameraOn ? t("scan.stopCamera") : t("scan.startCamera")}
        </button>
        <form
          class="row"
          style={{ marginTop: "0.75rem", alignItems: "flex-end" }}
          onSubmit={(event) => {
            event.preventDefault();
            if (normalNumber(typed)) board({ number: typed });
            setTyped("");
          }}
        >
          <Field id="scan-number" label={t("scan.typeNumber")}>
            <input
              id="scan-number"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              placeholder="K7Q2M-9XD3F"
              value={typed}
              onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            />
          </Field>
          <button type="submit" class="secondary" style={{ marginBottom: "0.75rem" }}>
            {t("scan.board")}
          </button>
        </form>
        {queue.length && online ? (
          <button type="button" class="secondary wide" onClick={sync}>
            {t("scan.syncNow")}
          </button>
        ) : null}
      </section>
      {history.length ? (
        <section class="card" aria-labelledby="scan-history">
          <h2 id="scan-history">{t("scan.history")}</h2>
          <ul class="history">
            {history.map((entry) => (
              <li>
                <span>
                  {entry.seat ?? "–"} {entry.passenger ?? ""}
                </span>
                <span>{t(`scan.outcome.${entry.outcome}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function markBoarded(pack: Pack, scan: PendingScan) {
  const claims = scan.qr ? unverifiedClaims(scan.qr) : null;
  const ticket = pack.tickets.find((candidate) =>
    claims ? candidate.id === claims.tid : normalNumber(candidate.number) === normalNumber(scan.number ?? ""),
  );
  if (ticket && ticket.status === "issued") {
    ticket.status = "boarded";
    ticket.boarded_at = scan.scanned_at;
  }
}
