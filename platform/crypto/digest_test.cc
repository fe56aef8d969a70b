#include "platform/crypto/digest.h"

#include <gtest/gtest.h>

#include "platform/crypto/encoding.h"

namespace travio::crypto {
namespace {

// FIPS 180-2's examples.
TEST(Sha256, MatchesTheStandardsExamples) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace travio::crypto
