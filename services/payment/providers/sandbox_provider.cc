#include "services/payment/providers/sandbox_provider.h"

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "services/payment/providers/webhook_signature.h"

namespace travio::payment {
namespace {

constexpr char kChargeColumns[] =
    "reference, charge_key, status, decline_code, amount, currency, refunded, updated_at";

ProviderCharge ReadCharge(const db::Row& row) {
  return ProviderCharge{.reference = row.Text(0),
                        .key = row.Text(1),
                        .status = row.Text(2),
                        .decline_code = row.Text(3),
                        .amount = row.Int(4),
                        .currency = row.Text(5),
                        .refunded = row.Int(6),
                        .updated_at = absl::FromUnixMicros(row.Int(7))};
}

absl::Status ChargeNotFound() {
  return Error(reasons::kChargeNotFound, "The provider has no such charge.");
}

class SandboxProviderImpl final : public SandboxProvider {
 public:
  SandboxProviderImpl(db::Database& database, const Clock& clock, const IdGenerator& ids,
                      std::string webhook_secret)
      : database_(database), clock_(clock), ids_(ids), secret_(std::move(webhook_secret)) {}

  const std::string& name() const override { return name_; }

  absl::StatusOr<ProviderCharge> Authorize(const std::string& key, int64_t amount,
                                           const std::string& currency,
                                           const std::optional<Card>& card) override {
    TRAVIO_ASSIGN_OR_RETURN(auto existing, FindBy("charge_key", key));
    if (existing) return *existing;
    if (!card) return ChargeNotFound();
    std::string status = "authorized";
    std::string decline;
    switch (SandboxDecision(card->number)) {
      case SandboxOutcome::kApproved:
        break;
      case SandboxOutcome::kDeclined:
        status = "declined";
        decline = "payment_declined";
        break;
      case SandboxOutcome::kInsufficientFunds:
        status = "declined";
        decline = "insufficient_funds";
        break;
    }
    return Open(key, status, decline, amount, currency);
  }

  absl::StatusOr<ProviderCharge> StartRedirect(const std::string& key, int64_t amount,
                                               const std::string& currency) override {
    TRAVIO_ASSIGN_OR_RETURN(auto existing, FindBy("charge_key", key));
    if (existing) return *existing;
    return Open(key, "pending", "", amount, currency);
  }

  std::string CheckoutToken(const std::string& payment_id, const std::string& payer,
                            absl::Time expires) const override {
    const int64_t seconds = absl::ToUnixSeconds(expires);
    return absl::StrCat(seconds, ".", crypto::HexEncode(CheckoutMac(payment_id, payer, seconds)));
  }

  bool CheckoutTokenValid(std::string_view token, const std::string& payment_id,
                          const std::string& payer, absl::Time now) const override {
    const size_t dot = token.find('.');
    int64_t seconds = 0;
    if (dot == std::string_view::npos ||
        !absl::SimpleAtoi(ToAbsl(token.substr(0, dot)), &seconds) ||
        absl::FromUnixSeconds(seconds) <= now) {
      return false;
    }
    const std::string expected = CheckoutMac(payment_id, payer, seconds);
    const std::optional<std::string> given =
        crypto::HexDecode(token.substr(dot + 1), expected.size());
    return given && crypto::ConstantTimeEquals(*given, expected);
  }

  absl::StatusOr<ProviderWebhook> Decide(const std::string& reference, bool approve) override {
    TRAVIO_ASSIGN_OR_RETURN(ProviderCharge charge,
                            Move(reference, {"pending"}, approve ? "authorized" : "declined",
                                 approve ? "" : "payment_declined"));
    const std::string body = nlohmann::json{
        {"type", "charge.updated"},
        {"reference", charge.reference},
        {"key", charge.key},
        {"status",
         charge.status}}.dump();
    return ProviderWebhook{body, SignWebhook(secret_, clock_.Now(), body)};
  }

  absl::StatusOr<std::string> VerifiedWebhookKey(const std::string& signature,
                                                 const std::string& body) override {
    TRAVIO_RETURN_IF_ERROR(VerifyWebhook(secret_, signature, body, clock_.Now()));
    const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("key") || !parsed.at("key").is_string()) {
      return Error(reasons::kBadWebhook, "The webhook names no charge.");
    }
    return parsed.at("key").get<std::string>();
  }

  absl::StatusOr<ProviderCharge> Capture(const std::string& reference) override {
    return Move(reference, {"authorized"}, "captured");
  }

  absl::StatusOr<ProviderCharge> Void(const std::string& reference) override {
    return Move(reference, {"authorized", "pending"}, "voided");
  }

  absl::StatusOr<ProviderRefund> Refund(const std::string& reference, int64_t amount,
                                        const std::string& key) override {
    ProviderRefund refund;
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result previous,
          tx.Execute("SELECT reference, charge_reference, refund_key, amount, created_at FROM "
                     "sandbox_refunds WHERE refund_key = $1",
                     {key}));
      if (!previous.rows.empty()) {
        refund = ReadRefund(previous.rows[0]);
        return absl::OkStatus();
      }
      // The conditional update is the check: captured, and enough left to refund.
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result updated,
          tx.Execute("UPDATE sandbox_charges SET refunded = refunded + $2, updated_at = $3 "
                     "WHERE reference = $1 AND status = 'captured' AND refunded + $2 <= amount",
                     {reference, amount, absl::ToUnixMicros(clock_.Now())}));
      if (updated.affected_rows == 0) {
        return Error(reasons::kRefundRefused,
                     "The provider refused the refund (not captured, or more than is left).");
      }
      refund = ProviderRefund{.reference = "sbr_" + ids_.NewId(),
                              .charge_reference = reference,
                              .key = key,
                              .amount = amount,
                              .created_at = clock_.Now()};
      return tx
          .Execute(
              "INSERT INTO sandbox_refunds (reference, charge_reference, refund_key, amount, "
              "created_at) VALUES ($1, $2, $3, $4, $5)",
              {refund.reference, reference, key, amount, absl::ToUnixMicros(refund.created_at)})
          .status();
    });
    if (!done.ok()) return done;
    return refund;
  }

  absl::StatusOr<std::vector<SettlementLine>> Settlement(absl::Time from, absl::Time to) override {
    const int64_t start = absl::ToUnixMicros(from);
    const int64_t end = absl::ToUnixMicros(to);
    std::vector<SettlementLine> lines;
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result captures,
        database_.Execute("SELECT reference, charge_key, amount, currency FROM sandbox_charges "
                          "WHERE status = 'captured' AND captured_at >= $1 AND captured_at < $2 "
                          "ORDER BY captured_at, reference",
                          {start, end}));
    for (const db::Row& row : captures.rows) {
      lines.push_back({row.Text(0), row.Text(1), "capture", row.Int(2), row.Text(3)});
    }
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result refunds,
        database_.Execute(
            "SELECT r.reference, r.refund_key, r.amount, c.currency FROM sandbox_refunds r "
            "JOIN sandbox_charges c ON c.reference = r.charge_reference "
            "WHERE r.created_at >= $1 AND r.created_at < $2 ORDER BY r.created_at, r.reference",
            {start, end}));
    for (const db::Row& row : refunds.rows) {
      lines.push_back({row.Text(0), row.Text(1), "refund", row.Int(2), row.Text(3)});
    }
    return lines;
  }

 private:
  static ProviderRefund ReadRefund(const db::Row& row) {
    return ProviderRefund{.reference = row.Text(0),
                          .charge_reference = row.Text(1),
                          .key = row.Text(2),
                          .amount = row.Int(3),
                          .created_at = absl::FromUnixMicros(row.Int(4))};
  }

  absl::StatusOr<std::optional<ProviderCharge>> FindBy(const char* column,
                                                       const std::string& value) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kChargeColumns, " FROM sandbox_charges WHERE ",
                                       column, " = $1"),
                          {value}));
    if (result.rows.empty()) return std::nullopt;
    return ReadCharge(result.rows[0]);
  }

  absl::StatusOr<ProviderCharge> Open(const std::string& key, const std::string& status,
                                      const std::string& decline, int64_t amount,
                                      const std::string& currency) {
    const std::string reference = "sbx_" + ids_.NewId();
    const auto inserted = database_.Execute(
        absl::StrCat("INSERT INTO sandbox_charges (", kChargeColumns,
                     ", created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)"),
        {reference, key, status, decline, amount, currency, absl::ToUnixMicros(clock_.Now())});
    // Two racing calls with one key: the loser answers the winner's charge.
    if (!inserted.ok() && !absl::IsAlreadyExists(inserted.status())) return inserted.status();
    TRAVIO_ASSIGN_OR_RETURN(auto stored, FindBy("charge_key", key));
    if (!stored) return absl::InternalError("a sandbox charge vanished");
    return *stored;
  }

  // Moves a charge from one of `from` to `to`; a charge already in `to` is answered as it is.
  absl::StatusOr<ProviderCharge> Move(const std::string& reference,
                                      const std::vector<std::string>& from, const std::string& to,
                                      const std::string& decline = "") {
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    for (const std::string& state : from) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result moved,
          database_.Execute("UPDATE sandbox_charges SET status = $3, decline_code = $5, "
                            "updated_at = $4, captured_at = CASE WHEN $3 = 'captured' THEN $4 "
                            "ELSE captured_at END WHERE reference = $1 AND status = $2",
                            {reference, state, to, now, decline}));
      if (moved.affected_rows > 0) break;
    }
    TRAVIO_ASSIGN_OR_RETURN(auto charge, FindBy("reference", reference));
    if (!charge) return ChargeNotFound();
    if (charge->status != to) {
      return Error(reasons::kInvalidChargeState,
                   absl::StrCat("The charge is ", charge->status, "."));
    }
    return *charge;
  }

  db::Database& database_;
  const Clock& clock_;
  const IdGenerator& ids_;
  // The page's key is derived from the webhook secret, for another purpose: neither MAC can
  // stand for the other.
  std::string CheckoutMac(const std::string& payment_id, const std::string& payer,
                          int64_t expires) const {
    return crypto::HmacSha256(crypto::HmacSha256(secret_, "sandbox hosted checkout"),
                              absl::StrCat(payment_id, "\n", payer, "\n", expires));
  }

  const std::string secret_;
  const std::string name_ = "sandbox";
};

}  // namespace

std::unique_ptr<SandboxProvider> MakeSandboxProvider(db::Database& database, const Clock& clock,
                                                     const IdGenerator& ids,
                                                     std::string webhook_secret) {
  return std::make_unique<SandboxProviderImpl>(database, clock, ids, std::move(webhook_secret));
}

}  // namespace travio::payment
