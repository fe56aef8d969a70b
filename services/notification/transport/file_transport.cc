#include "services/notification/transport/file_transport.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "services/notification/transport/whole_file.h"

namespace travio::notification {

namespace fs = std::filesystem;

namespace {

class FileTransport final : public EmailTransport {
 public:
  explicit FileTransport(fs::path directory) : directory_(std::move(directory)) {}

  std::string_view name() const override { return "file"; }

  absl::Status Deliver(const OutgoingMessage& message) override {
    return WriteWholeFile(directory_, EmlFileName(message), message.data,
                          reasons::kEmailTransportFailed);
  }

 private:
  fs::path directory_;
};

}  // namespace

std::string EmlFileName(const OutgoingMessage& message) {
  return absl::StrCat(absl::FormatTime("%Y%m%dT%H%M%S", message.date, absl::UTCTimeZone()), "-",
                      message.message_id, ".eml");
}

std::shared_ptr<EmailTransport> MakeFileTransport(std::filesystem::path directory) {
  return std::make_shared<FileTransport>(std::move(directory));
}

}  // namespace travio::notification
