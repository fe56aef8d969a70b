import { useEffect, useState } from "preact/hooks";
import { isSignedIn, signOut } from "../shared/api";
import { ApiError } from "../shared/problem";
import { setLocale, useLocale } from "../shared/i18n";
import { linkClickHandler, match, navigate, usePlace } from "../shared/router";
import { Alert } from "../shared/components/Field";
import { ct } from "./i18n";
import { can, chooseOrg, forgetMe, loadMe, type Permission, useWorkspace, whenSignedOut } from "./workspace";
import { SignInPage } from "./pages/SignInPage";
import { InvitePage } from "./pages/InvitePage";
import { NewOrgPage } from "./pages/NewOrgPage";
import { DashboardPage } from "./pages/DashboardPage";
import { BusesPage } from "./pages/BusesPage";
import { BusEditorPage } from "./pages/BusEditorPage";
import { StaffPage } from "./pages/StaffPage";
import { RoutesPage } from "./pages/RoutesPage";
import { RouteEditorPage } from "./pages/RouteEditorPage";
import { RoutePage } from "./pages/RoutePage";
import { ScheduleEditorPage } from "./pages/ScheduleEditorPage";
import { SchedulePage } from "./pages/SchedulePage";
import { TripsPage } from "./pages/TripsPage";
import { ManifestPage } from "./pages/ManifestPage";
import { MembersPage } from "./pages/MembersPage";
import type { ConsoleKey } from "./i18n/en";
import { TripPage } from "./pages/TripPage";
import { StationsPage } from "./pages/StationsPage";
import { RefundPolicyPage } from "./pages/RefundPolicyPage";
import { PricingRulesPage } from "./pages/PricingRulesPage";
import { PricingRuleEditorPage } from "./pages/PricingRuleEditorPage";
import { WaitingRoomsPage } from "./pages/WaitingRoomsPage";
import { WaitingRoomEditorPage } from "./pages/WaitingRoomEditorPage";
import { FraudPage } from "./pages/FraudPage";
import { ReportsPage } from "./pages/ReportsPage";
import { AuditPage } from "./pages/AuditPage";
import { BillingPage } from "./pages/BillingPage";
import { OrdersPage } from "./pages/OrdersPage";
import { OrderPage } from "./pages/OrderPage";
import { CounterSalePage } from "./pages/CounterSalePage";

const onLinkClick = linkClickHandler(/^\/console(?:\/|$)/);

interface Section {
  path: string;
  label: ConsoleKey;
  needs: Permission;
  /** Another path whose pages belong to this section. */
  also?: string;
}

// The menu, in groups: each entry only for the roles that may use it.
const MENU: { group: ConsoleKey; sections: Section[] }[] = [
  {
    group: "nav.operations",
    sections: [
      { path: "/console/", label: "nav.dashboard", needs: "org.read" },
      { path: "/console/trips", label: "nav.trips", needs: "catalog.read" },
      { path: "/console/routes", label: "nav.network", needs: "catalog.read", also: "/console/schedules" },
      { path: "/console/stations", label: "nav.stations", needs: "catalog.read" },
      { path: "/console/buses", label: "nav.buses", needs: "fleet.read" },
      { path: "/console/staff", label: "nav.staff", needs: "fleet.read" },
    ],
  },
  {
    group: "nav.sales",
    sections: [
      { path: "/console/orders", label: "nav.orders", needs: "sales.read" },
      { path: "/console/counter", label: "nav.counter", needs: "sales.create" },
      { path: "/console/reports", label: "nav.reports", needs: "reports.read" },
      { path: "/console/pricing", label: "nav.pricing", needs: "pricing.manage" },
      { path: "/console/waiting-rooms", label: "nav.waitingRooms", needs: "catalog.read" },
      { path: "/console/fraud", label: "nav.fraud", needs: "fraud.review" },
    ],
  },
  {
    group: "nav.settings",
    sections: [
      { path: "/console/refund-policy", label: "nav.refundPolicy", needs: "catalog.read" },
      { path: "/console/members", label: "nav.members", needs: "members.read" },
      { path: "/console/audit", label: "nav.audit", needs: "audit.read" },
      { path: "/console/billing", label: "nav.billing", needs: "billing.read" },
    ],
  },
];

function Forbidden() {
  return (
    <section class="card">
      <h1>{ct("forbidden.title")}</h1>
      <p>{ct("forbidden.text")}</p>
    </section>
  );
}

/** The page for a path, and the permission it needs (null: any member). */
function pageFor(path: string): { page: preact.JSX.Element; needs: Permission } | null {
  let p: Record<string, string> | null;
  if (path === "/console" || path === "/console/") return { page: <DashboardPage />, needs: "org.read" };
  if (match("/console/buses", path)) return { page: <BusesPage />, needs: "fleet.read" };
  if (match("/console/buses/new", path)) return { page: <BusEditorPage />, needs: "fleet.manage" };
  if ((p = match("/console/buses/{bus_id}", path))) return { page: <BusEditorPage key={p.bus_id} busId={p.bus_id} />, needs: "fleet.read" };
  if (match("/console/staff", path)) return { page: <StaffPage />, needs: "fleet.read" };
  if (match("/console/stations", path)) return { page: <StationsPage />, needs: "catalog.read" };
  if (match("/console/routes", path)) return { page: <RoutesPage />, needs: "catalog.read" };
  if (match("/console/routes/new", path)) return { page: <RouteEditorPage />, needs: "catalog.manage" };
  if ((p = match("/console/routes/{route_id}/schedules/new", path))) {
    return { page: <ScheduleEditorPage key={p.route_id} routeId={p.route_id} />, needs: "catalog.manage" };
  }
  if ((p = match("/console/schedules/{schedule_id}/edit", path))) {
    return { page: <ScheduleEditorPage key={p.schedule_id} scheduleId={p.schedule_id} />, needs: "catalog.manage" };
  }
  if ((p = match("/console/schedules/{schedule_id}", path))) {
    return { page: <SchedulePage key={p.schedule_id} scheduleId={p.schedule_id} />, needs: "catalog.read" };
  }
  if ((p = match("/console/routes/{route_id}", path))) return { page: <RoutePage key={p.route_id} routeId={p.route_id} />, needs: "catalog.read" };
  if (match("/console/trips", path)) return { page: <TripsPage />, needs: "catalog.read" };
  if ((p = match("/console/trips/{trip_id}/manifest", path))) {
    return { page: <ManifestPage key={p.trip_id} tripId={p.trip_id} />, needs: "boarding.scan" };
  }
  if (match("/console/members", path)) return { page: <MembersPage />, needs: "members.read" };
  if ((p = match("/console/trips/{trip_id}", path))) return { page: <TripPage key={p.trip_id} tripId={p.trip_id} />, needs: "catalog.read" };
  if (match("/console/refund-policy", path)) return { page: <RefundPolicyPage />, needs: "catalog.read" };
  if (match("/console/pricing", path)) return { page: <PricingRulesPage />, needs: "pricing.manage" };
  if (match("/console/pricing/new", path)) return { page: <PricingRuleEditorPage />, needs: "pricing.manage" };
  if ((p = match("/console/pricing/{id}", path))) return { page: <PricingRuleEditorPage key={p.id} id={p.id} />, needs: "pricing.manage" };
  if (match("/console/waiting-rooms", path)) return { page: <WaitingRoomsPage />, needs: "catalog.read" };
  if (match("/console/waiting-rooms/new", path)) return { page: <WaitingRoomEditorPage />, needs: "catalog.manage" };
  if ((p = match("/console/waiting-rooms/{room_id}", path))) {
    return { page: <WaitingRoomEditorPage key={p.room_id} roomId={p.room_id} />, needs: "catalog.read" };
  }
  if (match("/console/fraud", path)) return { page: <FraudPage />, needs: "fraud.review" };
  if (match("/console/orders", path)) return { page: <OrdersPage />, needs: "sales.read" };
  if ((p = match("/console/orders/{order_id}", path))) {
    return { page: <OrderPage key={p.order_id} orderId={p.order_id} />, needs: "sales.read" };
  }
  if (match("/console/counter", path)) return { page: <CounterSalePage />, needs: "sales.create" };
  if (match("/console/reports", path)) return { page: <ReportsPage />, needs: "reports.read" };
  if (match("/console/audit", path)) return { page: <AuditPage />, needs: "audit.read" };
  if (match("/console/billing", path)) return { page: <BillingPage />, needs: "billing.read" };
  return null;
}

export function ConsoleApp() {
  const place = usePlace();
  const locale = useLocale();
  const { user, membership } = useWorkspace();
  const [problem, setProblem] = useState<string | null>(null);
  const signedIn = isSignedIn();

  useEffect(() => {
    document.addEventListener("click", onLinkClick);
    // Signed out elsewhere (another tab, or the session ended): back to signing in, with
    // nothing of the organization left on the screen.
    const signedOut = () => {
      forgetMe();
      if (!location.pathname.startsWith("/console/invite")) navigate("/console/signin", { replace: true });
    };
    whenSignedOut(signedOut);
    const onStorage = (event: StorageEvent) => {
      if (event.key === "travio.user" && !event.newValue) signedOut();
    };
    addEventListener("storage", onStorage);
    return () => {
      document.removeEventListener("click", onLinkClick);
      removeEventListener("storage", onStorage);
      whenSignedOut(() => undefined);
    };
  }, []);

  useEffect(() => {
    if (!signedIn || user) return;
    loadMe().catch((error) => {
      if (error instanceof ApiError && error.status === 401) {
        signOut();
        forgetMe();
        navigate("/console/signin", { replace: true });
      } else setProblem(error instanceof ApiError ? error.message : String(error));
    });
  }, [signedIn, user]);

  // Pages anyone may open: the invite (it signs the invitee in) and signing in itself.
  if (match("/console/invite", place.path)) return <Frame bare>{<InvitePage query={place.query} />}</Frame>;
  if (!signedIn || match("/console/signin", place.path) || match("/console/signup", place.path)) {
    return (
      <Frame bare>
        <SignInPage signUp={match("/console/signup", place.path) !== null} query={place.query} />
      </Frame>
    );
  }
  if (!user) {
    return (
      <Frame bare>
        <Alert text={problem} />
        {problem ? null : <p class="muted">{ct("loading")}</p>}
      </Frame>
    );
  }
  if (!membership || match("/console/orgs/new", place.path)) {
    return (
      <Frame bare>
        <NewOrgPage first={!membership} />
      </Frame>
    );
  }

  const found = pageFor(place.path);
  let page;
  if (!found) {
    page = (
      <section class="card">
        <h1>{ct("notFound.title")}</h1>
        <p>
          <a href="/console/">{ct("notFound.back")}</a>
        </p>
      </section>
    );
  } else if (!can(membership, found.needs)) {
    page = <Forbidden />;
  } else {
    page = found.page;
  }

  const leave = () => {
    signOut();
    forgetMe();
    navigate("/console/signin", { replace: true });
  };

  return (
    <div class="console">
      <a class="skip" href="#main">
        {ct("skip")}
      </a>
      <header class="top console-top">
        <Brand />
        <div class="org-switch">
          <label for="org-switch">{ct("org.label")}</label>
          <select
            id="org-switch"
            value={membership.org_id}
            onChange={(event) => {
              const value = (event.target as HTMLSelectElement).value;
              if (value === "new") navigate("/console/orgs/new");
              else {
                chooseOrg(value);
                navigate("/console/");
              }
            }}
          >
            {user.memberships.map((m) => (
              <option key={m.org_id} value={m.org_id}>
                {m.org_name} · {ct(`role.${m.role}` as ConsoleKey)}
              </option>
            ))}
            <option value="new">{ct("org.new")}</option>
          </select>
        </div>
        <nav aria-label={ct("account")}>
          <span class="muted small">{user.email}</span>
          <button type="button" class="link" onClick={leave}>
            {ct("signOut")}
          </button>
          <button type="button" class="link" lang={locale === "en" ? "bn" : "en"} onClick={() => setLocale(locale === "en" ? "bn" : "en")}>
            {locale === "en" ? "বাংলা" : "English"}
          </button>
        </nav>
      </header>
      <div class="console-body">
        <nav class="side" aria-label={ct("menu")}>
          {MENU.map(({ group, sections }) => {
            const mine = sections.filter((entry) => can(membership, entry.needs));
            if (mine.length === 0) return null;
            return (
              <div class="menu-group" key={group}>
                <p class="menu-heading" id={`menu-${group}`}>
                  {ct(group)}
                </p>
                <ul aria-labelledby={`menu-${group}`}>
                  {mine.map((entry) => {
                    const here =
                      entry.path === "/console/"
                        ? place.path === "/console/" || place.path === "/console"
                        : place.path.startsWith(entry.path) || (entry.also !== undefined && place.path.startsWith(entry.also));
                    return (
                      <li key={entry.path}>
                        <a href={entry.path} aria-current={here ? "page" : undefined}>
                          {ct(entry.label)}
                        </a>
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
        </nav>
        <main id="main" tabIndex={-1} key={membership.org_id}>
          {page}
        </main>
      </div>
    </div>
  );
}

/** The name in the corner, leading to the dashboard; its visible words are its name. */
function Brand() {
  return (
    <a class="brand" href="/console/">
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span>Travio</span>
      <span class="tag soft">{ct("console")}</span>
    </a>
  );
}

/** The page without the menu: signing in, invites, the first organization. */
function Frame({ children }: { bare?: boolean; children: preact.ComponentChildren }) {
  const locale = useLocale();
  return (
    <>
      <header class="top">
        <Brand />
        <nav aria-label={ct("account")}>
          <button type="button" class="link" lang={locale === "en" ? "bn" : "en"} onClick={() => setLocale(locale === "en" ? "bn" : "en")}>
            {locale === "en" ? "বাংলা" : "English"}
          </button>
        </nav>
      </header>
      <main id="main" tabIndex={-1} class="narrow-main">
        {children}
      </main>
    </>
  );
}
