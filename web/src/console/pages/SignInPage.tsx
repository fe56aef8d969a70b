import { useState } from "preact/hooks";
import { call, signIn } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { navigate, type Place } from "../../shared/router";
import { Alert, EMAIL_PATTERN, Field, focusFirstError } from "../../shared/components/Field";
import { t } from "../../shared/i18n";
import { ct } from "../i18n";
import { forgetMe } from "../workspace";

/** Sign in, or (at /console/signup) create an account and sign in: an operator starts here. */
export function SignInPage({ signUp, query }: { signUp: boolean; query: Place["query"] }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (signUp && !name.trim()) found.name = ct("signin.nameNeeded");
    if (!EMAIL_PATTERN.test(email.trim())) found.email = ct("signin.emailNeeded");
    if (signUp ? password.length < 10 : !password) found.password = ct(signUp ? "signin.passwordShort" : "signin.passwordNeeded");
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return focusFirstError();
    setBusy(true);
    try {
      if (signUp) {
        await call(endpoints.register, { auth: "none", body: { name: name.trim(), email: email.trim(), password } });
      }
      await signIn(email.trim(), password);
      forgetMe();
      const next = query.get("next");
      navigate(next && next.startsWith("/console/") ? next : "/console/", { replace: true });
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.code === "email_taken") setErrors({ email: ct("signin.emailTaken") });
        else if (error.code === "weak_password") setErrors({ password: error.message });
        else if (error.status === 401) setProblem(ct("signin.wrong"));
        else if (error.isNetwork) setProblem(t("error.network"));
        else setProblem(error.message);
      } else setProblem(String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card narrow-card">
      <h1>{ct(signUp ? "signin.signUpTitle" : "signin.title")}</h1>
      <p class="muted">{ct(signUp ? "signin.signUpLead" : "signin.lead")}</p>
      <form onSubmit={submit} noValidate>
        {signUp ? (
          <Field id="name" label={ct("signin.name")} error={errors.name}>
            <input id="name" value={name} autocomplete="name" maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
        ) : null}
        <Field id="email" label={ct("signin.email")} error={errors.email}>
          <input id="email" type="email" value={email} autocomplete="email" onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field id="password" label={ct(signUp ? "signin.newPassword" : "signin.password")} error={errors.password}>
          <input
            id="password"
            type="password"
            value={password}
            autocomplete={signUp ? "new-password" : "current-password"}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Alert text={problem} />
        <button class="primary wide" disabled={busy}>
          {ct(signUp ? "signin.signUp" : "signin.submit")}
        </button>
      </form>
      <p>
        {signUp ? (
          <a href="/console/signin">{ct("signin.haveAccount")}</a>
        ) : (
          <a href="/console/signup">{ct("signin.newOperator")}</a>
        )}
      </p>
    </section>
  );
}
