import { useState } from "preact/hooks";
import { call, signIn } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { t } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import { Alert, EMAIL_PATTERN, Field } from "../../shared/components/Field";

/** Only paths of this app: a `next` pointing elsewhere must not turn sign-in into a redirector. */
function safeNext(next: string | null): string {
  return next && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : "/orders";
}

export function SignInPage({ query }: { query: URLSearchParams }) {
  const [mode, setMode] = useState<"signin" | "register">("signin");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (mode === "register" && !name.trim()) found.name = t("form.nameRequired");
    if (!EMAIL_PATTERN.test(email.trim())) found.email = t("form.emailInvalid");
    if (!password) found.password = t("form.passwordRequired");
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      if (mode === "register") {
        await call(endpoints.register, { auth: "none", body: { email: email.trim(), password, name: name.trim() } });
      }
      await signIn(email.trim(), password);
      navigate(safeNext(query.get("next")));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === "invalid_credentials") setProblem(t("signin.invalid"));
      else if (error.code === "email_taken") setErrors({ email: t("signin.emailTaken") });
      else if (error.code === "weak_password") setErrors({ password: error.message });
      else if (error.problem.errors?.length) {
        const server: Record<string, string> = {};
        for (const p of error.problem.errors) server[p.field] = p.message;
        setErrors(server);
      } else if (error.status === 429) setProblem(t("signin.tooMany"));
      else setProblem(error.isNetwork ? t("error.network") : error.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow-card" onSubmit={submit} noValidate aria-labelledby="signin-title">
      <h1 id="signin-title">{mode === "signin" ? t("signin.title") : t("signin.registerTitle")}</h1>
      {mode === "register" ? (
        <Field id="signin-name" label={t("form.name")} error={errors.name}>
          <input id="signin-name" autocomplete="name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
      ) : null}
      <Field id="signin-email" label={t("form.email")} error={errors.email}>
        <input
          id="signin-email"
          type="email"
          autocomplete="username"
          value={email}
          onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
        />
      </Field>
      <Field id="signin-password" label={t("form.password")} error={errors.password}>
        <input
          id="signin-password"
          type="password"
          autocomplete={mode === "signin" ? "current-password" : "new-password"}
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
      </Field>
      <Alert text={problem} />
      <button type="submit" class="primary wide" disabled={busy}>
        {mode === "signin" ? t("signin.submit") : t("signin.register")}
      </button>
      <p>
        <button type="button" class="link" onClick={() => setMode(mode === "signin" ? "register" : "signin")}>
          {mode === "signin" ? t("signin.toRegister") : t("signin.toSignIn")}
        </button>
      </p>
    </form>
  );
}
