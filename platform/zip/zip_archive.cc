#include "platform/zip/zip_archive.h"

#include <zip.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace travio::zip {
namespace {

struct SourceFree {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};
using SourcePtr = std::unique_ptr<zip_source_t, SourceFree>;

// Dropping an archive without writing it: every early return of an error path.
struct ArchiveDiscard {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ArchivePtr = std::unique_ptr<zip_t, ArchiveDiscard>;

struct FileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using FilePtr = std::unique_ptr<zip_file_t, FileClose>;

// A zip_error_t that is released however the function returns.
class ZipError {
 public:
  ZipError() { zip_error_init(&error_); }
  ~ZipError() { zip_error_fini(&error_); }
  ZipError(const ZipError&) = delete;
  ZipError& operator=(const ZipError&) = delete;

  zip_error_t* get() { return &error_; }
  int code() const { return zip_error_code_zip(&error_); }
  std::string message() { return zip_error_strerror(&error_); }

 private:
  zip_error_t error_;
};

// What libzip reports about an archive being read: the input's fault, unless memory ran out.
absl::Status ReadError(int zip_code, std::string_view what, const std::string& message) {
  const std::string text = absl::StrCat(std::string(what), ": ", message);
  return zip_code == ZIP_ER_MEMORY ? absl::InternalError(text) : absl::InvalidArgumentError(text);
}

// The end-of-central-directory record alone. libzip writes nothing at all for an archive
// without entries (it removes the output), which no unzip tool accepts.
constexpr char kEmptyArchive[22] = {'P', 'K', 5, 6};

// Reads a libzip source from its start to its end.
absl::StatusOr<std::string> ReadSource(zip_source_t* source) {
  if (zip_source_open(source) != 0) {
    return absl::InternalError(absl::StrCat("zip: cannot open the written archive: ",
                                            zip_error_strerror(zip_source_error(source))));
  }
  std::string bytes;
  char chunk[64 * 1024];
  zip_int64_t count = 0;
  while ((count = zip_source_read(source, chunk, sizeof chunk)) > 0) {
    bytes.append(chunk, static_cast<size_t>(count));
  }
  const std::string failure = count < 0 ? zip_error_strerror(zip_source_error(source)) : "";
  zip_source_close(source);
  if (count < 0) {
    return absl::InternalError(absl::StrCat("zip: cannot read the written archive: ", failure));
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::string> ZipFiles(const std::map<std::string, std::string>& files) {
  for (const auto& [name, content] : files) {
    if (name.empty()) return absl::InvalidArgumentError("zip: a file name is empty.");
  }
  if (files.empty()) return std::string(kEmptyArchive, sizeof kEmptyArchive);

  ZipError error;
  // The archive is written into this growing in-memory buffer.
  SourcePtr output(zip_source_buffer_create(nullptr, 0, 0, error.get()));
  if (output == nullptr) {
    return absl::InternalError(absl::StrCat("zip: cannot create a buffer: ", error.message()));
  }
  ArchivePtr archive(zip_open_from_source(output.get(), ZIP_TRUNCATE, error.get()));
  if (archive == nullptr) {
    return absl::InternalError(absl::StrCat("zip: cannot start an archive: ", error.message()));
  }
  // The archive took our reference to the buffer and drops it on close; keep one more to read
  // the bytes afterwards.
  zip_source_keep(output.get());

  for (const auto& [name, content] : files) {
    // Not copied: libzip reads `content` during zip_close, while `files` is still alive.
    zip_source_t* entry = zip_source_buffer(archive.get(), content.data(), content.size(), 0);
    if (entry == nullptr) {
      return absl::InternalError(
          absl::StrCat("zip: cannot add ", name, ": ", zip_strerror(archive.get())));
    }
    if (zip_file_add(archive.get(), name.c_str(), entry, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(entry);  // still ours when adding fails
      return absl::InternalError(
          absl::StrCat("zip: cannot add ", name, ": ", zip_strerror(archive.get())));
    }
  }

  // zip_close compresses and writes everything; on failure the archive stays open and is
  // discarded by `archive`.
  if (zip_close(archive.get()) != 0) {
    return absl::InternalError(
        absl::StrCat("zip: cannot write the archive: ", zip_strerror(archive.get())));
  }
  archive.release();  // closed and freed by zip_close
  return ReadSource(output.get());
}

absl::StatusOr<std::map<std::string, std::string>> UnzipFiles(std::string_view archive) {
  // libzip opens a zero-length input as a new, empty archive; here it is simply not one.
  if (archive.empty()) return absl::InvalidArgumentError("unzip: the input is empty.");

  ZipError error;
  SourcePtr input(zip_source_buffer_create(archive.data(), archive.size(), 0, error.get()));
  if (input == nullptr) {
    return absl::InternalError(absl::StrCat("unzip: cannot create a buffer: ", error.message()));
  }
  ArchivePtr zip(zip_open_from_source(input.get(), ZIP_RDONLY | ZIP_CHECKCONS, error.get()));
  if (zip == nullptr)
    return ReadError(error.code(), "unzip: cannot open the archive", error.message());
  input.release();  // owned by the archive now

  std::map<std::string, std::string> files;
  const zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  for (zip_int64_t index = 0; index < entries; ++index) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip.get(), index, 0, &stat) != 0 || !(stat.valid & ZIP_STAT_NAME)) {
      zip_error_t* failure = zip_get_error(zip.get());
      return ReadError(zip_error_code_zip(failure), "unzip: unreadable entry",
                       zip_error_strerror(failure));
    }
    const std::string name = stat.name;
    if (name.empty() || name.back() == '/') continue;  // a directory
    if (files.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat("unzip: two entries named ", name));
    }

    FilePtr file(zip_fopen_index(zip.get(), index, 0));
    if (file == nullptr) {
      zip_error_t* failure = zip_get_error(zip.get());
      return ReadError(zip_error_code_zip(failure), absl::StrCat("unzip: cannot open ", name),
                       zip_error_strerror(failure));
    }
    std::string content;
    char chunk[64 * 1024];
    zip_int64_t count = 0;
    // Read to the end rather than trusting the recorded size: libzip checks the CRC there.
    while ((count = zip_fread(file.get(), chunk, sizeof chunk)) > 0) {
      content.append(chunk, static_cast<size_t>(count));
    }
    if (count < 0) {
      zip_error_t* failure = zip_file_get_error(file.get());
      return ReadError(zip_error_code_zip(failure), absl::StrCat("unzip: cannot read ", name),
                       zip_error_strerror(failure));
    }
    files.emplace(name, std::move(content));
  }
  return files;
}

}  // namespace travio::zip
