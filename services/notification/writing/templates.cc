#include "services/notification/writing/templates.h"

#include <map>
#include <mstch/mstch.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "services/notification/domain/locale_format.h"
#include "services/notification/writing/message_data.h"

namespace travio::notification {

// templates_embedded.cc, generated from services/notification/templates/ (cmake/EmbedFiles.cmake).
const std::map<std::string, std::string>& EmbeddedTemplates();

namespace {

const std::string* Find(std::string_view kind, std::string_view locale, std::string_view part) {
  const auto& files = EmbeddedTemplates();
  auto found =
      files.find(absl::StrCat(std::string(kind), "/", std::string(locale), ".", std::string(part)));
  if (found == files.end() && locale != "en") {
    found = files.find(absl::StrCat(std::string(kind), "/en.", std::string(part)));
  }
  return found == files.end() ? nullptr : &found->second;
}

mstch::node ToNode(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mstch::map map;
      for (const auto& [key, member] : value.items()) map.emplace(key, ToNode(member));
      return map;
    }
    case nlohmann::json::value_t::array: {
      mstch::array array;
      for (const nlohmann::json& member : value) array.push_back(ToNode(member));
      return array;
    }
    case nlohmann::json::value_t::string:
      return value.get<std::string>();
    case nlohmann::json::value_t::boolean:
      return value.get<bool>();
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return std::to_string(value.get<int64_t>());
    case nlohmann::json::value_t::number_float:
      return value.get<double>();
    default:
      return std::string();
  }
}

std::string Render(const std::string* source, const mstch::node& context,
                   const std::map<std::string, std::string>& partials) {
  if (source == nullptr) return {};
  return mstch::render(*source, context, partials);
}

}  // namespace

bool HasTemplate(std::string_view kind) { return Find(kind, "en", "subject") != nullptr; }

absl::StatusOr<RenderedMessage> RenderTemplate(std::string_view kind, std::string_view locale,
                                               const nlohmann::json& data) {
  if (kind.empty() || kind.find('/') != std::string_view::npos || !HasTemplate(kind)) {
    return Error(reasons::kUnknownTemplate, "No message template of that kind.");
  }
  if (!data.is_object()) return Error(reasons::kInvalidNotice, "Template data is an object.");
  const std::string lang = SupportedLocale(locale);
  nlohmann::json context = data;
  context["locale"] = lang;
  RenderedMessage message;
  message.subject = std::string(
      absl::StripAsciiWhitespace(Render(Find(kind, lang, "subject"), ToNode(context), {})));
  // A subject is one line, whatever a value held.
  for (char& c : message.subject) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  context["subject"] = message.subject;
  const mstch::node node = ToNode(context);
  message.text = Render(Find(kind, lang, "txt"), node, {});
  std::map<std::string, std::string> partials;
  if (const std::string* header = Find("partials", lang, "header")) partials["header"] = *header;
  if (const std::string* footer = Find("partials", lang, "footer")) partials["footer"] = *footer;
  message.html = Render(Find(kind, lang, "html"), node, partials);
  message.sms = std::string(absl::StripAsciiWhitespace(Render(Find(kind, lang, "sms"), node, {})));
  return message;
}

namespace {

class TemplateWriter final : public MessageWriter {
 public:
  bool IsNoticeKind(std::string_view kind) const override {
    return kind != "org_invite" && HasTemplate(kind);
  }
  absl::StatusOr<RenderedMessage> Write(std::string_view kind, std::string_view locale,
                                        std::string_view data) const override {
    if (!HasTemplate(kind))
      return Error(reasons::kUnknownTemplate, "No message template of that kind.");
    const nlohmann::json parsed = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
    absl::StatusOr<nlohmann::json> context = TemplateData(kind, locale, parsed);
    if (!context.ok()) return context.status();
    return RenderTemplate(kind, locale, *context);
  }
  absl::StatusOr<RenderedMessage> WriteFields(
      std::string_view kind, std::string_view locale,
      const std::map<std::string, std::string>& fields) const override {
    nlohmann::json data = nlohmann::json::object();
    for (const auto& [name, value] : fields) data[name] = value;
    return Write(kind, locale, data.dump());
  }
};

}  // namespace

std::unique_ptr<MessageWriter> MakeTemplateWriter() { return std::make_unique<TemplateWriter>(); }

}  // namespace travio::notification
