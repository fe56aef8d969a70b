#include "platform/pdf/document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "absl/strings/str_cat.h"

namespace travio::pdf {
namespace {

constexpr char kFamilies[] = "Noto Sans, Noto Sans Bengali, sans-serif";
constexpr int kQuietModules = 4;

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

class CairoDocument final : public Document {
 public:
  explicit CairoDocument(const std::string& title)
      : surface_(
            cairo_pdf_surface_create_for_stream(AppendToString, &bytes_, kA4Width, kA4Height)) {
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "Travio");
    cr_.reset(cairo_create(surface_.get()));
  }

  double Text(std::string_view text, double x, double y, const TextStyle& style) override {
    PangoLayout* layout = pango_cairo_create_layout(cr_.get());
    PangoFontDescription* font = pango_font_description_from_string(kFamilies);
    pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    if (style.width > 0) {
      pango_layout_set_width(layout, static_cast<int>(style.width * PANGO_SCALE));
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
      if (style.align_right) pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
    } else {
      pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_NONE);
    }
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    SetColor(style.color);
    cairo_move_to(cr_.get(), x, y);
    pango_cairo_show_layout(cr_.get(), layout);
    int width = 0;
    int height = 0;
    pango_layout_get_size(layout, &width, &height);
    g_object_unref(layout);
    return static_cast<double>(height) / PANGO_SCALE;
  }

  void Fill(double x, double y, double width, double height, Rgb color) override {
    SetColor(color);
    cairo_rectangle(cr_.get(), x, y, width, height);
    cairo_fill(cr_.get());
  }

  void Outline(double x, double y, double width, double height, Rgb color, double line) override {
    SetColor(color);
    cairo_set_line_width(cr_.get(), line);
    cairo_rectangle(cr_.get(), x, y, width, height);
    cairo_stroke(cr_.get());
  }

  absl::Status Qr(const std::string& text, double x, double y, double size) override {
    QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (code == nullptr) return absl::InvalidArgumentError("the text does not fit a QR code");
    const int modules = code->width + 2 * kQuietModules;
    const double module = size / modules;
    Fill(x, y, size, size, kWhite);
    cairo_set_source_rgb(cr_.get(), 0, 0, 0);
    for (int row = 0; row < code->width; ++row) {
      for (int col = 0; col < code->width; ++col) {
        if ((code->data[row * code->width + col] & 1) == 0) continue;
        // A hair of overlap so PDF viewers show no seams between modules.
        cairo_rectangle(cr_.get(), x + (col + kQuietModules) * module,
                        y + (row + kQuietModules) * module, module + 0.05, module + 0.05);
      }
    }
    cairo_fill(cr_.get());
    QRcode_free(code);
    return absl::OkStatus();
  }

  void NextPage() override { cairo_show_page(cr_.get()); }

  absl::StatusOr<std::string> Finish() override {
    cairo_show_page(cr_.get());
    const cairo_status_t drawn = cairo_status(cr_.get());
    cr_.reset();
    if (drawn != CAIRO_STATUS_SUCCESS) {
      return absl::InternalError(
          absl::StrCat("drawing the document failed: ", cairo_status_to_string(drawn)));
    }
    cairo_surface_finish(surface_.get());
    if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS) {
      return absl::InternalError("writing the PDF failed");
    }
    return std::move(bytes_);
  }

 private:
  void SetColor(Rgb color) { cairo_set_source_rgb(cr_.get(), color.r, color.g, color.b); }

  std::string bytes_;  // before surface_: the surface writes into it until it is destroyed
  Surface surface_;
  Context cr_;
};

}  // namespace

std::unique_ptr<Document> Document::Create(const std::string& title) {
  // Safe from several threads at once: each document has its own cairo surface, and pango (since
  // 1.32.6) gives every thread a font map of its own; fontconfig's configuration is loaded once
  // for the process.
  return std::make_unique<CairoDocument>(title);
}

}  // namespace travio::pdf

// fontconfig keeps its configuration and the font patterns pango asked for until the process
// ends, by design (a cache); LeakSanitizer, in the sanitized builds, would report them at every
// exit of a process that drew a document. Only leaks allocated inside libfontconfig are waived.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
