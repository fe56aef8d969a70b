#include "services/gateway/routes/payment_routes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using payment::PaymentClient;

// The sandbox's hosted page. Everything interpolated is a UUID, a number, a fixed word or the
// page's token (digits, a dot and hex, checked by the payment service before the page shows).
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
  } else {
    const bool paid = payment.status == payment::PaymentStatus::kAuthorized ||
                      payment.status == payment::PaymentStatus::kCaptured;
    body = absl::StrCat("<p>", paid ? "Payment approved" : "This payment is closed",
                        ". You can return to Travio.</p>");
  }
  return absl::StrCat(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\">"
      "<title>Sandbox payment</title></head><body><h1>Sandbox payment</h1>",
      body, "<p><small>Test payments only: no money moves.</small></p></body></html>");
}

class PaymentRoutes {
 public:
  PaymentRoutes(std::shared_ptr<PaymentClient> payments, const http::ReasonStatuses& statuses)
      : payments_(std::move(payments)), statuses_(statuses) {}

  http::Response Fail(const absl::Status& status) const {
    return http::ProblemFromStatus(status, statuses_);
  }

  http::Response Webhook(http::Request& request, const Caller&) {
    const std::string provider = request.PathParam("provider");
    const std::string signature = request.Header("Webhook-Signature").value_or("");
    if (signature.empty() || request.body.size() > 64 * 1024) {
      return Fail(
          Error(absl::StatusCode::kInvalidArgument, "bad_signature", "The webhook is not signed."));
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
      return Fail(WithFieldErrors(
          Error(absl::StatusCode::kInvalidArgument, "validation_failed", "Approve or decline."),
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
    const absl::Status not_found =
        Error(absl::StatusCode::kNotFound, "payment_not_found", "No such payment.");
    const std::string id = request.PathParam("payment_id");
    const std::string token = Token(request);
    if (request.PathParam("provider") != "sandbox" || !IsUuid(id) || token.empty() ||
        token.size() > 128) {
      return not_found;
    }
    return payments_->GetCheckout(id, token);
  }

  std::shared_ptr<PaymentClient> payments_;
  const http::ReasonStatuses& statuses_;
};

}  // namespace

absl::Status AddPaymentRoutes(SecureRoutes& routes, std::shared_ptr<PaymentClient> payments,
                              const http::ReasonStatuses& statuses) {
  auto handlers = std::make_shared<PaymentRoutes>(std::move(payments), statuses);
  auto bind = [&handlers](http::Response (PaymentRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy provider{.access = Access::kAnonymous};
  const std::vector<RouteSpec> table = {
      {"POST",
       "/v1/payments/webhooks/{provider}",
       provider,
       bind(&PaymentRoutes::Webhook),
       {"A payment provider's signed notification (header Webhook-Signature: "
        "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">); replays change nothing",
        "payments",
        nlohmann::json{{"type", "object"}},
        200,
        nlohmann::json{{"type", "object"}},
        {400, 404}}},
      {"GET",
       "/v1/payments/{provider}/checkout/{payment_id}",
       provider,
       bind(&PaymentRoutes::ShowCheckout),
       {"The sandbox provider's hosted payment page for a redirect payment (HTML)",
        "payments",
        nullptr,
        200,
        nullptr,
        {404}}},
      {"POST",
       "/v1/payments/{provider}/checkout/{payment_id}",
       provider,
       bind(&PaymentRoutes::Decide),
       {"The traveller's decision on the sandbox's hosted page (form decision=approve|decline); "
        "the sandbox then sends its signed webhook",
        "payments",
        nullptr,
        200,
        nullptr,
        {400, 404}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
