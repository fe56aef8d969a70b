#include "services/fulfillment/render/pdf_ticket_renderer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/pdf/document.h"

namespace travio::fulfillment {
namespace {

using pdf::kBrand;
using pdf::kInk;
using pdf::kMuted;
using pdf::kRule;
using pdf::kWhite;
using pdf::TextStyle;

constexpr double kPageWidth = pdf::kA4Width;
constexpr double kPageHeight = pdf::kA4Height;
constexpr double kMargin = 42;
// 7 cm of code: a phone camera reads it from a screen or paper at arm's length.
constexpr double kQrSize = 198;

// A label above its value; returns the height of the pair.
double Field(pdf::Document& doc, std::string_view label, std::string_view value, double x, double y,
             double value_size = 15, double width = 0) {
  const double label_height = doc.Text(label, x, y, {.size = 8.5, .color = kMuted});
  return label_height + 1 +
         doc.Text(value, x, y + label_height + 1,
                  {.size = value_size, .color = kInk, .bold = true, .width = width});
}

absl::Status DrawPage(pdf::Document& doc, const TicketPage& page) {
  const double inner = kPageWidth - 2 * kMargin;
  const TextStyle label{.size = 8.5, .color = kMuted};
  // Header band: the operator who carries the traveller, and what this page is.
  doc.Fill(0, 0, kPageWidth, 96, kBrand);
  doc.Text(page.operator_name, kMargin, 26,
           {.size = 22, .color = kWhite, .bold = true, .width = inner - 140});
  doc.Text("E-TICKET", kPageWidth - kMargin - 120, 30, {.size = 16, .color = kWhite, .bold = true});
  doc.Text(page.page_label, kPageWidth - kMargin - 120, 54, {.size = 10, .color = kWhite});
  doc.Text(absl::StrCat("Booked on Travio  ·  ", page.route), kMargin, 62,
           {.size = 10, .color = kWhite, .width = inner - 140});

  // The journey.
  double y = 124;
  const double half = inner / 2 - 10;
  doc.Text("FROM", kMargin, y, label);
  doc.Text("TO", kMargin + inner / 2 + 10, y, label);
  const TextStyle place{.size = 20, .color = kInk, .bold = true, .width = half};
  const double from_height = doc.Text(page.from, kMargin, y + 13, place);
  const double to_height = doc.Text(page.to, kMargin + inner / 2 + 10, y + 13, place);
  y += 13 + std::max(from_height, to_height) + 14;

  doc.Fill(kMargin, y, inner, 1, kRule);
  y += 16;

  // Departure, the facts a traveller looks for first.
  doc.Text("DEPARTURE", kMargin, y, label);
  const double time_height =
      doc.Text(page.departure_time, kMargin, y + 12, {.size = 40, .color = kInk, .bold = true});
  doc.Text(page.departure_date, kMargin + 130, y + 20,
           {.size = 15, .color = kInk, .bold = true, .width = inner - 130});
  doc.Text(page.departure_zone, kMargin + 130, y + 42, {.size = 9.5, .color = kMuted});
  y += 12 + time_height + 4;
  doc.Text(absl::StrCat("Arrives about ", page.arrival), kMargin, y, {.size = 10, .color = kMuted});
  y += 26;

  // Passenger, seat and the rest on the left; the code on the right.
  const double qr_x = kPageWidth - kMargin - kQrSize;
  const double qr_y = y;
  const double column = qr_x - kMargin - 16;
  double field_y = y;
  field_y += Field(doc, "PASSENGER", page.passenger, kMargin, field_y, 17, column) + 14;
  const std::string seat =
      page.deck.empty() ? page.seat : absl::StrCat(page.seat, "  (", page.deck, ")");
  field_y += Field(doc, "SEAT", seat, kMargin, field_y, 26, column) + 14;
  field_y += Field(doc, "TICKET NUMBER", page.number, kMargin, field_y, 17, column) + 14;
  field_y += Field(doc, "FARE", page.fare, kMargin, field_y, 13, column) + 12;
  field_y += Field(doc, "BUS", page.bus, kMargin, field_y, 11, column) + 12;
  field_y += Field(doc, "ORDER", page.order_id, kMargin, field_y, 9, column) + 12;

  if (auto drawn = doc.Qr(page.qr, qr_x, qr_y, kQrSize); !drawn.ok()) {
    return absl::InternalError("the ticket code does not fit a QR code");
  }
  doc.Outline(qr_x - 0.5, qr_y - 0.5, kQrSize + 1, kQrSize + 1, kRule, 1);
  doc.Text("Scan at boarding", qr_x, qr_y + kQrSize + 6,
           {.size = 9.5, .color = kMuted, .width = kQrSize});
  doc.Text(page.number, qr_x, qr_y + kQrSize + 20,
           {.size = 12, .color = kInk, .bold = true, .width = kQrSize});

  // Terms at the foot of the page.
  y = std::max(field_y, qr_y + kQrSize + 44) + 18;
  doc.Fill(kMargin, y, inner, 1, kRule);
  y += 12;
  doc.Text("GOOD TO KNOW", kMargin, y, label);
  y += 14;
  for (const std::string& term : page.terms) {
    y += doc.Text(absl::StrCat("•  ", term), kMargin, y,
                  {.size = 9.5, .color = kInk, .width = inner}) +
         5;
  }
  doc.Text("Travio e-ticket. The code is signed; a copy of a cancelled ticket does not board.",
           kMargin, kPageHeight - kMargin, {.size = 8, .color = kMuted, .width = inner});
  return absl::OkStatus();
}

class PdfTicketRenderer final : public TicketRenderer {
 public:
  absl::StatusOr<std::string> RenderPdf(const std::vector<TicketPage>& pages,
                                        const std::string& title) override {
    if (pages.empty()) return absl::InvalidArgumentError("a ticket document needs a page");
    std::unique_ptr<pdf::Document> doc = pdf::Document::Create(title);
    for (size_t i = 0; i < pages.size(); ++i) {
      if (i > 0) doc->NextPage();
      if (auto drawn = DrawPage(*doc, pages[i]); !drawn.ok()) return drawn;
    }
    return doc->Finish();
  }
};

}  // namespace

std::unique_ptr<TicketRenderer> MakePdfTicketRenderer() {
  // Thread-safe: each document is drawn on its own (platform/pdf).
  return std::make_unique<PdfTicketRenderer>();
}

}  // namespace travio::fulfillment
