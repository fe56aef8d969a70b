import { useEffect } from "preact/hooks";
import { t, useLocale } from "../shared/i18n";
import { linkClickHandler, match, usePlace } from "../shared/router";
import { Header } from "./components/Header";
import { CheckoutPage } from "./pages/CheckoutPage";
import { OrderPage } from "./pages/OrderPage";
import { OrdersPage } from "./pages/OrdersPage";
import { QueuePage } from "./pages/QueuePage";
import { SearchPage } from "./pages/SearchPage";
import { SignInPage } from "./pages/SignInPage";
import { TripPage } from "./pages/TripPage";

// Paths this app draws; the others (the API, the console, the scanner, the API explorer) load
// their own page.
const onLinkClick = linkClickHandler(/^\/(?:$|search|trips\/|checkout\/|orders|signin|queue\/)/);

export function App() {
  const place = usePlace();
  useLocale(); // re-render every page when the language changes

  useEffect(() => {
    document.addEventListener("click", onLinkClick);
    return () => document.removeEventListener("click", onLinkClick);
  }, []);

  let page;
  let params: Record<string, string> | null;
  if (place.path === "/" || place.path === "/search") {
    page = <SearchPage query={place.query} />;
  } else if ((params = match("/trips/{trip_id}", place.path))) {
    page = <TripPage key={params.trip_id} tripId={params.trip_id} query={place.query} />;
  } else if ((params = match("/checkout/{hold_id}", place.path))) {
    page = <CheckoutPage key={params.hold_id} holdId={params.hold_id} />;
  } else if ((params = match("/orders/{order_id}", place.path))) {
    page = <OrderPage key={params.order_id} orderId={params.order_id} query={place.query} />;
  } else if (match("/orders", place.path)) {
    page = <OrdersPage />;
  } else if ((params = match("/queue/{room_id}", place.path))) {
    page = <QueuePage key={params.room_id} roomId={params.room_id} query={place.query} />;
  } else if (match("/signin", place.path)) {
    page = <SignInPage query={place.query} />;
  } else {
    page = (
      <section class="card">
        <h1>{t("notFound.title")}</h1>
        <p>
          <a href="/">{t("notFound.back")}</a>
        </p>
      </section>
    );
  }
  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
