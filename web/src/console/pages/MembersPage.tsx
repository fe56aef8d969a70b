import { useEffect, useState } from "preact/hooks";
import { IdempotentRequest } from "../../shared/api";
import { Alert, EMAIL_PATTERN, Field, focusFirstError } from "../../shared/components/Field";
import { endpoints } from "../../shared/endpoints";
import { date } from "../../shared/i18n";
import { ApiError } from "../../shared/problem";
import type { List } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { errorText, type Invite, type Member } from "../model";
import { can, ROLES, useWorkspace, orgCall } from "../workspace";

const roleName = (role: string) => ct(`role.${role}` as ConsoleKey);

/** Who works in the organization and in which role; invites by email. */
export function MembersPage() {
  const { user, membership } = useWorkspace();
  const manage = can(membership, "members.manage");
  const invite = can(membership, "invites.manage");
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invites, setInvites] = useState<Invite[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("manager");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [request, setRequest] = useState(() => new IdempotentRequest());

  const load = async () => {
    try {
      const answer = await orgCall<List<Member>>(endpoints.members, { query: { limit: 200 } });
      setMembers(answer.body.items);
      if (invite) setInvites((await orgCall<List<Invite>>(endpoints.invites, { query: { limit: 200 } })).body.items.filter((i) => i.status === "pending"));
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  useEffect(() => void load(), [membership?.org_id]);

  async function act(action: () => Promise<unknown>, done: string) {
    setProblem(null);
    setNote(null);
    try {
      await action();
      await load();
      setNote(done);
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === "last_owner" ? ct("members.lastOwner") : errorText(error));
    }
  }

  async function sendInvite(event: Event) {
    event.preventDefault();
    if (!EMAIL_PATTERN.test(email.trim())) {
      setErrors({ email: ct("signin.emailNeeded") });
      return focusFirstError();
    }
    setErrors({});
    const body = { email: email.trim(), role };
    setBusy(true);
    await act(async () => {
      await orgCall(endpoints.createInvite, { body, idempotencyKey: request.keyFor(body) });
      setEmail("");
      setRequest(new IdempotentRequest());
    }, ct("members.invited", { email: body.email }));
    setBusy(false);
  }

  return (
    <section>
      <h1>{ct("members.title")}</h1>
      <Alert text={problem} />
      {note ? (
        <p class="note" role="status">
          {note}
        </p>
      ) : null}
      {members ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{ct("members.name")}</th>
              <th scope="col">{ct("signin.email")}</th>
              <th scope="col">{ct("members.role")}</th>
              {manage ? (
                <th scope="col">
                  <span class="sr-only">{ct("trips.actions")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.user_id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>
                  {manage && m.user_id !== user?.id ? (
                    <select
                      aria-label={ct("members.roleOf", { name: m.name })}
                      value={m.role}
                      onChange={(e) => {
                        const next = e.currentTarget.value;
                        void act(() => orgCall(endpoints.changeMember, { params: { user_id: m.user_id }, body: { role: next } }), ct("members.changed", { name: m.name, role: roleName(next) }));
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {roleName(r)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    roleName(m.role)
                  )}
                </td>
                {manage ? (
                  <td>
                    {m.user_id !== user?.id ? (
                      <button
                        type="button"
                        class="link"
                        onClick={() => {
                          if (confirm(ct("members.removeConfirm", { name: m.name }))) {
                            void act(() => orgCall(endpoints.removeMember, { params: { user_id: m.user_id } }), ct("members.removed", { name: m.name }));
                          }
                        }}
                      >
                        {ct("members.remove", { name: m.name })}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {invite ? (
        <>
          <h2>{ct("members.invites")}</h2>
          {invites.length === 0 ? <p class="muted">{ct("members.noInvites")}</p> : null}
          {invites.length > 0 ? (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{ct("signin.email")}</th>
                  <th scope="col">{ct("members.role")}</th>
                  <th scope="col">{ct("members.expires")}</th>
                  <th scope="col">
                    <span class="sr-only">{ct("trips.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invites.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{roleName(i.role)}</td>
                    <td>{date(i.expires_at)}</td>
                    <td>
                      <button type="button" class="link" onClick={() => act(() => orgCall(endpoints.revokeInvite, { params: { invite_id: i.id } }), ct("members.revoked", { email: i.email }))}>
                        {ct("members.revoke", { email: i.email })}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <form class="card" onSubmit={sendInvite} noValidate>
            <h3>{ct("members.inviteTitle")}</h3>
            <div class="row wrap">
              <Field id="invite-email" label={ct("signin.email")} error={errors.email}>
                <input id="invite-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
              </Field>
              <Field id="invite-role" label={ct("members.role")} narrow>
                <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {roleName(r)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <p class="hint">{ct(`members.roleHint.${role}` as ConsoleKey)}</p>
            <button class="primary" disabled={busy}>
              {ct("members.send")}
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}
