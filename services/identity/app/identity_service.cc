#include "services/identity/app/identity_service.h"

#include "absl/cleanup/cleanup.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/base/version.h"
#include "platform/crypto/paseto.h"
#include "services/identity/api/identity_events.h"
#include "services/identity/domain/credentials.h"

namespace travio::identity {
namespace {

// Binds refresh tokens to their purpose: a v4.local token made for anything else never
// decrypts as one.
constexpr std::string_view kRefreshAssertion = "travio:refresh-token:v1";

absl::Status InvalidCredentials() {
  return Error(reasons::kInvalidCredentials, "The email or password is wrong.");
}

absl::Status InvalidRefreshToken() {
  return Error(reasons::kInvalidRefreshToken,
               "The refresh token is invalid, expired or already used; sign in again.");
}

}  // namespace

absl::StatusOr<std::unique_ptr<IdentityService>> IdentityService::Create(Ports ports,
                                                                         IdentitySettings settings,
                                                                         std::string instance_id) {
  auto dummy = crypto::HashPassword(ports.ids.NewId(), settings.password_cost);
  if (!dummy.ok()) return dummy.status();
  return std::unique_ptr<IdentityService>(new IdentityService(
      std::move(ports), std::move(settings), std::move(instance_id), *std::move(dummy)));
}

IdentityService::IdentityService(Ports ports, IdentitySettings settings, std::string instance_id,
                                 std::string dummy_hash)
    : ports_(std::move(ports)),
      settings_(std::move(settings)),
      instance_id_(std::move(instance_id)),
      dummy_hash_(std::move(dummy_hash)),
      hasher_(std::make_unique<crypto::PasswordHasher>(settings_.password_threads,
                                                       settings_.password_queue)) {}

events::Header IdentityService::Audit(std::string aggregate_id, std::string org_id) const {
  return events::HeaderNow(ports_.ids, ports_.clock, std::move(aggregate_id), std::move(org_id));
}

absl::Status IdentityService::RecordKeys() {
  const std::string signing = ports_.keys.signing_key().kid;
  for (const PublicKey& key : ports_.keys.verification_keys()) {
    TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(bool added, unit.RecordSigningKey(key.kid, ports_.clock.Now()));
      if (!added) return absl::OkStatus();
      ports_.logger.Info("signing key published", {{"kid", key.kid}});
      return unit.AppendEvent(kSigningKeyAdded.Make({.kid = key.kid, .signing = key.kid == signing},
                                                    Audit(key.kid, "")));
    }));
  }
  return absl::OkStatus();
}

absl::StatusOr<ServerInfo> IdentityService::GetServerInfo() {
  return ServerInfo{"identity", std::string(Version()), std::string(Commit()), instance_id_};
}

absl::StatusOr<TokenSettings> IdentityService::GetTokenSettings() {
  return TokenSettings{.format = std::string(TokenFormatName(settings_.token_format)),
                       .issuer = settings_.issuer,
                       .audience = settings_.audience,
                       .keys = ports_.keys.verification_keys()};
}

absl::StatusOr<User> IdentityService::Register(const RegisterRequest& request) {
  std::vector<FieldError> errors;
  auto email = NormalizeEmail(request.email);
  auto name = NormalizeName(request.name);
  auto phone = NormalizePhone(request.phone);
  for (const absl::Status* status : {&email.status(), &name.status(), &phone.status()}) {
    for (FieldError& error : FieldErrorsOf(*status)) errors.push_back(std::move(error));
  }
  if (request.password.empty()) errors.push_back({"password", "is required"});
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The input is invalid."), errors);
  }
  TRAVIO_RETURN_IF_ERROR(CheckPasswordStrength(request.password, *email));
  TRAVIO_ASSIGN_OR_RETURN(std::string hash,
                          hasher_->Hash(request.password, settings_.password_cost));
  UserRecord record{
      .user = {.id = ports_.ids.NewId(), .email = *email, .name = *name, .phone = *phone},
      .password_hash = std::move(hash),
      .created_at = ports_.clock.Now()};
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(unit.InsertUser(record));
    return unit.AppendEvent(
        kUserRegistered.Make({.user_id = record.user.id}, Audit(record.user.id, "")));
  }));
  return record.user;
}

absl::StatusOr<TokenPair> IdentityService::Login(const LoginRequest& request) {
  auto email = NormalizeEmail(request.email);
  if (!email.ok()) return email.status();
  if (request.password.empty()) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The input is invalid."),
                           {{"password", "is required"}});
  }
  // One sign-in per account at a time: parallel guesses cannot all slip past the lockout
  // check before any of them is counted.
  TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> ticket, ports_.throttle.Acquire(*email));
  if (!ticket) {
    return WithRetryAfter(Error(reasons::kTooManyAttempts,
                                "Another sign-in to this account is in progress; try again."),
                          absl::Seconds(1));
  }
  absl::Cleanup release = [&] {
    if (auto status = ports_.throttle.Release(*email, *ticket); !status.ok()) {
      ports_.logger.Warn("login slot not released", {{"error", status.ToString()}});
    }
  };
  TRAVIO_RETURN_IF_ERROR(ports_.throttle.Check(*email, request.client_address));

  std::optional<UserRecord> user;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(user, unit.FindUserByEmail(*email));
    return absl::OkStatus();
  }));
  // An unknown email costs one Argon2id verification too and fails the same way.
  auto matches = hasher_->Verify(user ? user->password_hash : dummy_hash_, request.password);
  if (!matches.ok()) return matches.status();
  if (!user || !*matches) {
    TRAVIO_ASSIGN_OR_RETURN(bool burst,
                            ports_.throttle.RecordFailure(*email, request.client_address));
    if (burst) {
      ports_.logger.Warn("login throttled", {{"client_address", request.client_address}});
      const std::string user_id = user ? user->user.id : "";
      const events::Event event = kLoginThrottled.Make(
          {.user_id = user_id, .client_address = request.client_address}, Audit(user_id, ""));
      TRAVIO_RETURN_IF_ERROR(
          ports_.store.InTransaction([&](IdentityUnit& unit) { return unit.AppendEvent(event); }));
    }
    return InvalidCredentials();
  }
  TRAVIO_RETURN_IF_ERROR(ports_.throttle.RecordSuccess(*email));

  RefreshTokenRecord session = NewSession(user->user.id);
  std::optional<std::string> upgraded_hash;
  if (crypto::NeedsRehash(user->password_hash, settings_.password_cost)) {
    TRAVIO_ASSIGN_OR_RETURN(upgraded_hash,
                            hasher_->Hash(request.password, settings_.password_cost));
  }
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    if (upgraded_hash) TRAVIO_RETURN_IF_ERROR(unit.SetPasswordHash(user->user.id, *upgraded_hash));
    return StoreNewSession(unit, session);
  }));
  return IssuePair(session);
}

absl::StatusOr<TokenPair> IdentityService::IssueGuestToken() {
  TRAVIO_ASSIGN_OR_RETURN(
      std::string token, AccessToken("guest:" + ports_.ids.NewId(), "", settings_.guest_token_ttl));
  return TokenPair{.access_token = std::move(token),
                   .refresh_token = "",
                   .expires_in = settings_.guest_token_ttl};
}

absl::StatusOr<TokenPair> IdentityService::Refresh(const std::string& refresh_token) {
  TRAVIO_ASSIGN_OR_RETURN(std::string token_id, DecodeRefreshToken(refresh_token));
  const absl::Time now = ports_.clock.Now();
  std::optional<RefreshTokenRecord> next;
  std::string reused_family;
  std::string ended_family;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    next.reset();
    reused_family.clear();
    ended_family.clear();
    TRAVIO_ASSIGN_OR_RETURN(auto current, unit.FindRefreshToken(token_id));
    if (!current) return InvalidRefreshToken();
    TRAVIO_ASSIGN_OR_RETURN(std::optional<absl::Time> started,
                            unit.LockLiveRefreshFamily(current->family_id));
    if (!started) {
      // Ended already; tell the gateways again in case the first notice was lost.
      ended_family = current->family_id;
      return absl::OkStatus();
    }
    if (current->revoked_at || current->expires_at <= now) return InvalidRefreshToken();
    // However often it is refreshed, a session ends session_max_age after its sign-in.
    const absl::Time session_ends = *started + settings_.session_max_age;
    TRAVIO_ASSIGN_OR_RETURN(bool spent, unit.SpendRefreshToken(token_id, now));
    if (!spent) {
      // A spent token came back: someone holds a copy. End the whole session; committed
      // although the request fails.
      reused_family = current->family_id;
      TRAVIO_RETURN_IF_ERROR(unit.RevokeRefreshFamily(current->family_id, now).status());
      return unit.AppendEvent(
          kRefreshTokenReused.Make({.user_id = current->user_id, .session_id = current->family_id},
                                   Audit(current->user_id, "")));
    }
    RefreshTokenRecord successor{
        .id = ports_.ids.NewId(),
        .family_id = current->family_id,
        .user_id = current->user_id,
        .issued_at = now,
        .expires_at = std::min(now + settings_.refresh_token_ttl, session_ends),
        .spent_at = std::nullopt,
        .revoked_at = std::nullopt};
    TRAVIO_RETURN_IF_ERROR(unit.InsertRefreshToken(successor));
    next = std::move(successor);
    return absl::OkStatus();
  }));
  if (!reused_family.empty()) {
    ports_.logger.Warn("refresh token reused; session revoked", {{"session_id", reused_family}});
    TRAVIO_RETURN_IF_ERROR(ports_.revoker.Revoke(reused_family));
    return InvalidRefreshToken();
  }
  if (!ended_family.empty()) {
    TRAVIO_RETURN_IF_ERROR(ports_.revoker.Revoke(ended_family));
    return InvalidRefreshToken();
  }
  return IssuePair(*next);
}

absl::Status IdentityService::Logout(const std::string& refresh_token) {
  TRAVIO_ASSIGN_OR_RETURN(std::string token_id, DecodeRefreshToken(refresh_token));
  std::string family;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(auto current, unit.FindRefreshToken(token_id));
    if (!current) return InvalidRefreshToken();
    family = current->family_id;
    TRAVIO_ASSIGN_OR_RETURN(int64_t live, unit.RevokeRefreshFamily(family, ports_.clock.Now()));
    if (live == 0) return absl::OkStatus();  // already ended: logging out twice is fine
    return unit.AppendEvent(kSessionEnded.Make({.user_id = current->user_id, .session_id = family},
                                               Audit(current->user_id, "")));
  }));
  return ports_.revoker.Revoke(family);
}

absl::StatusOr<Me> IdentityService::GetMe(const std::string& user_id) {
  Me me;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(auto user, unit.FindUser(user_id));
    if (!user) return Error(reasons::kUserNotFound, "No such user.");
    me.user = user->user;
    TRAVIO_ASSIGN_OR_RETURN(me.memberships, unit.MembershipsOf(user_id));
    return absl::OkStatus();
  }));
  return me;
}

absl::Status IdentityService::StoreNewSession(IdentityUnit& unit, const RefreshTokenRecord& first) {
  TRAVIO_RETURN_IF_ERROR(unit.InsertRefreshFamily(first.family_id, first.user_id, first.issued_at));
  return unit.InsertRefreshToken(first);
}

RefreshTokenRecord IdentityService::NewSession(const std::string& user_id) {
  const absl::Time now = ports_.clock.Now();
  return RefreshTokenRecord{.id = ports_.ids.NewId(),
                            .family_id = ports_.ids.NewId(),
                            .user_id = user_id,
                            .issued_at = now,
                            .expires_at = now + settings_.refresh_token_ttl,
                            .spent_at = std::nullopt,
                            .revoked_at = std::nullopt};
}

absl::StatusOr<TokenPair> IdentityService::IssuePair(const RefreshTokenRecord& record) {
  TRAVIO_ASSIGN_OR_RETURN(std::string access, AccessToken(record.user_id, record.family_id,
                                                          settings_.access_token_ttl));
  TRAVIO_ASSIGN_OR_RETURN(std::string refresh, EncodeRefreshToken(record));
  return TokenPair{.access_token = std::move(access),
                   .refresh_token = std::move(refresh),
                   .expires_in = settings_.access_token_ttl};
}

absl::StatusOr<std::string> IdentityService::AccessToken(const std::string& subject,
                                                         const std::string& session_id,
                                                         absl::Duration ttl) {
  const absl::Time now = ports_.clock.Now();
  const SigningKey& key = ports_.keys.signing_key();
  AccessClaims claims{.issuer = settings_.issuer,
                      .subject = subject,
                      .audience = settings_.audience,
                      .token_id = ports_.ids.NewId(),
                      .session_id = session_id,
                      .issued_at = now,
                      .not_before = now,
                      .expires_at = now + ttl};
  return SignAccessToken(settings_.token_format, key.kid, key.secret_key, claims);
}

absl::StatusOr<std::string> IdentityService::EncodeRefreshToken(const RefreshTokenRecord& record) {
  return crypto::V4LocalEncrypt(ports_.keys.local_key(), RefreshTokenClaims(record.id), "",
                                kRefreshAssertion);
}

absl::StatusOr<std::string> IdentityService::DecodeRefreshToken(std::string_view token) {
  if (token.empty() || token.size() > 2048) return InvalidRefreshToken();
  auto message = crypto::V4LocalDecrypt(ports_.keys.local_key(), token, kRefreshAssertion);
  if (!message.ok()) return InvalidRefreshToken();
  std::optional<std::string> token_id = RefreshTokenIdOf(message->payload);
  if (!token_id) return InvalidRefreshToken();
  return *std::move(token_id);
}

}  // namespace travio::identity
