const token = new URLSearchParams(location.search).get("token") || "";
const status = document.getElementById("status");
// Keep the token out of the address bar and history once read.
history.replaceState(null, "", location.pathname);
const show = (text, ok) => { status.textContent = text; status.className = ok ? "ok" : "error"; };
if (!token) show("This link has no invite token. Open the link from your invitation email.");

async function call(path, body, bearer) {
  const headers = { "Content-Type": "application/json" };
  if (bearer) headers.Authorization = "Bearer " + bearer;
  const response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  const data = response.status === 204 ? {} : await response.json();
  if (!response.ok) throw new Error(data.detail || data.title || response.statusText);
  return data;
}
const joined = (data) => show("Welcome aboard: you joined as " + data.role + ".", true);

document.getElementById("create").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    joined(await call("/v1/invites/accept",
                      { token, name: form.get("name"), password: form.get("password") }));
  } catch (error) { show(error.message); }
});
document.getElementById("signin").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const tokens = await call("/v1/auth/login",
                              { email: form.get("email"), password: form.get("password") });
    joined(await call("/v1/invites/accept", { token }, tokens.access_token));
  } catch (error) { show(error.message); }
});
