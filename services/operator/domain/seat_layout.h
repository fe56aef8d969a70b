#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace travio::fleet {

/// What occupies one cell of a deck's grid (api.md "layout").
enum class CellType { kSeat, kBerth, kAisle, kDriver, kDoor, kEmpty };

std::string_view CellTypeName(CellType type);
std::optional<CellType> ParseCellType(std::string_view name);

struct Cell {
  int row = 0;  // 0-based
  int col = 0;  // 0-based
  CellType type = CellType::kEmpty;
  /// Seat and berth labels ("A1"), unique across the bus; empty for other cells.
  std::string label;
  /// Free text such as "standard", "premium", "ladies".
  std::string category = "standard";
  /// Never sold (broken, kept back by the operator).
  bool blocked = false;
  /// Kept for the crew (a supervisor's seat); never sold.
  bool crew = false;

  bool sittable() const { return type == CellType::kSeat || type == CellType::kBerth; }
  bool sellable() const { return sittable() && !blocked && !crew; }
};

struct Deck {
  std::string name;  // "lower", "upper", or "main" for single-deck templates
  int rows = 0;
  int cols = 0;
  std::vector<Cell> cells;
};

/// A bus's seat map: one or two decks of cells. Validated with ValidateLayout before use.
struct SeatLayout {
  std::vector<Deck> decks;

  /// Seats and berths (api.md "capacity"), blocked and crew ones included.
  int Capacity() const;
  /// Seats and berths that can be sold.
  int SellableCapacity() const;
  /// Every seat and berth, deck by deck, row by row.
  std::vector<const Cell*> Places() const;
};

/// The templates of api.md: "2+2" and "2+1" seaters, "1+1" sleeper berths, and "double-decker"
/// (1+1 berths on a lower and an upper deck). Labels are the row letter and the place number
/// ("A1".."J4"; on a double-decker "LA1" and "UA1"). With `full_back_row`, the last row of a
/// seater also fills the aisle (a 2+2 bus then ends with five seats, A..E numbered 1..5).
/// kInvalidArgument `invalid_layout` for an unknown template or rows outside 1..26.
absl::StatusOr<SeatLayout> LayoutFromTemplate(std::string_view name, int rows,
                                              bool full_back_row = false);

/// Checks an explicit layout: 1 or 2 decks with distinct names, grids of 1..30 rows and 1..10
/// columns, every cell inside its grid and no two in one position, labels present on seats and
/// berths only and unique across the bus (at most 8 characters of [A-Z0-9]), categories of at
/// most 32 characters, at least one sellable place. kInvalidArgument `invalid_layout` with one
/// field error per problem (field paths like "layout.decks[0].cells[3].label").
absl::Status ValidateLayout(const SeatLayout& layout);

}  // namespace travio::fleet
