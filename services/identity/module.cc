#include "services/identity/module.h"

#include <sodium.h>

#include <filesystem>

#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/api/session_revocations.h"
#include "services/identity/app/identity_service.h"
#include "services/identity/rpc/identity_grpc_service.h"
#include "services/identity/storage/keys/file_key_ring.h"
#include "services/identity/storage/kv/kv_login_throttle.h"
#include "services/identity/storage/sql/migrations.h"
#include "services/identity/storage/sql/sql_identity_store.h"
#include "services/notification/api/notification_client.h"

namespace travio::identity {
namespace {

using config::KeySpec;
using config::KeyType;

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;

absl::Status DeclareIdentityConfig(config::Schema& schema) {
  const std::vector<KeySpec> keys = {
      {.name = "identity.token_format",
       .type = KeyType::kString,
       .default_value = "paseto",
       .description = "Access token format: paseto (v4.public) or jwt (EdDSA, typ at+jwt)",
       .allowed = {"paseto", "jwt"}},
      {.name = "identity.issuer",
       .type = KeyType::kString,
       .default_value = "travio",
       .description = "The iss claim of access tokens"},
      {.name = "identity.audience",
       .type = KeyType::kString,
       .default_value = "travio-api",
       .description = "The aud claim of access tokens"},
      {.name = "identity.keys_dir",
       .type = KeyType::kString,
       .default_value = "",
       .description = "Directory of signing and encryption keys, generated when missing (empty: "
                      "<data_dir>/keys)"},
      {.name = "identity.access_token_ttl",
       .type = KeyType::kDuration,
       .default_value = "15m",
       .description = "Lifetime of access tokens",
       .min = kMinuteMs,
       .max = 60 * kMinuteMs},
      {.name = "identity.refresh_token_ttl",
       .type = KeyType::kDuration,
       .default_value = "336h",
       .description = "Lifetime of a refresh token (each refresh issues a new one)",
       .min = 60 * kMinuteMs,
       .max = 90 * kDayMs},
      {.name = "identity.session_max_age",
       .type = KeyType::kDuration,
       .default_value = "2160h",
       .description = "Longest a sign-in session lives, however often it is refreshed",
       .min = 60 * kMinuteMs,
       .max = 365 * kDayMs},
      {.name = "identity.guest_token_ttl",
       .type = KeyType::kDuration,
       .default_value = "2h",
       .description = "Lifetime of guest access tokens (checkout without an account)",
       .min = kMinuteMs,
       .max = kDayMs},
      {.name = "identity.invite_ttl",
       .type = KeyType::kDuration,
       .default_value = "168h",
       .description = "How long an invite can be accepted",
       .min = 60 * kMinuteMs,
       .max = 30 * kDayMs},
      {.name = "identity.invites_per_hour",
       .type = KeyType::kInt,
       .default_value = "100",
       .description = "Invites (new and re-sent) one organization may send per hour",
       .min = 1,
       .max = 100000},
      {.name = "identity.invite_resend_interval",
       .type = KeyType::kDuration,
       .default_value = "1m",
       .description = "How soon one invite may be re-sent",
       .min = 0,
       .max = kDayMs},
      {.name = "identity.password_memory_kib",
       .type = KeyType::kInt,
       .default_value = "19456",
       .description =
           "Argon2id memory per password hash in KiB; raising it re-hashes passwords at login",
       .min = 19456,
       .max = 4 * 1024 * 1024},
      {.name = "identity.password_passes",
       .type = KeyType::kInt,
       .default_value = "2",
       .description = "Argon2id passes per password hash",
       .min = 2,
       .max = 20},
      {.name = "identity.password_threads",
       .type = KeyType::kInt,
       .default_value = "2",
       .description = "Threads that hash passwords (sign-in never takes other threads' time)",
       .min = 1,
       .max = 64},
      {.name = "identity.password_queue",
       .type = KeyType::kInt,
       .default_value = "16",
       .description = "Sign-ins that may wait for a hashing thread; more are answered 503 "
                      "sign_in_busy",
       .min = 1,
       .max = 100000},
      {.name = "identity.login_account_threshold",
       .type = KeyType::kInt,
       .default_value = "5",
       .description = "Failed logins of one account before it is locked for a growing delay",
       .min = 1,
       .max = 1000},
      {.name = "identity.login_address_threshold",
       .type = KeyType::kInt,
       .default_value = "20",
       .description =
           "Failed logins from one client address before it is locked for a growing delay",
       .min = 1,
       .max = 100000},
      {.name = "identity.login_window",
       .type = KeyType::kDuration,
       .default_value = "1h",
       .description = "How long failed logins are counted from the first one",
       .min = kMinuteMs,
       .max = kDayMs},
      {.name = "identity.login_base_delay",
       .type = KeyType::kDuration,
       .default_value = "2s",
       .description = "First lockout at the threshold; doubled per further failure",
       .min = 100,
       .max = 60 * kMinuteMs},
      {.name = "identity.login_max_delay",
       .type = KeyType::kDuration,
       .default_value = "15m",
       .description = "Longest lockout",
       .min = 1000,
       .max = kDayMs},
      {.name = "identity.public_url",
       .type = KeyType::kString,
       .default_value = "http://localhost:8080",
       .description = "Base URL of the web UI, for links in emails"},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

// A key of its own for hashing throttle keys, derived from identity's local key (libsodium's
// KDF), so every identity process sharing the key directory counts the same accounts.
std::string ThrottleSecret(const std::string& local_key) {
  std::string subkey(32, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(subkey.data()), subkey.size(), 1,
                             "throttle", reinterpret_cast<const unsigned char*>(local_key.data()));
  return subkey;
}

class KvSessionRevoker final : public SessionRevoker {
 public:
  KvSessionRevoker(kv::KeyValueStore& store, absl::Duration lifetime)
      : revocations_(store, lifetime) {}
  absl::Status Revoke(std::string_view session_id) override {
    return revocations_.Revoke(session_id);
  }

 private:
  SessionRevocations revocations_;
};

class IdentityModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<IdentityModule>> Create(module::Context& context) {
    const config::Config& config = context.config();
    auto module = std::unique_ptr<IdentityModule>(new IdentityModule());

    std::filesystem::path keys_dir = config.String("identity.keys_dir");
    if (keys_dir.empty()) keys_dir = std::filesystem::path(config.String("data_dir")) / "keys";
    TRAVIO_ASSIGN_OR_RETURN(module->keys_, FileKeyRing::Open(keys_dir));

    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    TRAVIO_ASSIGN_OR_RETURN(kv::KeyValueStore * hot_state, context.hot_state());
    TRAVIO_ASSIGN_OR_RETURN(auto mail, context.clients().Bind<notification::NotificationClient>());

    IdentitySettings settings;
    TRAVIO_ASSIGN_OR_RETURN(settings.token_format,
                            ParseTokenFormat(config.String("identity.token_format")));
    settings.issuer = config.String("identity.issuer");
    settings.audience = config.String("identity.audience");
    settings.access_token_ttl = config.Duration("identity.access_token_ttl");
    settings.refresh_token_ttl = config.Duration("identity.refresh_token_ttl");
    settings.session_max_age = config.Duration("identity.session_max_age");
    settings.guest_token_ttl = config.Duration("identity.guest_token_ttl");
    settings.invite_ttl = config.Duration("identity.invite_ttl");
    settings.invites_per_hour = config.Int("identity.invites_per_hour");
    settings.resend_interval = config.Duration("identity.invite_resend_interval");
    settings.password_cost.memory_bytes =
        static_cast<size_t>(config.Int("identity.password_memory_kib")) * 1024;
    settings.password_cost.passes = static_cast<uint64_t>(config.Int("identity.password_passes"));
    settings.public_url = config.String("identity.public_url");
    settings.password_threads = static_cast<int>(config.Int("identity.password_threads"));
    settings.password_queue = static_cast<int>(config.Int("identity.password_queue"));

    auto policy = [&](const char* threshold) {
      return ThrottlePolicy{.threshold = config.Int(threshold),
                            .window = config.Duration("identity.login_window"),
                            .base_delay = config.Duration("identity.login_base_delay"),
                            .max_delay = config.Duration("identity.login_max_delay")};
    };
    module->store_ = MakeSqlIdentityStore(*database, *outbox);
    module->throttle_ = MakeKvLoginThrottle(*hot_state, policy("identity.login_account_threshold"),
                                            policy("identity.login_address_threshold"),
                                            ThrottleSecret(module->keys_->local_key()));
    module->limits_ = MakeKvRateLimiter(*hot_state);
    module->revoker_ = std::make_unique<KvSessionRevoker>(*hot_state, settings.access_token_ttl);
    TRAVIO_ASSIGN_OR_RETURN(
        module->service_,
        IdentityService::Create(IdentityService::Ports{.store = *module->store_,
                                                       .keys = *module->keys_,
                                                       .throttle = *module->throttle_,
                                                       .revoker = *module->revoker_,
                                                       .limits = *module->limits_,
                                                       .mail = std::move(mail),
                                                       .clock = context.clock(),
                                                       .ids = context.ids(),
                                                       .logger = context.logger()},
                                settings, context.instance_id()));
    module->grpc_ = std::make_unique<IdentityGrpcService>(module->service_);
    context.clients().Export<IdentityClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return module;
  }

  absl::Status Start() override { return service_->RecordKeys(); }

 private:
  IdentityModule() = default;

  std::unique_ptr<FileKeyRing> keys_;
  std::unique_ptr<IdentityStore> store_;
  std::unique_ptr<LoginThrottle> throttle_;
  std::unique_ptr<SessionRevoker> revoker_;
  std::unique_ptr<RateLimiter> limits_;
  std::shared_ptr<IdentityService> service_;
  std::unique_ptr<IdentityGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterIdentityModule(module::Registry& registry) {
  return registry.Add({
      .name = "identity",
      .description = "accounts, organizations, memberships, tokens and access control",
      .calls = {"notification"},
      .declare_config = DeclareIdentityConfig,
      .migrations = IdentityMigrations(),
      .remote_client = module::RemoteClientOf<IdentityClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.identity.v1.IdentityService",
                       .methods_by_caller =
                           {
                               {"fulfillment", {"GetOrganization"}},
                               {"gateway",
                                {"GetServerInfo", "GetTokenSettings", "Register", "Login",
                                 "IssueGuestToken", "Refresh", "Logout", "GetMe",
                                 "CreateOrganization", "GetOrganization", "ResolveMembership",
                                 "CreateInvite", "ListInvites", "RevokeInvite", "ResendInvite",
                                 "AcceptInvite", "ListMembers", "ChangeRole", "RemoveMember"}},
                               {"search", {"GetOrganization"}},
                               {"subscription", {"GetOrganization", "ListOwners"}},
                           }}},
      .factory = [](module::Context& context) -> absl::StatusOr<std::unique_ptr<module::Module>> {
        TRAVIO_ASSIGN_OR_RETURN(auto module, IdentityModule::Create(context));
        return std::unique_ptr<module::Module>(std::move(module));
      },
  });
}

}  // namespace travio::identity
