import { useState } from "preact/hooks";
import { call, isSignedIn, signIn } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { navigate, type Place } from "../../shared/router";
import * as session from "../../shared/session";
import { Alert, EMAIL_PATTERN, Field, focusFirstError } from "../../shared/components/Field";
import { t } from "../../shared/i18n";
import { ct } from "../i18n";
import { chooseOrg, forgetMe } from "../workspace";

interface Accepted {
  org_id: string;
  role: string;
  user?: { email: string };
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

// Read once and taken out of the address bar, so the token stays out of the history and of
// any screenshot or shared link of this page.
const tokenAtLoad = new URLSearchParams(location.search).get("token") ?? "";
if (tokenAtLoad && location.pathname.startsWith("/console/invite")) history.replaceState(null, "", "/console/invite");

function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.status === 404) return ct("invite.unknown");
  if (error.status === 410) return ct("invite.expired");
  if (error.status === 403) return ct("invite.otherEmail");
  if (error.code === "email_taken") return ct("invite.haveAccount");
  if (error.isNetwork) return t("error.network");
  return error.message;
}

/** An invitee joins: a new account with a name and password, or an account they already have. */
export function InvitePage({ query }: { query: Place["query"] }) {
  const token = query.get("token") ?? tokenAtLoad;
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const [existingPassword, setExistingPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(token ? null : ct("invite.noToken"));
  const [busy, setBusy] = useState(false);

  function joined(accepted: Accepted) {
    forgetMe();
    chooseOrg(accepted.org_id);
    navigate("/console/", { replace: true });
  }

  async function run(action: () => Promise<void>) {
    setProblem(null);
    setBusy(true);
    try {
      await action();
    } catch (error) {
      setProblem(explain(error));
    } finally {
      setBusy(false);
    }
  }

  const createAccount = (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = ct("signin.nameNeeded");
    if (password.length < 10) found.password = ct("signin.passwordShort");
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstError();
    return run(async () => {
      const answer = await call<Accepted>(endpoints.acceptInvite, { auth: "none", body: { token, name: name.trim(), password } });
      const body = answer.body;
      if (body.access_token && body.refresh_token && body.expires_in && body.user) {
        session.saveUser(body.access_token, body.refresh_token, body.expires_in, body.user.email);
      }
      joined(body);
    });
  };

  const joinAsSignedIn = () => run(async () => joined((await call<Accepted>(endpoints.acceptInvite, { auth: "user", body: { token } })).body));

  const signInAndJoin = (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!EMAIL_PATTERN.test(email.trim())) found.email = ct("signin.emailNeeded");
    if (!existingPassword) found.existingPassword = ct("signin.passwordNeeded");
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstError();
    return run(async () => {
      await signIn(email.trim(), existingPassword);
      joined((await call<Accepted>(endpoints.acceptInvite, { auth: "user", body: { token } })).body);
    });
  };

  return (
    <section class="card narrow-card">
      <h1>{ct("invite.title")}</h1>
      <p class="muted">{ct("invite.lead")}</p>
      <Alert text={problem} />
      {token && isSignedIn() ? (
        <p>
          <button type="button" class="primary" disabled={busy} onClick={joinAsSignedIn}>
            {ct("invite.joinAs", { email: session.signedInEmail() ?? "" })}
          </button>
        </p>
      ) : null}
      {token ? (
        <>
          <h2>{ct("invite.newAccount")}</h2>
          <form onSubmit={createAccount} noValidate>
            <Field id="invite-name" label={ct("signin.name")} error={errors.name}>
              <input id="invite-name" value={name} autocomplete="name" maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <Field id="invite-password" label={ct("signin.newPassword")} error={errors.password}>
              <input id="invite-password" type="password" value={password} autocomplete="new-password" onInput={(e) => setPassword(e.currentTarget.value)} />
            </Field>
            <button class="primary wide" disabled={busy}>
              {ct("invite.create")}
            </button>
          </form>
          <h2>{ct("invite.existing")}</h2>
          <form onSubmit={signInAndJoin} noValidate>
            <Field id="invite-email" label={ct("signin.email")} error={errors.email}>
              <input id="invite-email" type="email" value={email} autocomplete="email" onInput={(e) => setEmail(e.currentTarget.value)} />
            </Field>
            <Field id="invite-existing-password" label={ct("signin.password")} error={errors.existingPassword}>
              <input
                id="invite-existing-password"
                type="password"
                value={existingPassword}
                autocomplete="current-password"
                onInput={(e) => setExistingPassword(e.currentTarget.value)}
              />
            </Field>
            <button class="secondary wide" disabled={busy}>
              {ct("invite.signInJoin")}
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}
