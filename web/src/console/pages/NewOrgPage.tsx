import { useState } from "preact/hooks";
import { call, IdempotentRequest } from "../../shared/api";
import { endpoints } from "../../shared/endpoints";
import { ApiError } from "../../shared/problem";
import { navigate } from "../../shared/router";
import { Alert, Field, focusFirstError } from "../../shared/components/Field";
import { ct } from "../i18n";
import { chooseOrg, loadMe } from "../workspace";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An operator's organization: the signed-in user becomes its owner. */
export function NewOrgPage({ first }: { first: boolean }) {
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [request] = useState(() => new IdempotentRequest());

  async function submit(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = ct("org.nameNeeded");
    if (slug && !SLUG.test(slug)) found.slug = ct("org.slugInvalid");
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return focusFirstError();
    setBusy(true);
    try {
      const body = { name: name.trim(), ...(slug ? { slug } : {}) };
      const answer = await call<{ id: string }>(endpoints.createOrg, { auth: "user", body, idempotencyKey: request.keyFor(body) });
      chooseOrg(answer.body.id);
      await loadMe();
      navigate("/console/", { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === "slug_taken") setErrors({ slug: ct("org.slugTaken") });
      else if (error instanceof ApiError && error.fieldMessage("name")) setErrors({ name: error.fieldMessage("name")! });
      else setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card narrow-card">
      <h1>{ct(first ? "org.firstTitle" : "org.newTitle")}</h1>
      <p class="muted">{ct("org.lead")}</p>
      <form onSubmit={submit} noValidate>
        <Field id="org-name" label={ct("org.name")} error={errors.name}>
          <input id="org-name" value={name} maxLength={200} autocomplete="organization" onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="org-slug" label={ct("org.slug")} error={errors.slug}>
          <input id="org-slug" value={slug} maxLength={63} aria-describedby="org-slug-hint" onInput={(e) => setSlug(e.currentTarget.value.toLowerCase())} />
        </Field>
        <p class="hint" id="org-slug-hint">
          {ct("org.slugHint")}
        </p>
        <Alert text={problem} />
        <button class="primary wide" disabled={busy}>
          {ct("org.create")}
        </button>
      </form>
      {first ? null : (
        <p>
          <a href="/console/">{ct("cancel")}</a>
        </p>
      )}
    </section>
  );
}
