#include "services/fulfillment/render/pdf_ticket_renderer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace travio::fulfillment {
namespace {

// A4 in PostScript points.
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 42;
// 7 cm of code: a phone camera reads it from a screen or paper at arm's length.
constexpr double kQrSize = 198;
constexpr int kQuietModules = 4;

constexpr char kFamilies[] = "Noto Sans, Noto Sans Bengali, sans-serif";

struct Rgb {
  double r, g, b;
};
constexpr Rgb kBrand{0.05, 0.33, 0.45};
constexpr Rgb kInk{0.11, 0.13, 0.16};
constexpr Rgb kMuted{0.38, 0.42, 0.47};
constexpr Rgb kRule{0.82, 0.85, 0.88};
constexpr Rgb kWhite{1, 1, 1};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using Context = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void SetColor(cairo_t* cr, Rgb color) { cairo_set_source_rgb(cr, color.r, color.g, color.b); }

// Draws `text` with its top-left corner at (x, y), wrapped at `width` points (0: no wrap);
// returns the height it took.
double Text(cairo_t* cr, std::string_view text, double x, double y, double size, Rgb color,
            bool bold = false, double width = 0) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_from_string(kFamilies);
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  if (width > 0) {
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  } else {
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_NONE);
  }
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  SetColor(cr, color);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout, &w, &h);
  g_object_unref(layout);
  return static_cast<double>(h) / PANGO_SCALE;
}

// A label above its value; returns the height of the pair.
double Field(cairo_t* cr, std::string_view label, std::string_view value, double x, double y,
             double value_size = 15, double width = 0) {
  const double label_height = Text(cr, label, x, y, 8.5, kMuted);
  return label_height + 1 + Text(cr, value, x, y + label_height + 1, value_size, kInk, true, width);
}

absl::Status DrawQr(cairo_t* cr, const std::string& text, double x, double y, double size) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == nullptr) return absl::InternalError("the ticket code does not fit a QR code");
  const int modules = code->width + 2 * kQuietModules;
  const double module = size / modules;
  SetColor(cr, kWhite);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int row = 0; row < code->width; ++row) {
    for (int col = 0; col < code->width; ++col) {
      if ((code->data[row * code->width + col] & 1) == 0) continue;
      // A hair of overlap so PDF viewers show no seams between modules.
      cairo_rectangle(cr, x + (col + kQuietModules) * module, y + (row + kQuietModules) * module,
                      module + 0.05, module + 0.05);
    }
  }
  cairo_fill(cr);
  QRcode_free(code);
  return absl::OkStatus();
}

absl::Status DrawPage(cairo_t* cr, const TicketPage& page) {
  const double inner = kPageWidth - 2 * kMargin;
  // Header band: the operator who carries the traveller, and what this page is.
  SetColor(cr, kBrand);
  cairo_rectangle(cr, 0, 0, kPageWidth, 96);
  cairo_fill(cr);
  Text(cr, page.operator_name, kMargin, 26, 22, kWhite, true, inner - 140);
  Text(cr, "E-TICKET", kPageWidth - kMargin - 120, 30, 16, kWhite, true);
  Text(cr, page.page_label, kPageWidth - kMargin - 120, 54, 10, kWhite);
  Text(cr, absl::StrCat("Booked on Travio  ·  ", page.route), kMargin, 62, 10, kWhite, false,
       inner - 140);

  // The journey.
  double y = 124;
  const double half = inner / 2 - 10;
  Text(cr, "FROM", kMargin, y, 8.5, kMuted);
  Text(cr, "TO", kMargin + inner / 2 + 10, y, 8.5, kMuted);
  const double from_height = Text(cr, page.from, kMargin, y + 13, 20, kInk, true, half);
  const double to_height =
      Text(cr, page.to, kMargin + inner / 2 + 10, y + 13, 20, kInk, true, half);
  y += 13 + std::max(from_height, to_height) + 14;

  SetColor(cr, kRule);
  cairo_rectangle(cr, kMargin, y, inner, 1);
  cairo_fill(cr);
  y += 16;

  // Departure, the facts a traveller looks for first.
  Text(cr, "DEPARTURE", kMargin, y, 8.5, kMuted);
  const double time_height = Text(cr, page.departure_time, kMargin, y + 12, 40, kInk, true);
  Text(cr, page.departure_date, kMargin + 130, y + 20, 15, kInk, true, inner - 130);
  Text(cr, page.departure_zone, kMargin + 130, y + 42, 9.5, kMuted);
  y += 12 + time_height + 4;
  Text(cr, absl::StrCat("Arrives about ", page.arrival), kMargin, y, 10, kMuted);
  y += 26;

  // Passenger, seat and the rest on the left; the code on the right.
  const double qr_x = kPageWidth - kMargin - kQrSize;
  const double qr_y = y;
  const double column = qr_x - kMargin - 16;
  double field_y = y;
  field_y += Field(cr, "PASSENGER", page.passenger, kMargin, field_y, 17, column) + 14;
  const std::string seat =
      page.deck.empty() ? page.seat : absl::StrCat(page.seat, "  (", page.deck, ")");
  field_y += Field(cr, "SEAT", seat, kMargin, field_y, 26, column) + 14;
  field_y += Field(cr, "TICKET NUMBER", page.number, kMargin, field_y, 17, column) + 14;
  field_y += Field(cr, "FARE", page.fare, kMargin, field_y, 13, column) + 12;
  field_y += Field(cr, "BUS", page.bus, kMargin, field_y, 11, column) + 12;
  field_y += Field(cr, "ORDER", page.order_id, kMargin, field_y, 9, column) + 12;

  if (auto drawn = DrawQr(cr, page.qr, qr_x, qr_y, kQrSize); !drawn.ok()) return drawn;
  SetColor(cr, kRule);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, qr_x - 0.5, qr_y - 0.5, kQrSize + 1, kQrSize + 1);
  cairo_stroke(cr);
  Text(cr, "Scan at boarding", qr_x, qr_y + kQrSize + 6, 9.5, kMuted, false, kQrSize);
  Text(cr, page.number, qr_x, qr_y + kQrSize + 20, 12, kInk, true, kQrSize);

  // Terms at the foot of the page.
  y = std::max(field_y, qr_y + kQrSize + 44) + 18;
  SetColor(cr, kRule);
  cairo_rectangle(cr, kMargin, y, inner, 1);
  cairo_fill(cr);
  y += 12;
  Text(cr, "GOOD TO KNOW", kMargin, y, 8.5, kMuted);
  y += 14;
  for (const std::string& term : page.terms) {
    y += Text(cr, absl::StrCat("•  ", term), kMargin, y, 9.5, kInk, false, inner) + 5;
  }
  Text(cr, "Travio e-ticket. The code is signed; a copy of a cancelled ticket does not board.",
       kMargin, kPageHeight - kMargin, 8, kMuted, false, inner);
  return absl::OkStatus();
}

class PdfTicketRenderer final : public TicketRenderer {
 public:
  absl::StatusOr<std::string> RenderPdf(const std::vector<TicketPage>& pages,
                                        const std::string& title) override {
    if (pages.empty()) return absl::InvalidArgumentError("a ticket document needs a page");
    std::string pdf;
    Surface surface(
        cairo_pdf_surface_create_for_stream(AppendToString, &pdf, kPageWidth, kPageHeight));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Travio");
    {
      Context cr(cairo_create(surface.get()));
      for (const TicketPage& page : pages) {
        if (auto drawn = DrawPage(cr.get(), page); !drawn.ok()) return drawn;
        cairo_show_page(cr.get());
      }
      if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
        return absl::InternalError(absl::StrCat("drawing the tickets failed: ",
                                                cairo_status_to_string(cairo_status(cr.get()))));
      }
    }
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
      return absl::InternalError("writing the ticket PDF failed");
    }
    return pdf;
  }
};

}  // namespace

std::unique_ptr<TicketRenderer> MakePdfTicketRenderer() {
  // Safe from several threads at once: each document has its own cairo surface, and pango (since
  // 1.32.6) gives every thread a font map of its own; fontconfig's configuration is loaded once
  // for the process.
  return std::make_unique<PdfTicketRenderer>();
}

}  // namespace travio::fulfillment

// fontconfig keeps its configuration and the font patterns pango asked for until the process
// ends, by design (a cache); LeakSanitizer, in the sanitized builds, would report them at every
// exit of a process that drew a ticket. Only leaks allocated inside libfontconfig are waived.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
