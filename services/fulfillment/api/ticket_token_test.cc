// Ticket codes: signed with fulfillment's key, verified offline with the published ones, and
// nothing else passes for one.
#include "services/fulfillment/api/ticket_token.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "platform/crypto/encoding.h"
#include "platform/crypto/paseto.h"
#include "platform/testing/status_matchers.h"

namespace travio::fulfillment {
namespace {

using ::travio::testing::HasReason;

struct KeyPair {
  std::string secret;
  TicketKey published;
};

KeyPair NewKey(const std::string& kid) {
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(secret.data()));
  return {secret, {kid, public_key}};
}

const absl::Time kDeparture = absl::FromUnixSeconds(1'797'784'200);

TicketClaims Claims() {
  return {.ticket_id = "0193a0b4-0000-7000-8000-000000000001",
          .trip_id = "0193a0b4-0000-7000-8000-000000000002",
          .seat = "A1",
          .from = "DHK",
          .to = "CXB",
          .departure = kDeparture,
          .expires_at = kDeparture + absl::Hours(24)};
}

class TicketTokenTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  KeyPair key_ = NewKey("k1");
};

TEST_F(TicketTokenTest, VerifiesWithThePublishedKey) {
  ASSERT_OK_AND_ASSIGN(std::string token, SignTicketToken(key_.secret, "k1", Claims()));
  EXPECT_TRUE(token.starts_with("v4.public."));
  ASSERT_OK_AND_ASSIGN(TicketClaims claims,
                       VerifyTicketToken(token, {key_.published}, kDeparture - absl::Hours(1)));
  EXPECT_EQ(claims, Claims());
}

TEST_F(TicketTokenTest, ClaimsAreTheOnesApiMdNames) {
  ASSERT_OK_AND_ASSIGN(std::string token, SignTicketToken(key_.secret, "k1", Claims()));
  ASSERT_OK_AND_ASSIGN(crypto::PasetoMessage message,
                       crypto::V4PublicVerify(key_.published.public_key, token, "travio-ticket"));
  const nlohmann::json claims = nlohmann::json::parse(message.payload);
  for (const char* name : {"tid", "trip", "seat", "from", "to", "dep", "exp"}) {
    EXPECT_TRUE(claims.contains(name)) << name;
  }
  EXPECT_EQ(nlohmann::json::parse(message.footer), (nlohmann::json{{"kid", "k1"}}));
}

TEST_F(TicketTokenTest, ARotatedOutKeyStillVerifiesWhatItSigned) {
  const KeyPair old_key = NewKey("k0");
  ASSERT_OK_AND_ASSIGN(std::string token, SignTicketToken(old_key.secret, "k0", Claims()));
  EXPECT_OK(VerifyTicketToken(token, {key_.published, old_key.published}, kDeparture));
  EXPECT_THAT(VerifyTicketToken(token, {key_.published}, kDeparture), HasReason("invalid_qr"));
}

TEST_F(TicketTokenTest, RefusesExpiredForgedAndForeignTokens) {
  ASSERT_OK_AND_ASSIGN(std::string token, SignTicketToken(key_.secret, "k1", Claims()));
  // Expired: a day after departure.
  EXPECT_THAT(VerifyTicketToken(token, {key_.published}, kDeparture + absl::Hours(24)),
              HasReason("invalid_qr"));
  // Tampered payload.
  std::string tampered = token;
  tampered[20] = tampered[20] == 'A' ? 'B' : 'A';
  EXPECT_THAT(VerifyTicketToken(tampered, {key_.published}, kDeparture), HasReason("invalid_qr"));
  // Signed by another key under our kid.
  const KeyPair stranger = NewKey("k1");
  ASSERT_OK_AND_ASSIGN(std::string forged, SignTicketToken(stranger.secret, "k1", Claims()));
  EXPECT_THAT(VerifyTicketToken(forged, {key_.published}, kDeparture), HasReason("invalid_qr"));
  // Another token of the deployment signed by the same key (no implicit assertion) is no ticket.
  const std::string payload = R"({"tid":"x","trip":"t","seat":"A1","from":"DHK","to":"CXB",)"
                              R"("dep":"2026-12-20T16:30:00Z","exp":"2099-01-01T00:00:00Z"})";
  ASSERT_OK_AND_ASSIGN(std::string access,
                       crypto::V4PublicSign(key_.secret, payload, R"({"kid":"k1"})"));
  EXPECT_THAT(VerifyTicketToken(access, {key_.published}, kDeparture), HasReason("invalid_qr"));
  // Not a token at all, and one far too long for a QR code.
  EXPECT_THAT(VerifyTicketToken("K7Q2M-9XD3F", {key_.published}, kDeparture),
              HasReason("invalid_qr"));
  EXPECT_THAT(VerifyTicketToken(token + std::string(4096, 'A'), {key_.published}, kDeparture),
              HasReason("invalid_qr"));
}

TEST_F(TicketTokenTest, MissingOrMistypedClaimsAreRefused) {
  for (
      const char* payload :
      {R"({"tid":"x","trip":"t","seat":"A1","from":"DHK","to":"CXB","dep":"2026-12-20T16:30:00Z"})",
       R"({"tid":1,"trip":"t","seat":"A1","from":"DHK","to":"CXB","dep":"2026-12-20T16:30:00Z","exp":"2099-01-01T00:00:00Z"})",
       R"({"tid":"x","trip":"t","seat":"A1","from":"DHK","to":"CXB","dep":"soon","exp":"2099-01-01T00:00:00Z"})",
       R"([1,2])"}) {
    ASSERT_OK_AND_ASSIGN(
        std::string token,
        crypto::V4PublicSign(key_.secret, payload, R"({"kid":"k1"})", "travio-ticket"));
    EXPECT_THAT(VerifyTicketToken(token, {key_.published}, kDeparture), HasReason("invalid_qr"))
        << payload;
  }
}

}  // namespace
}  // namespace travio::fulfillment
