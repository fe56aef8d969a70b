#include "platform/zip/zip_archive.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "platform/testing/status_matchers.h"

namespace travio::zip {
namespace {

// Bytes that deflate barely shrinks, so the archive really holds a megabyte.
std::string NoisyBytes(size_t size) {
  std::string bytes(size, '\0');
  uint32_t state = 2463534242u;
  for (char& byte : bytes) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<char>(state);
  }
  return bytes;
}

TEST(ZipArchiveTest, RoundTripsTextEmptyAndLargeFiles) {
  const std::map<std::string, std::string> files = {
      {"agency.txt", "agency_id,agency_name\norg-1,\"Green Line, Dhaka\"\n"},
      {"calendar.txt", ""},
      {"blob.bin", NoisyBytes(1 << 20)},
  };
  const absl::StatusOr<std::string> archive = ZipFiles(files);
  ASSERT_OK(archive);
  EXPECT_EQ(archive->substr(0, 4), "PK\x03\x04");

  const absl::StatusOr<std::map<std::string, std::string>> unzipped = UnzipFiles(*archive);
  ASSERT_OK(unzipped);
  EXPECT_EQ(*unzipped, files);
}

TEST(ZipArchiveTest, AnEmptyMapIsAnEmptyArchive) {
  const absl::StatusOr<std::string> archive = ZipFiles({});
  ASSERT_OK(archive);
  const absl::StatusOr<std::map<std::string, std::string>> unzipped = UnzipFiles(*archive);
  ASSERT_OK(unzipped);
  EXPECT_TRUE(unzipped->empty());
}

TEST(ZipArchiveTest, RefusesAFileWithoutName) {
  EXPECT_EQ(ZipFiles({{"", "x"}}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ZipArchiveTest, GarbageIsNotAnArchive) {
  EXPECT_EQ(UnzipFiles("this is not a zip archive, just some text").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UnzipFiles("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ZipArchiveTest, TruncatedOrCorruptedArchivesAreErrors) {
  const std::string archive = *ZipFiles({{"stops.txt", NoisyBytes(4096)}});
  EXPECT_EQ(UnzipFiles(std::string_view(archive).substr(0, archive.size() / 2)).status().code(),
            absl::StatusCode::kInvalidArgument);

  // A flipped byte in the middle of the compressed data fails the CRC (or inflation).
  std::string corrupted = archive;
  corrupted[100] = static_cast<char>(corrupted[100] ^ 0xff);
  EXPECT_EQ(UnzipFiles(corrupted).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace travio::zip
