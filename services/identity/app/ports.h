#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/reasons.h"
#include "platform/events/event.h"
#include "services/identity/api/identity_client.h"

// The ports the identity use cases need. Adapters live in storage/; none of these types know
// SQL, Redis, files or HTTP.
namespace travio::identity {

struct UserRecord {
  User user;
  std::string password_hash;  // Argon2id PHC string
  absl::Time created_at;
};

struct InviteRecord {
  Invite invite;            // status as stored: pending, accepted or revoked
  std::string token_hash;   // SHA-256 of the token; the token itself is never stored
  std::string invited_by;   // user id
  std::string accepted_by;  // user id, when accepted
};

/// One refresh token. Tokens of one login form a family; each refresh spends one and adds the
/// next, so presenting a spent one means a copy exists and the family is revoked.
struct RefreshTokenRecord {
  std::string id;
  std::string family_id;
  std::string user_id;
  absl::Time issued_at;
  absl::Time expires_at;
  std::optional<absl::Time> spent_at;
  std::optional<absl::Time> revoked_at;
};

using travio::ListPosition;

/// The statements of one transaction against identity's tables. Every write of a use case
/// and the audit events describing it commit together or not at all.
class IdentityUnit {
 public:
  virtual ~IdentityUnit() = default;

  /// kAlreadyExists `email_taken`.
  virtual absl::Status InsertUser(const UserRecord& user) = 0;
  virtual absl::StatusOr<std::optional<UserRecord>> FindUserByEmail(std::string_view email) = 0;
  virtual absl::StatusOr<std::optional<UserRecord>> FindUser(std::string_view user_id) = 0;
  virtual absl::Status SetPasswordHash(std::string_view user_id, std::string_view hash) = 0;

  /// kAlreadyExists `slug_taken`.
  virtual absl::Status InsertOrganization(const Organization& org) = 0;
  virtual absl::StatusOr<std::optional<Organization>> FindOrganization(std::string_view org_id) = 0;
  /// Serialises membership changes of one organization until the transaction ends, so two
  /// owners demoting each other at once cannot leave it without an owner. kNotFound when the
  /// organization does not exist.
  virtual absl::Status LockOrganization(std::string_view org_id) = 0;

  /// kAlreadyExists `already_member`.
  virtual absl::Status InsertMembership(std::string_view org_id, std::string_view user_id,
                                        Role role, absl::Time at) = 0;
  virtual absl::StatusOr<std::optional<Role>> FindRole(std::string_view org_id,
                                                       std::string_view user_id) = 0;
  virtual absl::StatusOr<std::vector<Membership>> MembershipsOf(std::string_view user_id) = 0;
  /// Members in joining order (then user id), after `after`, at most `limit`.
  virtual absl::StatusOr<std::vector<Member>> MembersOf(std::string_view org_id,
                                                        const std::optional<ListPosition>& after,
                                                        int limit) = 0;
  virtual absl::StatusOr<int64_t> CountOwners(std::string_view org_id) = 0;
  /// False when the user is not a member.
  virtual absl::StatusOr<bool> UpdateRole(std::string_view org_id, std::string_view user_id,
                                          Role role) = 0;
  virtual absl::StatusOr<bool> DeleteMembership(std::string_view org_id,
                                                std::string_view user_id) = 0;

  /// kAlreadyExists `invite_pending` when the email has a pending invite to the organization.
  virtual absl::Status InsertInvite(const InviteRecord& invite) = 0;
  virtual absl::StatusOr<std::optional<InviteRecord>> FindInvite(std::string_view org_id,
                                                                 std::string_view invite_id) = 0;
  virtual absl::StatusOr<std::optional<InviteRecord>> FindInviteByTokenHash(
      std::string_view token_hash) = 0;
  /// Invites by creation time (then id), after `after`, at most `limit`.
  virtual absl::StatusOr<std::vector<InviteRecord>> InvitesOf(
      std::string_view org_id, const std::optional<ListPosition>& after, int limit) = 0;
  /// Every invite of the organization to `email`.
  virtual absl::StatusOr<std::vector<InviteRecord>> InvitesTo(std::string_view org_id,
                                                              std::string_view email) = 0;
  /// The conditional transitions of an invite; each is false when the invite was not in a
  /// state that allows it any more (another request won). Revoking and re-sending also apply
  /// to an expired invite; re-sending makes it pending again.
  /// Also false when the invite's token changed (re-sent) since `token_hash` was read.
  virtual absl::StatusOr<bool> MarkInviteAccepted(std::string_view invite_id,
                                                  std::string_view token_hash,
                                                  std::string_view user_id, absl::Time at) = 0;
  /// Records that the invite's current token was handed to the mail transport.
  virtual absl::Status MarkInviteEmailed(std::string_view invite_id, absl::Time at) = 0;
  /// Records that a pending invite passed its expiry, so a new one may be sent to the email.
  virtual absl::StatusOr<bool> MarkInviteExpired(std::string_view invite_id) = 0;
  virtual absl::StatusOr<bool> MarkInviteRevoked(std::string_view invite_id, absl::Time at) = 0;
  virtual absl::StatusOr<bool> ReissueInvite(std::string_view invite_id,
                                             std::string_view token_hash,
                                             absl::Time expires_at) = 0;

  virtual absl::Status InsertRefreshToken(const RefreshTokenRecord& token) = 0;
  virtual absl::StatusOr<std::optional<RefreshTokenRecord>> FindRefreshToken(
      std::string_view token_id) = 0;
  /// Starts a login session: the family its refresh tokens belong to.
  virtual absl::Status InsertRefreshFamily(std::string_view family_id, std::string_view user_id,
                                           absl::Time at) = 0;
  /// Locks a live family until the transaction ends (so a concurrent revocation waits for this
  /// refresh and then sees its new token) and returns when the session started; nullopt when
  /// the family is revoked or unknown.
  virtual absl::StatusOr<std::optional<absl::Time>> LockLiveRefreshFamily(
      std::string_view family_id) = 0;
  /// Marks a live token spent; false when it was already spent or revoked.
  virtual absl::StatusOr<bool> SpendRefreshToken(std::string_view token_id, absl::Time at) = 0;
  /// Revokes the family and every token of it; returns how many tokens were live.
  virtual absl::StatusOr<int64_t> RevokeRefreshFamily(std::string_view family_id,
                                                      absl::Time at) = 0;

  /// Records the signing key `kid` as seen; true when it was new.
  virtual absl::StatusOr<bool> RecordSigningKey(std::string_view kid, absl::Time at) = 0;

  /// Appends an event (audit or domain) to the outbox in this transaction.
  virtual absl::Status AppendEvent(const events::Event& event) = 0;
};

/// Identity's durable store.
class IdentityStore {
 public:
  virtual ~IdentityStore() = default;
  /// Runs `work` in one transaction: committed when it returns OK, rolled back otherwise.
  virtual absl::Status InTransaction(const std::function<absl::Status(IdentityUnit&)>& work) = 0;
};

/// An Ed25519 key that signs access tokens.
struct SigningKey {
  std::string kid;
  std::string secret_key;  // 64 bytes, libsodium layout
  std::string public_key;  // 32 bytes
};

/// The keys identity signs and encrypts with. Every key returned by verification_keys() is
/// published; only signing_key() signs, so a new key can be published before it is used and
/// an old one kept until the tokens it signed have expired.
class KeyRing {
 public:
  virtual ~KeyRing() = default;
  virtual const SigningKey& signing_key() const = 0;
  virtual std::vector<PublicKey> verification_keys() const = 0;
  /// 32 bytes for v4.local tokens that only identity reads (refresh tokens).
  virtual const std::string& local_key() const = 0;
};

/// Counts failed logins per account and per client address, in shared hot state so every
/// identity process sees the same counts.
class LoginThrottle {
 public:
  virtual ~LoginThrottle() = default;
  /// kResourceExhausted `too_many_attempts` with a retry-after while either is locked.
  virtual absl::Status Check(std::string_view account, std::string_view address) = 0;
  /// Takes the account's single in-flight slot, so guesses at one account run one at a time
  /// and each sees the lockout the previous one caused. nullopt when another sign-in of the
  /// account is running; otherwise a ticket for Release.
  virtual absl::StatusOr<std::optional<std::string>> Acquire(std::string_view account) = 0;
  virtual absl::Status Release(std::string_view account, std::string_view ticket) = 0;
  /// Counts a failure; true when it started a lockout of the account or address (an audit
  /// event is due).
  virtual absl::StatusOr<bool> RecordFailure(std::string_view account,
                                             std::string_view address) = 0;
  /// A successful login forgets the account's failures (not the address's).
  virtual absl::Status RecordSuccess(std::string_view account) = 0;
};

/// Fixed-window counters in shared hot state, against abuse (invites sent as spam).
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  /// Counts one use of `key`; beyond `limit` uses within `window`, kResourceExhausted with
  /// `reason` and the wait until the window ends.
  virtual absl::Status Take(std::string_view key, int64_t limit, absl::Duration window,
                            const Reason& reason) = 0;
};

/// Tells the gateways that a login session ended, so its access tokens stop working before
/// they expire.
class SessionRevoker {
 public:
  virtual ~SessionRevoker() = default;
  virtual absl::Status Revoke(std::string_view session_id) = 0;
};

}  // namespace travio::identity
