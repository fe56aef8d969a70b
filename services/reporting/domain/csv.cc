#include "services/reporting/domain/csv.h"

namespace travio::reporting {

std::string CsvText(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos) {
    cell.push_back('\'');
  }
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string CsvRecord(const std::vector<CsvCell>& cells) {
  std::string record;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) record.push_back(',');
    if (const auto* number = std::get_if<int64_t>(&cells[i])) {
      record += std::to_string(*number);
    } else {
      record += CsvText(std::get<std::string>(cells[i]));
    }
  }
  record += "\r\n";
  return record;
}

}  // namespace travio::reporting
