#pragma once

// Helpers that the check files share to read typed fields of engine
// documents and to turn what they find into check results.
//
// Two families of readers name a field differently in reasons. FindTyped
// and ReadStringOrError name the whole path, as in "HostConfig.PidMode is
// missing". FindMember and the readers that return a Field name the first
// member on the way that is absent or not an object, as in "HostConfig is
// missing". Their `source` names the document, as in "/info:
// SecurityOptions is missing", and is empty for the container's inspect
// document. Moving a check to the other family changes its reasons.

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/checks.h"
#include "collectors/result.h"

namespace dce {

/// Returns an unknown result with `reason`.
CheckResult Unknown(std::string reason);

/// Returns an unknown result whose reason is the error's message.
CheckResult Unknown(const Error& error);

/// The JSON type a check requires of a field. Go's encoding/json writes a
/// nil slice or map as null, so the `OrNull` types also accept null.
enum class FieldType {
  kBoolean,
  kString,
  kInteger,
  kArray,
  kArrayOrNull,
  kObject,
  kObjectOrNull,
};

/// Returns whether `value` has `type`. kInteger accepts signed and unsigned
/// integers but no floating-point number.
bool HasType(const nlohmann::json& value, FieldType type);

/// Returns a reason such as "HostConfig.Devices is string, expected an
/// array".
std::string TypeMismatch(std::string_view name, const nlohmann::json& value,
                         FieldType expected);

/// Returns the member at the dotted `path` when it has `type`, or an Error
/// that names `prefix` + `path` as missing or of another type.
Result<const nlohmann::json*> FindTyped(const nlohmann::json& document,
                                        std::string_view path, FieldType type,
                                        std::string_view prefix = "");

/// Returns the string at the dotted `path`, or an Error as FindTyped does.
Result<std::string> ReadStringOrError(const nlohmann::json& document,
                                      std::string_view path,
                                      std::string_view prefix = "");

/// A field's value, or the unknown result that names why it could not be
/// read.
template <typename T>
struct Field {
  std::optional<T> value;
  CheckResult unknown;
};

/// Returns the member at the dotted `path`, or null after setting `unknown`
/// to a result that names the first member stopping the lookup.
const nlohmann::json* FindMember(const nlohmann::json& document,
                                 std::string_view path, std::string_view source,
                                 CheckResult* unknown);

/// Returns the unknown result "SOURCE: PATH is TYPE, expected EXPECTED",
/// where `expected` is a phrase such as "an object".
CheckResult WrongType(std::string_view source, std::string_view path,
                      const nlohmann::json& value, std::string_view expected);

/// Reads the boolean at the dotted `path`.
Field<bool> ReadBool(const nlohmann::json& document, std::string_view path,
                     std::string_view source = {});

/// Reads a signed 64-bit integer, the type the engine uses for limits and
/// counts. Floating-point numbers are the wrong type.
Field<std::int64_t> ReadInteger(const nlohmann::json& document,
                                std::string_view path,
                                std::string_view source = {});

/// Reads the string at the dotted `path`.
Field<std::string> ReadString(const nlohmann::json& document,
                              std::string_view path,
                              std::string_view source = {});

/// Reads an array of strings. The engine is written in Go, whose JSON
/// encoder writes an empty slice as null, so null reads as an empty list.
Field<std::vector<std::string>> ReadStringList(const nlohmann::json& document,
                                               std::string_view path,
                                               std::string_view source = {});

/// Returns a string value as reasons show it, so an empty value stays
/// visible as "empty".
std::string Show(std::string_view value);

/// Returns whether one `/info` SecurityOptions entry, such as
/// `name=seccomp,profile=builtin`, has the component `name=<name>`.
bool HasNameComponent(std::string_view option, std::string_view name);

/// The running state of a container, and the field that showed it.
struct RunningState {
  bool running = false;
  /// The field that showed it, such as "State.Running is false".
  std::string evidence;
};

/// Reads `State.Running`, or `State.Status` when an engine omits the flag.
/// Docker keeps `Running` true while a container is paused or restarting,
/// so those statuses count as running too.
Result<RunningState> ReadRunningState(const nlohmann::json& inspect);

/// Verdicts on the items of one check, such as mounts, port bindings or
/// processes. One failing item decides the check. Otherwise an item that
/// could not be judged makes it unknown, because that item might fail.
class ItemVerdicts {
 public:
  /// Records the reason an item fails.
  void AddFailure(std::string reason) { Add(std::move(reason), &failures_); }
  /// Records the reason an item could not be judged.
  void AddUnknown(std::string reason) { Add(std::move(reason), &unknowns_); }

  /// Returns a fail or unknown result naming the first such item, or nullopt
  /// when every item passed.
  std::optional<CheckResult> Verdict() const {
    if (!failures_.empty()) {
      return CheckResult{Outcome::kFail, Summarize(failures_)};
    }
    if (!unknowns_.empty()) {
      return CheckResult{Outcome::kUnknown, Summarize(unknowns_)};
    }
    return std::nullopt;
  }

 private:
  // Duplicates are dropped because the configured and the live port
  // bindings of a running container usually repeat each other.
  static void Add(std::string reason, std::vector<std::string>* reasons) {
    if (std::find(reasons->begin(), reasons->end(), reason) == reasons->end()) {
      reasons->push_back(std::move(reason));
    }
  }

  static std::string Summarize(const std::vector<std::string>& reasons) {
    if (reasons.size() == 1) {
      return reasons.front();
    }
    return reasons.front() + " (and " + std::to_string(reasons.size() - 1) +
           " more)";
  }

  std::vector<std::string> failures_;
  std::vector<std::string> unknowns_;
};

/// Returns the last component of a path: "docker.sock" for
/// "/var/run/docker.sock".
std::string_view BaseName(std::string_view path);

}  // namespace dce
