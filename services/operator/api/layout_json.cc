#include "services/operator/api/layout_json.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::fleet {
namespace {

using nlohmann::json;

absl::Status Invalid(std::vector<FieldError> errors) {
  return WithFieldErrors(Error(reasons::kInvalidLayout, "The seat layout is not valid."), errors);
}

// Reads an integer member; records an error and returns nullopt when it is absent or not an
// integer in [min, max].
std::optional<int> IntMember(const json& object, const char* name, const std::string& path, int min,
                             int max, std::vector<FieldError>& errors) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) {
    errors.push_back({absl::StrCat(path, ".", name), "must be an integer"});
    return std::nullopt;
  }
  const int64_t value = it->get<int64_t>();
  if (value < min || value > max) {
    errors.push_back({absl::StrCat(path, ".", name), absl::StrCat("must be ", min, " to ", max)});
    return std::nullopt;
  }
  return static_cast<int>(value);
}

// Fails on members the form does not have, so a typo ("blokced") is not silently ignored.
void RefuseUnknown(const json& object, std::initializer_list<const char*> known,
                   const std::string& path, std::vector<FieldError>& errors) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (const char* name : known) found = found || key == name;
    if (!found) errors.push_back({absl::StrCat(path, ".", key), "is not a known field"});
  }
}

std::optional<Cell> CellFromJson(const json& object, const std::string& path,
                                 std::vector<FieldError>& errors) {
  if (!object.is_object()) {
    errors.push_back({path, "must be an object"});
    return std::nullopt;
  }
  RefuseUnknown(object, {"row", "col", "type", "label", "category", "blocked", "crew"}, path,
                errors);
  const size_t before = errors.size();
  Cell cell;
  cell.row = IntMember(object, "row", path, 0, 1000, errors).value_or(0);
  cell.col = IntMember(object, "col", path, 0, 1000, errors).value_or(0);
  const auto type = object.find("type");
  std::optional<CellType> parsed;
  if (type != object.end() && type->is_string()) parsed = ParseCellType(type->get<std::string>());
  if (!parsed) {
    errors.push_back({path + ".type", "must be seat, berth, aisle, driver, door or empty"});
  } else {
    cell.type = *parsed;
  }
  auto text = [&](const char* name, std::string& into) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return;
    if (!it->is_string()) {
      errors.push_back({absl::StrCat(path, ".", name), "must be a string"});
      return;
    }
    into = it->get<std::string>();
  };
  auto flag = [&](const char* name, bool& into) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return;
    if (!it->is_boolean()) {
      errors.push_back({absl::StrCat(path, ".", name), "must be true or false"});
      return;
    }
    into = it->get<bool>();
  };
  text("label", cell.label);
  text("category", cell.category);
  flag("blocked", cell.blocked);
  flag("crew", cell.crew);
  if (errors.size() != before) return std::nullopt;
  return cell;
}

absl::StatusOr<SeatLayout> ParseLayout(const json& layout, const std::string& field,
                                       bool validate) {
  std::vector<FieldError> errors;
  if (!layout.is_object()) return Invalid({{field, "must be an object"}});
  if (layout.contains("template")) {
    RefuseUnknown(layout, {"template", "rows", "full_back_row"}, field, errors);
    const json& name = layout["template"];
    if (!name.is_string()) errors.push_back({field + ".template", "must be a string"});
    const std::optional<int> rows = IntMember(layout, "rows", field, 1, 26, errors);
    bool full_back_row = false;
    if (const auto it = layout.find("full_back_row"); it != layout.end()) {
      if (!it->is_boolean()) {
        errors.push_back({field + ".full_back_row", "must be true or false"});
      } else {
        full_back_row = it->get<bool>();
      }
    }
    if (!errors.empty()) return Invalid(errors);
    auto expanded = LayoutFromTemplate(name.get<std::string>(), *rows, full_back_row);
    if (!expanded.ok()) {
      return Invalid({{field + ".template", "must be one of 2+2, 2+1, 1+1, double-decker"}});
    }
    return expanded;
  }
  RefuseUnknown(layout, {"decks"}, field, errors);
  const auto decks = layout.find("decks");
  if (decks == layout.end() || !decks->is_array()) {
    errors.push_back({field, "needs a template or decks"});
    return Invalid(errors);
  }
  if (decks->empty() || decks->size() > 2) {
    return Invalid({{field + ".decks", "must have one or two decks"}});
  }
  SeatLayout result;
  for (size_t d = 0; d < decks->size(); ++d) {
    const json& deck_json = (*decks)[d];
    const std::string path = absl::StrCat(field, ".decks[", d, "]");
    if (!deck_json.is_object()) {
      errors.push_back({path, "must be an object"});
      continue;
    }
    RefuseUnknown(deck_json, {"name", "rows", "cols", "cells"}, path, errors);
    Deck deck;
    const auto name = deck_json.find("name");
    if (name == deck_json.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > 32) {
      errors.push_back({path + ".name", "must be a name of 1 to 32 characters"});
    } else {
      deck.name = name->get<std::string>();
    }
    deck.rows = IntMember(deck_json, "rows", path, 1, 30, errors).value_or(0);
    deck.cols = IntMember(deck_json, "cols", path, 1, 10, errors).value_or(0);
    const auto cells = deck_json.find("cells");
    if (cells == deck_json.end() || !cells->is_array()) {
      errors.push_back({path + ".cells", "must be an array"});
    } else if (cells->size() > 300) {
      errors.push_back({path + ".cells", "at most 300 cells"});
    } else {
      for (size_t c = 0; c < cells->size(); ++c) {
        auto cell = CellFromJson((*cells)[c], absl::StrCat(path, ".cells[", c, "]"), errors);
        if (cell) deck.cells.push_back(std::move(*cell));
      }
    }
    result.decks.push_back(std::move(deck));
  }
  if (!errors.empty()) return Invalid(errors);
  if (!validate) return result;
  absl::Status valid = ValidateLayout(result);
  if (!valid.ok()) {
    // ValidateLayout names paths under "layout"; re-root them when the field is elsewhere.
    if (field == "layout") return valid;
    std::vector<FieldError> rerooted = FieldErrorsOf(valid);
    for (FieldError& error : rerooted) {
      if (error.field.rfind("layout", 0) == 0) error.field = field + error.field.substr(6);
    }
    return Invalid(rerooted);
  }
  return result;
}

}  // namespace

absl::StatusOr<SeatLayout> LayoutFromJson(const json& layout, const std::string& field) {
  return ParseLayout(layout, field, /*validate=*/true);
}

absl::StatusOr<SeatLayout> LayoutFromStoredJson(const json& layout) {
  return ParseLayout(layout, "layout", /*validate=*/false);
}

json LayoutToJson(const SeatLayout& layout) {
  json decks = json::array();
  for (const Deck& deck : layout.decks) {
    json cells = json::array();
    for (const Cell& cell : deck.cells) {
      json out = {{"row", cell.row}, {"col", cell.col}, {"type", CellTypeName(cell.type)}};
      if (cell.sittable()) {
        out["label"] = cell.label;
        out["category"] = cell.category;
        if (cell.blocked) out["blocked"] = true;
        if (cell.crew) out["crew"] = true;
      }
      cells.push_back(std::move(out));
    }
    decks.push_back(
        {{"name", deck.name}, {"rows", deck.rows}, {"cols", deck.cols}, {"cells", cells}});
  }
  return {{"decks", std::move(decks)}};
}

}  // namespace travio::fleet
