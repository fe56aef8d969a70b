// The DocumentStorage contract on files in a directory, and what only files promise: private
// modes and no temporary files left behind.
#include "services/fulfillment/storage/document_storage_contract.h"

#include <sys/stat.h>

#include <thread>

#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/fulfillment/storage/files/file_document_storage.h"

namespace travio::fulfillment {
namespace {

namespace fs = std::filesystem;

class FileHarness {
 public:
  static std::unique_ptr<DocumentStorage> Make() {
    // One directory per storage, kept until the test binary exits.
    static std::vector<std::unique_ptr<testing::TempDir>> dirs;
    dirs.push_back(std::make_unique<testing::TempDir>("travio-documents"));
    return MakeFileDocumentStorage(dirs.back()->path() / "documents");
  }
};

INSTANTIATE_TEST_SUITE_P(Files, DocumentStorageContract,
                         ::testing::Values(DocumentStorageAdapter{"Files", FileHarness::Make}),
                         PrintStorageName);

TEST(FileDocumentStorageTest, FilesAndDirectoriesArePrivateAndNoTemporaryFileStays) {
  testing::TempDir dir;
  auto storage = MakeFileDocumentStorage(dir.path() / "documents");
  ASSERT_OK(storage->Put("orders/org/order/tickets-1.pdf", "%PDF-1.5", "application/pdf"));
  const fs::path file = dir.path() / "documents/orders/org/order/tickets-1.pdf";
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  for (fs::path p = file.parent_path(); p != dir.path(); p = p.parent_path()) {
    ASSERT_EQ(::stat(p.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u) << p;
  }
  int entries = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "documents")) {
    if (entry.is_regular_file()) ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(FileDocumentStorageTest, DirectoriesAboveTheRootAreLeftAlone) {
  testing::TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  // A root spelled with a trailing slash and a dot is the same root.
  auto storage = MakeFileDocumentStorage(fs::path(dir.path().string() + "/./documents/"));
  ASSERT_OK(storage->Put("orders/org/order/tickets-1.pdf", "%PDF-1.5", "application/pdf"));
  struct stat info {};
  ASSERT_EQ(::stat(dir.path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0755u);
  ASSERT_OK_AND_ASSIGN(std::string read, storage->Get("orders/org/order/tickets-1.pdf"));
  EXPECT_EQ(read, "%PDF-1.5");
}

// Writers racing on one key leave one of their documents whole (S3 promises this of itself; the
// test server, s3rver, writes objects in place, so this is checked on files only).
TEST(FileDocumentStorageTest, ConcurrentWritersOfOneKeyLeaveOneWholeDocument) {
  auto storage = FileHarness::Make();
  std::string first(200'000, 'a');
  std::string second(200'000, 'b');
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&, i] {
      EXPECT_OK(storage->Put("race/doc.pdf", i % 2 == 0 ? first : second, "application/pdf"));
    });
  }
  for (std::thread& writer : writers) writer.join();
  ASSERT_OK_AND_ASSIGN(std::string got, storage->Get("race/doc.pdf"));
  EXPECT_TRUE(got == first || got == second) << "a document mixed of two writes";
}

}  // namespace
}  // namespace travio::fulfillment
