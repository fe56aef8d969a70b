#include "services/subscription/render/pdf_invoice_renderer.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "platform/pdf/document.h"

namespace travio::subscription {
namespace {

using pdf::kBrand;
using pdf::kInk;
using pdf::kMuted;
using pdf::kRule;
using pdf::kWhite;
using pdf::TextStyle;

constexpr double kMargin = 42;
constexpr double kInner = pdf::kA4Width - 2 * kMargin;
// The table's columns: what, how many, at what, how much.
constexpr double kQuantityX = kMargin + 290;
constexpr double kUnitX = kMargin + 330;
constexpr double kAmountX = kMargin + 420;
constexpr double kNumberWidth = kInner - 420;

// "1 December 2026" in `zone`.
std::string Day(absl::Time time, const absl::TimeZone& zone) {
  std::string day = absl::FormatTime("%d %B %Y", time, zone);
  if (day.starts_with("0")) day.erase(0, 1);
  return day;
}

std::string Amount(int64_t minor_units, const std::string& currency) {
  return absl::StrCat(currency, " ", FormatAmount(minor_units));
}

// A label above its value; returns the height of the pair.
double Field(pdf::Document& doc, std::string_view label, std::string_view value, double x, double y,
             double width) {
  const double label_height = doc.Text(label, x, y, {.size = 8.5, .color = kMuted});
  return label_height + 1 +
         doc.Text(value, x, y + label_height + 1,
                  {.size = 12, .color = kInk, .bold = true, .width = width});
}

class PdfInvoiceRenderer final : public InvoiceRenderer {
 public:
  absl::StatusOr<std::string> RenderPdf(const InvoiceSheet& sheet) override {
    const InvoiceView& invoice = sheet.invoice;
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(sheet.time_zone, &zone)) zone = absl::UTCTimeZone();
    std::unique_ptr<pdf::Document> doc =
        pdf::Document::Create(absl::StrCat("Invoice ", invoice.number));

    // The band: who issues it, and what it is.
    doc->Fill(0, 0, pdf::kA4Width, 96, kBrand);
    doc->Text(sheet.issuer, kMargin, 26,
              {.size = 22, .color = kWhite, .bold = true, .width = kInner - 190});
    doc->Text("INVOICE", kMargin, 26,
              {.size = 16, .color = kWhite, .bold = true, .width = kInner, .align_right = true});
    doc->Text(invoice.number, kMargin, 52,
              {.size = 11, .color = kWhite, .width = kInner, .align_right = true});

    // To whom, when, for what.
    double y = 124;
    const double half = kInner / 2 - 10;
    const double left = Field(*doc, "BILLED TO", sheet.customer, kMargin, y, half);
    const double right =
        Field(*doc, "ISSUED", Day(invoice.issued_at, zone), kMargin + kInner / 2 + 10, y, half);
    y += std::max(left, right) + 14;
    const std::string period = absl::StrCat(Day(invoice.period_start, zone), " to ",
                                            Day(invoice.period_end - absl::Seconds(1), zone));
    const double period_height = Field(*doc, "PERIOD", period, kMargin, y, half);
    std::string plan = invoice.plan;
    if (!plan.empty())
      plan[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(plan[0])));
    const double plan_height = Field(*doc, "PLAN", plan, kMargin + kInner / 2 + 10, y, half);
    y += std::max(period_height, plan_height) + 28;

    // The lines.
    const TextStyle head{.size = 8.5, .color = kMuted};
    doc->Text("DESCRIPTION", kMargin, y, head);
    doc->Text("QTY", kQuantityX - 40, y,
              {.size = 8.5, .color = kMuted, .width = 70, .align_right = true});
    doc->Text("UNIT", kUnitX, y,
              {.size = 8.5, .color = kMuted, .width = kAmountX - kUnitX - 10, .align_right = true});
    doc->Text("AMOUNT", kAmountX, y,
              {.size = 8.5, .color = kMuted, .width = kNumberWidth, .align_right = true});
    y += 14;
    doc->Fill(kMargin, y, kInner, 1, kRule);
    y += 8;
    for (const InvoiceLine& line : invoice.lines) {
      const double height =
          doc->Text(line.description, kMargin, y,
                    {.size = 10.5, .color = kInk, .width = kQuantityX - 50 - kMargin});
      doc->Text(absl::StrCat(line.quantity), kQuantityX - 40, y,
                {.size = 10.5, .color = kInk, .width = 70, .align_right = true});
      doc->Text(
          Amount(line.unit_amount, invoice.currency), kUnitX, y,
          {.size = 10.5, .color = kInk, .width = kAmountX - kUnitX - 10, .align_right = true});
      doc->Text(Amount(line.amount, invoice.currency), kAmountX, y,
                {.size = 10.5, .color = kInk, .width = kNumberWidth, .align_right = true});
      y += height + 8;
      doc->Fill(kMargin, y, kInner, 0.5, kRule);
      y += 8;
    }
    if (invoice.lines.empty()) {
      y += doc->Text("Nothing to bill for this period.", kMargin, y,
                     {.size = 10.5, .color = kMuted}) +
           16;
    }

    // The total.
    y += 6;
    doc->Text("TOTAL", kUnitX, y + 4,
              {.size = 10, .color = kMuted, .width = kAmountX - kUnitX - 10, .align_right = true});
    doc->Text(
        Amount(invoice.total, invoice.currency), kAmountX - 60, y,
        {.size = 16, .color = kInk, .bold = true, .width = kNumberWidth + 60, .align_right = true});

    doc->Text(absl::StrCat("Amounts in ", invoice.currency,
                           " for the use of Travio's ticketing platform. Invoice ", invoice.number,
                           ", ", invoice.id, "."),
              kMargin, pdf::kA4Height - kMargin, {.size = 8, .color = kMuted, .width = kInner});
    return doc->Finish();
  }
};

}  // namespace

std::unique_ptr<InvoiceRenderer> MakePdfInvoiceRenderer() {
  return std::make_unique<PdfInvoiceRenderer>();
}

}  // namespace travio::subscription
