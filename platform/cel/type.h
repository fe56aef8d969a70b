#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace travio::cel {

/// A static type, as the checker reasons about it. `dyn` is any type, decided at evaluation
/// time; a type parameter (`A`) stands for one type throughout an overload's signature; an
/// object is a map whose keys are known field names (the variables a rule sees), so a typo in a
/// field is caught when the rule is saved, not when it runs.
class Type {
 public:
  enum class Kind {
    kDyn,
    kNull,
    kBool,
    kInt,
    kUint,
    kDouble,
    kString,
    kBytes,
    kList,  // params: element
    kMap,   // params: key, value
    kTimestamp,
    kDuration,
    kType,       // params: the type it names (dyn when unknown)
    kTypeParam,  // name
    kObject,     // name, fields
    kError,
  };

  Type() = default;

  static Type Dyn() { return Type(Kind::kDyn); }
  static Type Null() { return Type(Kind::kNull); }
  static Type Bool() { return Type(Kind::kBool); }
  static Type Int() { return Type(Kind::kInt); }
  static Type Uint() { return Type(Kind::kUint); }
  static Type Double() { return Type(Kind::kDouble); }
  static Type String() { return Type(Kind::kString); }
  static Type Bytes() { return Type(Kind::kBytes); }
  static Type Timestamp() { return Type(Kind::kTimestamp); }
  static Type Duration() { return Type(Kind::kDuration); }
  static Type Error() { return Type(Kind::kError); }
  static Type List(Type element);
  static Type Map(Type key, Type value);
  static Type TypeOf(Type named);
  static Type Param(std::string name);
  /// A map with known string keys, each with its own type.
  static Type Object(std::string name, std::map<std::string, Type> fields);

  Kind kind() const { return kind_; }
  const std::vector<Type>& params() const { return params_; }
  const std::string& name() const { return name_; }
  /// The type of field `name` of an object, or nullptr when it has none.
  const Type* Field(const std::string& name) const;
  const std::map<std::string, Type>& fields() const;

  /// How many types this one is made of (itself, its parameters, theirs, ...), counted up to
  /// just past `limit` (a type can be exponentially large in the expression that built it).
  int Nodes(int limit) const;

  /// As CEL writes types in messages: `int`, `list(string)`, `map(string, dyn)`,
  /// `google.protobuf.Timestamp`, `type(int)`.
  std::string DebugString() const;

  bool operator==(const Type& other) const;

 private:
  explicit Type(Kind kind) : kind_(kind) {}

  Kind kind_ = Kind::kDyn;
  std::vector<Type> params_;
  std::string name_;
  std::shared_ptr<const std::map<std::string, Type>> fields_;
};

}  // namespace travio::cel
