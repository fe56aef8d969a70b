#include "platform/cel/type.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace travio::cel {

Type Type::List(Type element) {
  Type type(Kind::kList);
  type.params_.push_back(std::move(element));
  return type;
}

Type Type::Map(Type key, Type value) {
  Type type(Kind::kMap);
  type.params_.push_back(std::move(key));
  type.params_.push_back(std::move(value));
  return type;
}

Type Type::TypeOf(Type named) {
  Type type(Kind::kType);
  type.params_.push_back(std::move(named));
  return type;
}

Type Type::Param(std::string name) {
  Type type(Kind::kTypeParam);
  type.name_ = std::move(name);
  return type;
}

Type Type::Object(std::string name, std::map<std::string, Type> fields) {
  Type type(Kind::kObject);
  type.name_ = std::move(name);
  type.fields_ = std::make_shared<const std::map<std::string, Type>>(std::move(fields));
  return type;
}

const Type* Type::Field(const std::string& name) const {
  if (fields_ == nullptr) return nullptr;
  auto it = fields_->find(name);
  return it == fields_->end() ? nullptr : &it->second;
}

const std::map<std::string, Type>& Type::fields() const {
  static const std::map<std::string, Type>* const kNone = new std::map<std::string, Type>();
  return fields_ == nullptr ? *kNone : *fields_;
}

int Type::Nodes(int limit) const {
  int nodes = 1;
  for (const Type& param : params_) {
    if (nodes > limit) break;
    nodes += param.Nodes(limit - nodes);
  }
  return nodes;
}

std::string Type::DebugString() const {
  auto joined = [this] {
    return absl::StrJoin(
        params_, ", ", [](std::string* out, const Type& type) { out->append(type.DebugString()); });
  };
  switch (kind_) {
    case Kind::kDyn:
      return "dyn";
    case Kind::kNull:
      return "null_type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kDouble:
      return "double";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "bytes";
    case Kind::kList:
      return absl::StrCat("list(", joined(), ")");
    case Kind::kMap:
      return absl::StrCat("map(", joined(), ")");
    case Kind::kTimestamp:
      return "google.protobuf.Timestamp";
    case Kind::kDuration:
      return "google.protobuf.Duration";
    case Kind::kType:
      return absl::StrCat("type(", joined(), ")");
    case Kind::kTypeParam:
    case Kind::kObject:
      return name_;
    case Kind::kError:
      return "*error*";
  }
  return "?";
}

bool Type::operator==(const Type& other) const {
  return kind_ == other.kind_ && name_ == other.name_ && params_ == other.params_;
}

}  // namespace travio::cel
