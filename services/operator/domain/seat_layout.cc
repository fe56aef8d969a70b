#include "services/operator/domain/seat_layout.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::fleet {
namespace {

constexpr std::array<std::pair<CellType, std::string_view>, 6> kCellTypes = {{
    {CellType::kSeat, "seat"},
    {CellType::kBerth, "berth"},
    {CellType::kAisle, "aisle"},
    {CellType::kDriver, "driver"},
    {CellType::kDoor, "door"},
    {CellType::kEmpty, "empty"},
}};

constexpr int kMaxRows = 30;
constexpr int kMaxCols = 10;
constexpr int kMaxTemplateRows = 26;  // one letter per row

absl::Status Invalid(std::vector<FieldError> errors) {
  return WithFieldErrors(Error(reasons::kInvalidLayout, "The seat layout is not valid."), errors);
}

// One deck of a template: `pattern` says, per column, whether it holds a place ('P') or is the
// aisle ('|'), e.g. "PP|PP" for 2+2.
Deck TemplateDeck(std::string name, std::string_view prefix, std::string_view pattern, int rows,
                  CellType place, bool full_back_row) {
  Deck deck{std::move(name), rows, static_cast<int>(pattern.size()), {}};
  for (int row = 0; row < rows; ++row) {
    const bool full = full_back_row && row == rows - 1;
    int number = 0;
    for (int col = 0; col < deck.cols; ++col) {
      Cell cell{.row = row, .col = col};
      if (pattern[col] == 'P' || full) {
        cell.type = place;
        cell.label = std::string(prefix) + static_cast<char>('A' + row) + std::to_string(++number);
      } else {
        cell.type = CellType::kAisle;
        cell.category.clear();
      }
      deck.cells.push_back(std::move(cell));
    }
  }
  return deck;
}

bool ValidLabel(std::string_view label) {
  if (label.empty() || label.size() > 8) return false;
  for (char c : label) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

std::string_view CellTypeName(CellType type) {
  for (const auto& [candidate, name] : kCellTypes) {
    if (candidate == type) return name;
  }
  return "empty";
}

std::optional<CellType> ParseCellType(std::string_view name) {
  for (const auto& [type, candidate] : kCellTypes) {
    if (candidate == name) return type;
  }
  return std::nullopt;
}

int SeatLayout::Capacity() const {
  int places = 0;
  for (const Deck& deck : decks) {
    for (const Cell& cell : deck.cells) places += cell.sittable() ? 1 : 0;
  }
  return places;
}

int SeatLayout::SellableCapacity() const {
  int places = 0;
  for (const Deck& deck : decks) {
    for (const Cell& cell : deck.cells) places += cell.sellable() ? 1 : 0;
  }
  return places;
}

std::vector<const Cell*> SeatLayout::Places() const {
  std::vector<const Cell*> places;
  for (const Deck& deck : decks) {
    std::vector<const Cell*> on_deck;
    for (const Cell& cell : deck.cells) {
      if (cell.sittable()) on_deck.push_back(&cell);
    }
    std::sort(on_deck.begin(), on_deck.end(), [](const Cell* a, const Cell* b) {
      return std::pair(a->row, a->col) < std::pair(b->row, b->col);
    });
    places.insert(places.end(), on_deck.begin(), on_deck.end());
  }
  return places;
}

absl::StatusOr<SeatLayout> LayoutFromTemplate(std::string_view name, int rows, bool full_back_row) {
  if (rows < 1 || rows > kMaxTemplateRows) {
    return Invalid({{"layout.rows", "must be between 1 and 26"}});
  }
  SeatLayout layout;
  if (name == "2+2") {
    layout.decks.push_back(TemplateDeck("main", "", "PP|PP", rows, CellType::kSeat, full_back_row));
  } else if (name == "2+1") {
    layout.decks.push_back(TemplateDeck("main", "", "PP|P", rows, CellType::kSeat, full_back_row));
  } else if (name == "1+1") {
    // Sleeper berths run the length of the bus: there is no back bench to fill the aisle.
    layout.decks.push_back(TemplateDeck("main", "", "P|P", rows, CellType::kBerth, false));
  } else if (name == "double-decker") {
    layout.decks.push_back(TemplateDeck("lower", "L", "P|P", rows, CellType::kBerth, false));
    layout.decks.push_back(TemplateDeck("upper", "U", "P|P", rows, CellType::kBerth, false));
  } else {
    return Invalid({{"layout.template", "must be one of 2+2, 2+1, 1+1, double-decker"}});
  }
  return layout;
}

absl::Status ValidateLayout(const SeatLayout& layout) {
  std::vector<FieldError> errors;
  if (layout.decks.empty() || layout.decks.size() > 2) {
    errors.push_back({"layout.decks", "must have one or two decks"});
  }
  std::set<std::string> deck_names;
  std::map<std::string, std::string> labels;  // label -> where first seen
  for (size_t d = 0; d < layout.decks.size() && d < 2; ++d) {
    const Deck& deck = layout.decks[d];
    const std::string where = absl::StrCat("layout.decks[", d, "]");
    if (deck.name.empty() || deck.name.size() > 16) {
      errors.push_back({where + ".name", "must be 1 to 16 characters"});
    } else if (!deck_names.insert(deck.name).second) {
      errors.push_back({where + ".name", "is used by another deck"});
    }
    if (deck.rows < 1 || deck.rows > kMaxRows) {
      errors.push_back({where + ".rows", "must be between 1 and 30"});
    }
    if (deck.cols < 1 || deck.cols > kMaxCols) {
      errors.push_back({where + ".cols", "must be between 1 and 10"});
    }
    std::set<std::pair<int, int>> taken;
    for (size_t c = 0; c < deck.cells.size(); ++c) {
      const Cell& cell = deck.cells[c];
      const std::string at = absl::StrCat(where, ".cells[", c, "]");
      if (cell.row < 0 || cell.row >= deck.rows || cell.col < 0 || cell.col >= deck.cols) {
        errors.push_back({at, "is outside the deck's grid"});
        continue;
      }
      if (!taken.insert({cell.row, cell.col}).second) {
        errors.push_back({at, "shares its position with another cell"});
      }
      if (cell.sittable()) {
        if (!ValidLabel(cell.label)) {
          errors.push_back({at + ".label", "must be 1 to 8 of A-Z and 0-9"});
        } else if (auto [it, inserted] = labels.emplace(cell.label, at); !inserted) {
          errors.push_back({at + ".label", "repeats the label of " + it->second});
        }
        if (cell.category.empty() || cell.category.size() > 32) {
          errors.push_back({at + ".category", "must be 1 to 32 characters"});
        }
      } else if (!cell.label.empty()) {
        errors.push_back({at + ".label", "only seats and berths have labels"});
      }
      if (errors.size() > 50) break;  // enough to fix; a huge bad layout stays cheap
    }
  }
  if (errors.empty() && layout.SellableCapacity() == 0) {
    errors.push_back({"layout", "must have at least one seat or berth that can be sold"});
  }
  if (!errors.empty()) return Invalid(std::move(errors));
  return absl::OkStatus();
}

}  // namespace travio::fleet
