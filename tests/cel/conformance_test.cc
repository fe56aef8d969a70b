// Runs the official CEL conformance tests (cel-spec's tests/simple/testdata, exported to JSON by
// export-conformance.mjs from the npm package @bufbuild/cel-spec) against travio's CEL engine.
//
// Every test of the files in kFiles runs, except:
//   - those needing what the engine deliberately leaves out (protobuf messages and their
//     containers, wrapper types, enums, custom function declarations): skipped by feature;
//   - the ones listed in skipped.txt, each with its reason.
// A listed test that no longer exists, or that now passes, fails the run, so the list stays true.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "platform/cel/conversions.h"
#include "platform/cel/program.h"

namespace travio::cel {
namespace {

using Json = nlohmann::json;

// The files of the suite in scope: the language core a pricing engine needs. Out of scope, by
// file: proto2, proto3, proto2_ext, wrappers, enums, dynamic (protobuf messages and wrapper
// types), optionals, block_ext, bindings_ext, encoders_ext, math_ext, string_ext, network_ext
// and macros2 (extensions: optional values, cel.block, cel.bind, base64, math, string
// functions, IP addresses, two-variable comprehensions), namespace (containers),
// type_deductions (checker-only type assertions), unknowns (partial evaluation).
const char* const kFiles[] = {"basic",  "comparisons", "conversions", "integer_math", "fp_math",
                              "lists",  "logic",       "macros",      "string",       "timestamps",
                              "fields", "parse",       "plumbing"};

// Thrown by the converters for what the engine leaves out on purpose.
struct OutOfScope {
  std::string why;
};

Json LoadSuite() {
  std::ifstream in(TRAVIO_CEL_CONFORMANCE_JSON);
  if (!in) throw std::runtime_error("missing " TRAVIO_CEL_CONFORMANCE_JSON);
  return Json::parse(in);
}

Type TypeFromJson(const Json& type) {
  if (type.contains("primitive")) {
    std::string primitive = type["primitive"];
    if (primitive == "BOOL") return Type::Bool();
    if (primitive == "INT64") return Type::Int();
    if (primitive == "UINT64") return Type::Uint();
    if (primitive == "DOUBLE") return Type::Double();
    if (primitive == "STRING") return Type::String();
    if (primitive == "BYTES") return Type::Bytes();
  }
  if (type.contains("listType")) return Type::List(TypeFromJson(type["listType"]["elemType"]));
  if (type.contains("mapType")) {
    return Type::Map(TypeFromJson(type["mapType"]["keyType"]),
                     TypeFromJson(type["mapType"]["valueType"]));
  }
  if (type.contains("null")) return Type::Null();
  if (type.contains("dyn")) return Type::Dyn();
  if (type.contains("wellKnown")) {
    std::string known = type["wellKnown"];
    if (known == "TIMESTAMP") return Type::Timestamp();
    if (known == "DURATION") return Type::Duration();
  }
  throw OutOfScope{absl::StrCat("declares a type outside the subset: ", type.dump())};
}

Value ValueFromJson(const Json& value) {
  if (value.contains("nullValue")) return NullValue{};
  if (value.contains("boolValue")) return value["boolValue"].get<bool>();
  if (value.contains("int64Value")) {
    int64_t out = 0;
    std::string text = value["int64Value"].is_string() ? value["int64Value"].get<std::string>()
                                                       : value["int64Value"].dump();
    if (!absl::SimpleAtoi(text, &out)) throw std::runtime_error("bad int64Value " + text);
    return out;
  }
  if (value.contains("uint64Value")) {
    uint64_t out = 0;
    std::string text = value["uint64Value"].is_string() ? value["uint64Value"].get<std::string>()
                                                        : value["uint64Value"].dump();
    if (!absl::SimpleAtoi(text, &out)) throw std::runtime_error("bad uint64Value " + text);
    return out;
  }
  if (value.contains("doubleValue")) {
    const Json& d = value["doubleValue"];
    if (d.is_number()) return d.get<double>();
    std::string text = d;
    if (text == "NaN") return std::nan("");
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    throw std::runtime_error("bad doubleValue " + text);
  }
  if (value.contains("stringValue")) return value["stringValue"].get<std::string>();
  if (value.contains("bytesValue")) {
    std::string decoded;
    if (!absl::Base64Unescape(value["bytesValue"].get<std::string>(), &decoded)) {
      throw std::runtime_error("bad bytesValue");
    }
    return Bytes{decoded};
  }
  if (value.contains("listValue")) {
    List list;
    for (const Json& element : value["listValue"].value("values", Json::array())) {
      list.push_back(ValueFromJson(element));
    }
    return list;
  }
  if (value.contains("mapValue")) {
    std::vector<std::pair<Value, Value>> entries;
    for (const Json& entry : value["mapValue"].value("entries", Json::array())) {
      entries.emplace_back(ValueFromJson(entry["key"]), ValueFromJson(entry["value"]));
    }
    return Map(std::move(entries));
  }
  if (value.contains("typeValue")) return TypeValue{value["typeValue"].get<std::string>()};
  if (value.contains("objectValue")) {
    const Json& object = value["objectValue"];
    std::string type = object.value("@type", "");
    if (type == "type.googleapis.com/google.protobuf.Timestamp") {
      return *ParseTimestamp(object["value"].get<std::string>());
    }
    if (type == "type.googleapis.com/google.protobuf.Duration") {
      return *ParseDuration(object["value"].get<std::string>());
    }
    throw OutOfScope{absl::StrCat("a protobuf message value (", type, ")")};
  }
  throw OutOfScope{absl::StrCat("a value outside the subset: ", value.dump())};
}

// Stricter than CEL's ==: the same kind, and NaN matches NaN (the suite's expected values).
bool Same(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kDouble:
      return (std::isnan(a.double_value()) && std::isnan(b.double_value())) ||
             a.double_value() == b.double_value();
    case Kind::kList: {
      if (a.list_value().size() != b.list_value().size()) return false;
      for (size_t i = 0; i < a.list_value().size(); ++i) {
        if (!Same(a.list_value()[i], b.list_value()[i])) return false;
      }
      return true;
    }
    case Kind::kMap: {
      if (a.map_value().size() != b.map_value().size()) return false;
      for (const auto& [key, value] : a.map_value().entries()) {
        const Value* other = b.map_value().Find(key);
        if (other == nullptr || !Same(value, *other)) return false;
      }
      return true;
    }
    default:
      return Equal(a, b);
  }
}

// Runs one test: "" when it passes, else what went wrong. Throws OutOfScope.
std::string RunCase(const Json& test) {
  if (!test.value("container", "").empty()) throw OutOfScope{"a container (namespaces)"};
  Env env;
  for (const Json& declaration : test.value("typeEnv", Json::array())) {
    if (!declaration.contains("ident")) throw OutOfScope{"declares functions"};
    env.Declare(declaration["name"], TypeFromJson(declaration["ident"]["type"]));
  }
  Activation activation;
  const Json bindings = test.value("bindings", Json::object());
  for (const auto& [name, bound] : bindings.items()) {
    if (!bound.contains("value")) throw OutOfScope{"binds an error or unknown"};
    activation[name] = ValueFromJson(bound["value"]);
  }
  std::optional<Value> expected;
  if (test.contains("value")) expected = ValueFromJson(test["value"]);
  bool expects_error = test.contains("evalError") || test.contains("anyEvalErrors");
  if (!expected && !expects_error) {
    throw OutOfScope{"expects a typed result or unknowns"};
  }
  // Without an expected value or error the expected result is true.
  CompileOptions options;
  options.check = !test.value("disableCheck", false);
  options.macros = !test.value("disableMacros", false);
  Compilation compiled = env.Compile(test["expr"].get<std::string>(), options);
  if (!compiled.ok()) {
    if (compiled.ErrorText().find("message construction is not supported") != std::string::npos) {
      throw OutOfScope{"constructs a protobuf message"};
    }
    // A literal regex that cannot compile is an error found early, not a different answer.
    if (expects_error &&
        compiled.ErrorText().find("invalid regular expression") != std::string::npos) {
      return "";
    }
    return absl::StrCat("does not compile: ", compiled.ErrorText());
  }
  absl::StatusOr<Value> result = compiled.program->Evaluate(activation);
  if (expects_error) {
    return result.ok() ? absl::StrCat("expected an error, got ", DebugString(*result)) : "";
  }
  if (!result.ok()) return absl::StrCat("failed: ", result.status().message());
  if (!Same(*result, *expected)) {
    return absl::StrCat("got ", DebugString(*result), ", expected ", DebugString(*expected));
  }
  return "";
}

// skipped.txt: "file/section/name: reason" per line; # starts a comment.
std::map<std::string, std::string> LoadSkipList() {
  std::ifstream in(TRAVIO_SOURCE_DIR "/tests/cel/skipped.txt");
  std::map<std::string, std::string> skipped;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text.front() == '#') continue;
    std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits(": ", 1));
    skipped[parts[0]] = parts.size() > 1 ? parts[1] : "";
  }
  return skipped;
}

class CelConformance : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Json(LoadSuite());
    skipped_ = new std::map<std::string, std::string>(LoadSkipList());
  }
  static void TearDownTestSuite() {
    delete suite_;
    delete skipped_;
  }
  static Json* suite_;
  static std::map<std::string, std::string>* skipped_;
};

Json* CelConformance::suite_ = nullptr;
std::map<std::string, std::string>* CelConformance::skipped_ = nullptr;

TEST_P(CelConformance, PassesEveryTestInScope) {
  const std::string file = GetParam();
  ASSERT_TRUE(suite_->contains(file)) << file;
  int passed = 0;
  std::map<std::string, int> out_of_scope;
  int listed = 0;
  for (const Json& test : (*suite_)[file]) {
    std::string id =
        absl::StrCat(file, "/", test.value("section", ""), "/", test.value("name", ""));
    std::string failure;
    try {
      failure = RunCase(test);
    } catch (const OutOfScope& reason) {
      ++out_of_scope[reason.why.substr(0, reason.why.find(':'))];
      continue;
    }
    auto skip = skipped_->find(id);
    if (skip != skipped_->end()) {
      ++listed;
      EXPECT_FALSE(failure.empty()) << id << " passes now: take it off tests/cel/skipped.txt";
      continue;
    }
    if (failure.empty()) {
      ++passed;
    } else {
      ADD_FAILURE() << id << " (" << test["expr"].get<std::string>() << "): " << failure;
    }
  }
  std::cout << file << ": " << passed << " passed, " << listed << " listed in skipped.txt";
  for (const auto& [why, count] : out_of_scope) std::cout << ", " << count << " " << why;
  std::cout << "\n";
}

INSTANTIATE_TEST_SUITE_P(Files, CelConformance, ::testing::ValuesIn(kFiles),
                         [](const auto& info) { return std::string(info.param); });

TEST(CelConformanceSkipList, NamesOnlyTestsThatExist) {
  Json suite = LoadSuite();
  std::set<std::string> ids;
  for (const char* file : kFiles) {
    for (const Json& test : suite[file]) {
      ids.insert(absl::StrCat(file, "/", test.value("section", ""), "/", test.value("name", "")));
    }
  }
  for (const auto& [id, reason] : LoadSkipList()) {
    EXPECT_TRUE(ids.contains(id)) << id << " is not in the suite";
    EXPECT_FALSE(reason.empty()) << id << " is skipped without a reason";
  }
}

}  // namespace
}  // namespace travio::cel
