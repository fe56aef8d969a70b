import { setLocale, t, useLocale } from "../../shared/i18n";
import { isSignedIn, signOut } from "../../shared/api";
import { navigate } from "../../shared/router";
import { signedInEmail } from "../../shared/session";

// A button, not a link: an address that signs out would let any page sign a traveller out.
function leave() {
  signOut();
  navigate("/", { replace: true });
}

export function Header() {
  const locale = useLocale();
  const email = signedInEmail();
  return (
    <header class="top">
      <a class="brand" href="/" aria-label={t("app.home")}>
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span>Travio</span>
      </a>
      <nav aria-label={t("app.menu")}>
        <a href="/orders">{t("nav.orders")}</a>
        {isSignedIn() ? (
          <button type="button" class="link" title={email ?? ""} onClick={leave}>
            {t("nav.signOut")}
          </button>
        ) : (
          <a href="/signin">{t("nav.signIn")}</a>
        )}
        <button
          type="button"
          class="link"
          lang={locale === "en" ? "bn" : "en"}
          onClick={() => setLocale(locale === "en" ? "bn" : "en")}
        >
          {locale === "en" ? "বাংলা" : "English"}
        </button>
      </nav>
    </header>
  );
}
