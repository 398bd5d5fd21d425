#include "collectors/check_fields.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/check_context.h"

namespace dce {
namespace {

using nlohmann::json;

std::string_view TypeDescription(FieldType type) {
  switch (type) {
    case FieldType::kBoolean:
      return "a boolean";
    case FieldType::kString:
      return "a string";
    case FieldType::kInteger:
      return "an integer";
    case FieldType::kArray:
    case FieldType::kArrayOrNull:
      return "an array";
    case FieldType::kObject:
    case FieldType::kObjectOrNull:
      return "an object";
  }
  return "another type";
}

// Returns `path` prefixed with the name of its document, such as "/info" or
// "exec 1a2b3c4d5e6f". The container's inspect document has no name, so its
// paths stay bare.
std::string Qualify(std::string_view source, std::string_view path) {
  std::string name;
  if (!source.empty()) {
    name = std::string(source) + ": ";
  }
  name += path;
  return name;
}

CheckResult Missing(std::string_view source, std::string_view path) {
  return {Outcome::kUnknown, Qualify(source, path) + " is missing"};
}

}  // namespace

CheckResult Unknown(std::string reason) {
  return {Outcome::kUnknown, std::move(reason)};
}

CheckResult Unknown(const Error& error) {
  return {Outcome::kUnknown, error.message};
}

bool HasType(const json& value, FieldType type) {
  switch (type) {
    case FieldType::kBoolean:
      return value.is_boolean();
    case FieldType::kString:
      return value.is_string();
    case FieldType::kInteger:
      return value.is_number_integer();
    case FieldType::kArray:
      return value.is_array();
    case FieldType::kArrayOrNull:
      return value.is_array() || value.is_null();
    case FieldType::kObject:
      return value.is_object();
    case FieldType::kObjectOrNull:
      return value.is_object() || value.is_null();
  }
  return false;
}

std::string TypeMismatch(std::string_view name, const json& value,
                         FieldType expected) {
  return std::string(name) + " is " + value.type_name() + ", expected " +
         std::string(TypeDescription(expected));
}

Result<const json*> FindTyped(const json& document, std::string_view path,
                              FieldType type, std::string_view prefix) {
  const std::string name = std::string(prefix) + std::string(path);
  const json* field = FindPath(document, path);
  if (field == nullptr) {
    return Error{name + " is missing"};
  }
  if (!HasType(*field, type)) {
    return Error{TypeMismatch(name, *field, type)};
  }
  return field;
}

Result<std::string> ReadStringOrError(const json& document,
                                      std::string_view path,
                                      std::string_view prefix) {
  const auto field = FindTyped(document, path, FieldType::kString, prefix);
  if (!field) {
    return field.error();
  }
  return field.value()->get<std::string>();
}

const json* FindMember(const json& document, std::string_view path,
                       std::string_view source, CheckResult* unknown) {
  const json* member = FindPath(document, path);
  if (member != nullptr) {
    return member;
  }

  // Name the first member on the way that stops the lookup, so the reason
  // points at the value that is absent or has the wrong type.
  for (auto dot = path.find('.'); dot != std::string_view::npos;
       dot = path.find('.', dot + 1)) {
    const std::string_view parent_path = path.substr(0, dot);
    const json* parent = FindPath(document, parent_path);
    if (parent == nullptr) {
      *unknown = Missing(source, parent_path);
      return nullptr;
    }
    if (!parent->is_object()) {
      *unknown = WrongType(source, parent_path, *parent, "an object");
      return nullptr;
    }
  }
  *unknown = Missing(source, path);
  return nullptr;
}

CheckResult WrongType(std::string_view source, std::string_view path,
                      const json& value, std::string_view expected) {
  return {Outcome::kUnknown, Qualify(source, path) + " is " +
                                 value.type_name() + ", expected " +
                                 std::string(expected)};
}

Field<bool> ReadBool(const json& document, std::string_view path,
                     std::string_view source) {
  Field<bool> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (!member->is_boolean()) {
    field.unknown = WrongType(source, path, *member, "a boolean");
    return field;
  }
  field.value = member->get<bool>();
  return field;
}

Field<std::int64_t> ReadInteger(const json& document, std::string_view path,
                                std::string_view source) {
  Field<std::int64_t> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (!member->is_number_integer()) {
    field.unknown = WrongType(source, path, *member, "an integer");
    return field;
  }
  if (member->is_number_unsigned() &&
      member->get<std::uint64_t>() >
          static_cast<std::uint64_t>(
              std::numeric_limits<std::int64_t>::max())) {
    field.unknown = {Outcome::kUnknown,
                     Qualify(source, path) + " is out of the int64 range"};
    return field;
  }
  field.value = member->get<std::int64_t>();
  return field;
}

Field<std::string> ReadString(const json& document, std::string_view path,
                              std::string_view source) {
  Field<std::string> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (!member->is_string()) {
    field.unknown = WrongType(source, path, *member, "a string");
    return field;
  }
  field.value = member->get<std::string>();
  return field;
}

Field<std::vector<std::string>> ReadStringList(const json& document,
                                               std::string_view path,
                                               std::string_view source) {
  Field<std::vector<std::string>> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (member->is_null()) {
    field.value.emplace();
    return field;
  }
  if (!member->is_array()) {
    field.unknown = WrongType(source, path, *member, "an array");
    return field;
  }

  std::vector<std::string> entries;
  entries.reserve(member->size());
  for (std::size_t i = 0; i < member->size(); ++i) {
    const json& entry = (*member)[i];
    if (!entry.is_string()) {
      const std::string entry_path =
          std::string(path) + "[" + std::to_string(i) + "]";
      field.unknown = WrongType(source, entry_path, entry, "a string");
      return field;
    }
    entries.push_back(entry.get<std::string>());
  }
  field.value = std::move(entries);
  return field;
}

std::string Show(std::string_view value) {
  return value.empty() ? "empty" : std::string(value);
}

bool HasNameComponent(std::string_view option, std::string_view name) {
  while (true) {
    const auto comma = option.find(',');
    const std::string_view component = option.substr(0, comma);
    if (component.starts_with("name=") &&
        component.substr(std::string_view("name=").size()) == name) {
      return true;
    }
    if (comma == std::string_view::npos) {
      return false;
    }
    option.remove_prefix(comma + 1);
  }
}

Result<RunningState> ReadRunningState(const json& inspect) {
  const json* running = FindPath(inspect, "State.Running");
  if (running != nullptr && running->is_boolean()) {
    const bool value = running->get<bool>();
    return RunningState{
        value, value ? "State.Running is true" : "State.Running is false"};
  }

  const auto status = ReadStringOrError(inspect, "State.Status");
  if (!status) {
    return Error{"State.Running and State.Status are missing or invalid"};
  }
  const std::string& value = status.value();
  const bool is_running =
      value == "running" || value == "paused" || value == "restarting";
  return RunningState{is_running, "State.Status is " + value};
}

std::string_view BaseName(std::string_view path) {
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    return path;
  }
  return path.substr(slash + 1);
}

}  // namespace dce
