#include "services/gateway/routes/payment_routes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/rfc3339.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using payment::PaymentClient;

// The sandbox's hosted page. Everything interpolated is a UUID, a number, a fixed word or the
// page's token (digits, a dot and hex, checked by the payment service before the page shows).
// The order id comes from the payment service's own record.
std::string CheckoutPage(const payment::PaymentView& payment, const std::string& token) {
  const std::string amount =
      absl::StrFormat("%d.%02d %s", payment.amount.amount / 100, payment.amount.amount % 100,
                      payment.amount.currency == "BDT" ? "BDT" : "");
  std::string body;
  if (payment.status == payment::PaymentStatus::kPending) {
    const std::string action = "/v1/payments/sandbox/checkout/" + payment.id + "?token=" + token;
    body = absl::StrCat("<p>Pay <strong>", amount, "</strong> to Travio?</p>",
                        "<form method=\"post\" action=\"", action,
                        "\"><input type=\"hidden\" name=\"decision\" value=\"approve\">"
                        "<button type=\"submit\">Approve</button></form>",
                        "<form method=\"post\" action=\"", action,
                        "\"><input type=\"hidden\" name=\"decision\" value=\"decline\">"
                        "<button type=\"submit\">Decline</button></form>");
  }
  // Back to the booking in the traveller app (a path of this origin: never an open redirect);
  // once decided, the page goes there by itself.
  const std::string back = IsUuid(payment.order_id) ? "/orders/" + payment.order_id : "/orders";
  std::string refresh;
  if (payment.status != payment::PaymentStatus::kPending) {
    const bool paid = payment.status == payment::PaymentStatus::kAuthorized ||
                      payment.status == payment::PaymentStatus::kCaptured;
    body = absl::StrCat("<p>", paid ? "Payment approved" : "This payment is closed", ".</p>");
    refresh = absl::StrCat("<meta http-equiv=\"refresh\" content=\"2;url=", back, "\">");
  }
  return absl::StrCat(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\">",
      refresh, "<title>Sandbox payment</title></head><body><h1>Sandbox payment</h1>", body,
      "<p><a href=\"", back, "\">Return to Travio</a></p>",
      "<p><small>Test payments only: no money moves.</small></p></body></html>");
}

class PaymentRoutes {
 public:
  PaymentRoutes(std::shared_ptr<PaymentClient> payments) : payments_(std::move(payments)) {}

  // GET /v1/operator/payments/mismatches?since=&limit=: what reconciliation found on the
  // organization's payments, newest first.
  http::Response Mismatches(http::Request& request, const Caller& caller) {
    absl::Time since = absl::InfinitePast();
    if (auto text = request.Query("since"); text && !text->empty()) {
      absl::StatusOr<absl::Time> at = ParseRfc3339(*text);
      if (!at.ok()) {
        return Fail(WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."),
                                    {{"since", "must be an RFC 3339 time"}}));
      }
      since = *at;
    }
    auto limit = LimitOf(request, 50);
    if (!limit.ok()) return Fail(limit.status());
    auto found = payments_->MismatchesOfOrg(caller.membership->org_id, since, *limit);
    if (!found.ok()) return Fail(found.status());
    nlohmann::json items = nlohmann::json::array();
    for (const payment::Mismatch& mismatch : *found) {
      items.push_back(
          {{"kind", mismatch.kind},
           {"payment_id", mismatch.payment_id},
           {"order_id", mismatch.order_id},
           {"travio_amount", MoneyJson({mismatch.travio_amount, mismatch.currency})},
           {"provider_amount", MoneyJson({mismatch.provider_amount, mismatch.currency})},
           {"found_at", Instant(mismatch.found_at)}});
    }
    return http::Json(200, {{"items", std::move(items)}});
  }

  http::Response Webhook(http::Request& request, const Caller&) {
    const std::string provider = request.PathParam("provider");
    const std::string signature = request.Header("Webhook-Signature").value_or("");
    if (signature.empty() || request.body.size() > 64 * 1024) {
      return Fail(Error(reasons::kBadSignature, "The webhook is not signed."));
    }
    const absl::Status handled = payments_->HandleWebhook(provider, signature, request.body);
    if (!handled.ok()) return Fail(handled);
    return http::Json(200, {{"received", true}});
  }

  http::Response ShowCheckout(http::Request& request, const Caller&) {
    auto payment = Checkout(request);
    if (!payment.ok()) return Fail(payment.status());
    return Page(*payment, Token(request));
  }

  http::Response Decide(http::Request& request, const Caller&) {
    const bool approve = request.body == "decision=approve";
    if (!approve && request.body != "decision=decline") {
      return Fail(WithFieldErrors(Error(reasons::kValidationFailed, "Approve or decline."),
                                  {{"decision", "approve or decline"}}));
    }
    auto checked = Checkout(request);
    if (!checked.ok()) return Fail(checked.status());
    auto decided = payments_->CompleteCheckout(checked->id, Token(request), approve);
    if (!decided.ok()) return Fail(decided.status());
    return Page(*decided, Token(request));
  }

 private:
  static http::Response Page(const payment::PaymentView& payment, const std::string& token) {
    http::Response response =
        http::Response::Text(200, CheckoutPage(payment, token), "text/html; charset=utf-8");
    response.SetHeader("Content-Security-Policy",
                       "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
    return response;
  }

  static std::string Token(http::Request& request) { return request.Query("token").value_or(""); }

  // A redirect payment of the sandbox that the request's token opens; the same 404 for
  // anything else (another payment, no token, a forged or expired one).
  absl::StatusOr<payment::PaymentView> Checkout(http::Request& request) {
    const absl::Status not_found = Error(reasons::kPaymentNotFound, "No such payment.");
    const std::string id = request.PathParam("payment_id");
    const std::string token = Token(request);
    if (request.PathParam("provider") != "sandbox" || !IsUuid(id) || token.empty() ||
        token.size() > 128) {
      return not_found;
    }
    return payments_->GetCheckout(id, token);
  }

  std::shared_ptr<PaymentClient> payments_;
};

}  // namespace

absl::Status AddPaymentRoutes(SecureRoutes& routes, std::shared_ptr<PaymentClient> payments) {
  auto handlers = std::make_shared<PaymentRoutes>(std::move(payments));
  auto bind = [&handlers](http::Response (PaymentRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy provider{.access = Access::kAnonymous};
  const std::vector<RouteSpec> table = {
      {.method = "POST",
       .pattern = "/v1/payments/webhooks/{provider}",
       .policy = provider,
       .handler = bind(&PaymentRoutes::Webhook),
       .doc =
           {.summary =
                "A payment provider's signed notification (header Webhook-Signature: "
                "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">); replays change nothing",
            .tag = "payments",
            .request = nlohmann::json{{"type", "object"}},
            .success_status = 200,
            .response = nlohmann::json{{"type", "object"}},
            .errors = {400, 404}}},
      {.method = "GET",
       .pattern = "/v1/payments/{provider}/checkout/{payment_id}",
       .policy = provider,
       .handler = bind(&PaymentRoutes::ShowCheckout),
       .doc = {.summary =
                   "The sandbox provider's hosted payment page for a redirect payment (HTML)",
               .tag = "payments",
               .success_status = 200,
               .errors = {404}}},
      {.method = "POST",
       .pattern = "/v1/payments/{provider}/checkout/{payment_id}",
       .policy = provider,
       .handler = bind(&PaymentRoutes::Decide),
       .doc = {.summary = "The traveller's decision on the sandbox's hosted page (form "
                          "decision=approve|decline); "
                          "the sandbox then sends its signed webhook",
               .tag = "payments",
               .success_status = 200,
               .errors = {400, 404}}},
      {.method = "GET",
       .pattern = "/v1/operator/payments/mismatches",
       .policy = OrgPolicy(identity::Permission::kReportsRead),
       .handler = bind(&PaymentRoutes::Mismatches),
       .doc = {.summary = "Payments of the organization whose books disagree with the payment "
                          "provider's settlement report (missing_at_provider, amount_differs), "
                          "newest first, found since ?since= (RFC 3339)",
               .tag = "payments",
               .success_status = 200,
               .response = nlohmann::json{{"type", "object"}},
               .errors = {400}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
