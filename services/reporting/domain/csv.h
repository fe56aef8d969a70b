#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace travio::reporting {

/// One cell of an export: text someone typed (a route's name) or a number the report computed.
using CsvCell = std::variant<std::string, int64_t>;

/// One CSV record as RFC 4180 writes it: cells separated by commas, a cell quoted when it holds
/// a comma, a double quote, CR or LF (its quotes doubled), the record ended by CRLF.
/// A text cell starting with = + - @, tab or CR is prefixed with a single quote, so a
/// spreadsheet opening the export never runs a formula typed into the data (OWASP's CSV
/// injection advice); numbers are written as they are, a refund's minus sign included.
std::string CsvRecord(const std::vector<CsvCell>& cells);

/// One text cell, as CsvRecord writes it.
std::string CsvText(std::string_view text);

}  // namespace travio::reporting
