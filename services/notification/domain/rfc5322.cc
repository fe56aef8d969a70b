#include "services/notification/domain/rfc5322.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/base/absl_interop.h"

namespace travio::notification {
namespace {

// Input octets per encoded-word: 39 octets are 52 base64 characters, so with "=?UTF-8?B?" and
// "?=" a word is 64 characters and "Subject: " plus one word stays within 76.
constexpr size_t kWordOctets = 39;

bool IsPrintableAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Whether `name` can stand unquoted as a phrase: atext words separated by spaces.
bool IsPlainPhrase(std::string_view name) {
  for (char c : name) {
    if (absl::ascii_isalnum(c) || c == ' ') continue;
    if (std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// Length of the UTF-8 sequence starting with `lead` (1 for anything unexpected).
size_t SequenceLength(unsigned char lead) {
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 1;
}

}  // namespace

std::string FormatDate(absl::Time time) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const absl::TimeZone::CivilInfo civil = absl::UTCTimeZone().At(time);
  const absl::CivilSecond& s = civil.cs;
  const int weekday = static_cast<int>(absl::GetWeekday(s));  // Monday is 0
  return absl::StrFormat("%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[weekday], s.day(),
                         kMonths[s.month() - 1], s.year(), s.hour(), s.minute(), s.second());
}

std::string EncodeHeaderText(std::string_view text) {
  // "=?" in plain text would read as the start of an encoded-word: encode such text too.
  if (IsPrintableAscii(text) && text.find("=?") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = start;
    while (end < text.size()) {
      const size_t next =
          std::min(end + SequenceLength(static_cast<unsigned char>(text[end])), text.size());
      if (next - start > kWordOctets) break;
      end = next;
    }
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(ToAbsl(text.substr(start, end - start))),
                    "?=");
    start = end;
  }
  return out;
}

std::string FormatMailbox(const Mailbox& mailbox) {
  if (mailbox.display_name.empty()) return mailbox.address;
  std::string name;
  if (!IsPrintableAscii(mailbox.display_name) ||
      mailbox.display_name.find("=?") != std::string::npos) {
    name = EncodeHeaderText(mailbox.display_name);
  } else if (IsPlainPhrase(mailbox.display_name)) {
    name = mailbox.display_name;
  } else {
    name = "\"";
    for (char c : mailbox.display_name) {
      if (c == '"' || c == '\\') name += '\\';
      name += c;
    }
    name += '"';
  }
  return absl::StrCat(name, " <", mailbox.address, ">");
}

std::string ToCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (!out.empty() && !absl::EndsWith(out, "\r\n")) out += "\r\n";
  return out;
}

namespace {

// Base64 in lines of 76 characters (RFC 2045 section 6.8).
std::string Base64Lines(std::string_view bytes) {
  const std::string encoded = absl::Base64Escape(ToAbsl(bytes));
  std::string out;
  out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&out, absl::string_view(encoded).substr(i, 76), "\r\n");
  }
  return out;
}

std::string TextPart(const std::string& text) {
  return absl::StrCat("Content-Type: text/plain; charset=utf-8\r\n",
                      "Content-Transfer-Encoding: 8bit\r\n\r\n", ToCrlf(text));
}

std::string HtmlPart(const std::string& html) {
  return absl::StrCat("Content-Type: text/html; charset=utf-8\r\n",
                      "Content-Transfer-Encoding: base64\r\n\r\n", Base64Lines(html));
}

std::string AttachmentPart(const Attachment& attachment) {
  // File names are plain tokens (ValidateExtras), so they need no quoting rules beyond quotes.
  return absl::StrCat("Content-Type: ", attachment.content_type, "; name=\"", attachment.filename,
                      "\"\r\n", "Content-Disposition: attachment; filename=\"", attachment.filename,
                      "\"\r\n", "Content-Transfer-Encoding: base64\r\n\r\n",
                      Base64Lines(attachment.bytes));
}

// Parts joined under `boundary`, and the boundary's closing line.
std::string Multipart(const std::string& boundary, const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) absl::StrAppend(&out, "--", boundary, "\r\n", part);
  absl::StrAppend(&out, "--", boundary, "--\r\n");
  return out;
}

// A boundary no part contains: base64 never holds "=_", and the 8bit text is checked.
std::string Boundary(const Email& email, const std::string& kind) {
  std::string boundary = absl::StrCat("=_travio_", kind, "_", email.message_id.substr(0, 36));
  while (email.text_body.find(boundary) != std::string::npos) boundary += "_";
  return boundary;
}

}  // namespace

std::string RenderMessage(const Email& email) {
  std::string out;
  absl::StrAppend(&out, "Date: ", FormatDate(email.date), "\r\n");
  absl::StrAppend(&out, "From: ", FormatMailbox(email.from), "\r\n");
  absl::StrAppend(&out, "To: ", email.to, "\r\n");
  absl::StrAppend(&out, "Subject: ", EncodeHeaderText(email.subject), "\r\n");
  absl::StrAppend(&out, "Message-ID: <", email.message_id, ">\r\n");
  out += "MIME-Version: 1.0\r\n";
  // The body: the text, with its HTML alternative, with the attachments after it.
  std::string body_headers;
  std::string body;
  if (email.html_body.empty()) {
    body = TextPart(email.text_body);
  } else {
    const std::string boundary = Boundary(email, "alt");
    body =
        absl::StrCat("Content-Type: multipart/alternative; boundary=\"", boundary, "\"\r\n\r\n",
                     Multipart(boundary, {TextPart(email.text_body), HtmlPart(email.html_body)}));
  }
  if (!email.attachments.empty()) {
    const std::string boundary = Boundary(email, "mix");
    std::vector<std::string> parts = {body};
    for (const Attachment& attachment : email.attachments)
      parts.push_back(AttachmentPart(attachment));
    body = absl::StrCat("Content-Type: multipart/mixed; boundary=\"", boundary, "\"\r\n\r\n",
                        Multipart(boundary, parts));
  }
  out += body;
  return out;
}

}  // namespace travio::notification
