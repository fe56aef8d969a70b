import { setLocale, t, useLocale } from "../../shared/i18n";
import { isSignedIn } from "../../shared/api";
import { signedInEmail } from "../../shared/session";

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
          <a href="/signin?out=1" title={email ?? ""}>
            {t("nav.signOut")}
          </a>
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
