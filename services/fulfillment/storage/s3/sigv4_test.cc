// AWS Signature V4 against the worked example of Amazon's S3 documentation ("Signature
// Calculations for the Authorization Header", GET Object with a Range header).
#include "services/fulfillment/storage/s3/sigv4.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "platform/testing/command.h"
#include "platform/testing/temp_dir.h"

namespace travio::fulfillment {
namespace {

constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigV4Request GetObjectExample() {
  return {.method = "GET",
          .path = "/test.txt",
          .query = {},
          .headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                      {"Range", "bytes=0-9"},
                      {"x-amz-content-sha256", kEmptySha256},
                      {"x-amz-date", "20130524T000000Z"}},
          .payload_sha256 = kEmptySha256};
}

const SigV4Credentials kExampleCredentials{.access_key = "AKIAIOSFODNN7EXAMPLE",
                                           .secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                           .region = "us-east-1"};
// 2013-05-24T00:00:00Z.
const absl::Time kExampleTime = absl::FromUnixSeconds(1'369'353'600);

TEST(SigV4Test, CanonicalRequestOfTheDocumentedExample) {
  EXPECT_EQ(CanonicalRequest(GetObjectExample()),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" +
                std::string(kEmptySha256) +
                "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
                kEmptySha256);
  EXPECT_EQ(crypto::HexEncode(crypto::Sha256(CanonicalRequest(GetObjectExample()))),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
}

TEST(SigV4Test, AuthorizationOfTheDocumentedExample) {
  EXPECT_EQ(AuthorizationHeader(GetObjectExample(), kExampleCredentials, kExampleTime),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, DateAndEncoding) {
  EXPECT_EQ(AmzDate(kExampleTime), "20130524T000000Z");
  EXPECT_EQ(UriEncode("orders/a b/ticket~1.pdf", true), "orders/a%20b/ticket~1.pdf");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(UriEncode("ক", true), "%E0%A6%95");
}

// The request the S3 adapter sends for a ticket PDF, signed by us and by botocore (the AWS SDK's
// signer, tests/support/sigv4_reference.py): the same header, byte for byte.
TEST(SigV4Test, AgreesWithBotocoreOnAnUpload) {
  const std::string body = "%PDF-1.5 a ticket";
  const std::string payload_sha256 = crypto::HexEncode(crypto::Sha256(body));
  const absl::Time at = absl::FromUnixSeconds(1'797'784'200);
  const SigV4Request request{
      .method = "PUT",
      .path = "/travio-tickets/orders/0193f1c2-7a10/0193f1d0-0a1b/tickets-2.pdf",
      .query = {},
      .headers = {{"host", "127.0.0.1:4569"},
                  {"x-amz-date", AmzDate(at)},
                  {"x-amz-content-sha256", payload_sha256},
                  {"content-type", "application/pdf"}},
      .payload_sha256 = payload_sha256};
  const SigV4Credentials credentials{
      .access_key = "AKIDTRAVIO", .secret_key = "c2VjcmV0/+key", .region = "ap-south-1"};
  const nlohmann::json spec = {{"method", request.method},
                               {"url", "http://127.0.0.1:4569" + request.path},
                               {"headers", request.headers},
                               {"body", body},
                               {"access_key", credentials.access_key},
                               {"secret_key", credentials.secret_key},
                               {"region", credentials.region},
                               {"amz_date", AmzDate(at)}};
  testing::TempDir dir;
  const auto input = dir / "request.json";
  std::ofstream(input) << spec.dump();
  auto [rc, reference] = testing::RunCommand("/usr/bin/python3 " TRAVIO_SOURCE_DIR
                                             "/tests/support/sigv4_reference.py < " +
                                             input.string());
  ASSERT_EQ(rc, 0) << "is python3-botocore installed? run scripts/bootstrap";
  EXPECT_EQ(AuthorizationHeader(request, credentials, at),
            std::string(absl::StripTrailingAsciiWhitespace(reference)));
}

}  // namespace
}  // namespace travio::fulfillment
