// The identity gRPC layer end to end: IdentityClient::OverGrpc -> loopback gRPC server with
// mutual TLS -> IdentityGrpcService -> a fake IdentityClient. Proves the translation, not the
// rules: every method's fields and every error's details cross the wire unchanged. Accounts and
// sessions here; organizations in identity_grpc_organizations_test.cc, errors in
// identity_grpc_errors_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform/testing/status_matchers.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/rpc/identity_grpc_fixture.h"

namespace travio::identity {
namespace {

// 32 raw bytes with zero bytes at the start, middle and end, and high bytes.
std::string RawKey(unsigned char seed) {
  std::string key(32, '\0');
  for (int i = 0; i < 32; ++i) key[i] = static_cast<char>((seed + i * 37) & 0xff);
  key[0] = key[16] = key[31] = '\0';
  key[5] = static_cast<char>(0xff);
  return key;
}

TEST_F(IdentityGrpcTest, GetServerInfoRoundTrips) {
  fake().info = {"identity", "1.2.3", "abc123", "i-42"};
  auto info = client().GetServerInfo();
  ASSERT_OK(info);
  EXPECT_EQ(Tie(*info), Tie(fake().info));
  EXPECT_EQ(fake().method, "GetServerInfo");
}

TEST_F(IdentityGrpcTest, TokenSettingsKeepRawKeysWithZeroBytes) {
  fake().settings = {
      "paseto", "https://travio.test", "travio-api", {{"k1", RawKey(1)}, {"k2", RawKey(200)}}};
  auto settings = client().GetTokenSettings();
  ASSERT_OK(settings);
  EXPECT_EQ(Tie(*settings), Tie(fake().settings));
  ASSERT_EQ(settings->keys.size(), 2u);
  EXPECT_EQ(settings->keys[0].public_key.size(), 32u);
  EXPECT_EQ(settings->keys[0].public_key[31], '\0');
}

TEST_F(IdentityGrpcTest, TokenSettingsWithoutKeys) {
  fake().settings = {"jwt", "iss", "aud", {}};
  auto settings = client().GetTokenSettings();
  ASSERT_OK(settings);
  EXPECT_EQ(Tie(*settings), Tie(fake().settings));
}

TEST_F(IdentityGrpcTest, RegisterSendsEveryFieldAndReturnsTheUser) {
  fake().user = {"u-1", "ana@example.com", "Ana", "+34 600 000 000"};
  const RegisterRequest request{"ana@example.com", "correct horse battery", "Ana",
                                "+34 600 000 000"};
  auto user = client().Register(request);
  ASSERT_OK(user);
  EXPECT_EQ(Tie(*user), Tie(fake().user));
  EXPECT_EQ(fake().method, "Register");
  EXPECT_EQ(Tie(fake().register_request), Tie(request));
}

TEST_F(IdentityGrpcTest, RegisterWithEmptyOptionalFields) {
  fake().user = {"u-2", "bo@example.com", "", ""};
  const RegisterRequest request{"bo@example.com", "pw", "", ""};
  auto user = client().Register(request);
  ASSERT_OK(user);
  EXPECT_EQ(Tie(*user), Tie(fake().user));
  EXPECT_EQ(Tie(fake().register_request), Tie(request));
}

TEST_F(IdentityGrpcTest, LoginCarriesTheClientAddressAndTokensToTheMillisecond) {
  fake().tokens = {"access.v4", "refresh-1", absl::Minutes(15) + absl::Milliseconds(7)};
  const LoginRequest request{"ana@example.com", "secret", "203.0.113.9"};
  auto tokens = client().Login(request);
  ASSERT_OK(tokens);
  EXPECT_EQ(Tie(*tokens), Tie(fake().tokens));
  EXPECT_EQ(Tie(fake().login_request), Tie(request));
}

TEST_F(IdentityGrpcTest, GuestTokenHasNoRefreshToken) {
  fake().tokens = {"guest.v4", "", absl::Hours(1)};
  auto tokens = client().IssueGuestToken();
  ASSERT_OK(tokens);
  EXPECT_EQ(Tie(*tokens), Tie(fake().tokens));
  EXPECT_EQ(fake().method, "IssueGuestToken");
}

TEST_F(IdentityGrpcTest, RefreshAndLogoutPassTheRefreshToken) {
  fake().tokens = {"access-2", "refresh-2", absl::Seconds(900)};
  auto tokens = client().Refresh("refresh-1");
  ASSERT_OK(tokens);
  EXPECT_EQ(Tie(*tokens), Tie(fake().tokens));
  EXPECT_EQ(fake().method, "Refresh");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"refresh-1"});

  EXPECT_OK(client().Logout("refresh-2"));
  EXPECT_EQ(fake().method, "Logout");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"refresh-2"});
}

TEST_F(IdentityGrpcTest, GetMeReturnsEveryMembershipInOrder) {
  fake().me = {{"u-1", "ana@example.com", "Ana", ""},
               {{"o-1", "Alsa", Role::kOwner},
                {"o-2", "Monbus", Role::kConductor},
                {"o-3", "Avanza", Role::kViewer}}};
  auto me = client().GetMe("u-1");
  ASSERT_OK(me);
  EXPECT_EQ(Tie(*me), Tie(fake().me));
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"u-1"});
}

TEST_F(IdentityGrpcTest, GetMeWithoutMemberships) {
  fake().me = {{"u-1", "ana@example.com", "Ana", "1"}, {}};
  auto me = client().GetMe("u-1");
  ASSERT_OK(me);
  EXPECT_EQ(Tie(*me), Tie(fake().me));
  EXPECT_TRUE(me->memberships.empty());
}

}  // namespace
}  // namespace travio::identity
