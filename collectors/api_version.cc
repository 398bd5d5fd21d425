#include "collectors/api_version.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace dce {
namespace {

// Parses a non-negative decimal number; from_chars alone would take a sign.
std::optional<int> ParseNumber(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    return std::nullopt;
  }
  int number = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc() || stop != end) {
    return std::nullopt;
  }
  return number;
}

std::string StringField(const nlohmann::json& document, const char* key) {
  const auto field = document.find(key);
  if (field == document.end() || !field->is_string()) {
    return "";
  }
  return field->get<std::string>();
}

}  // namespace

std::string ApiVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::optional<ApiVersion> ParseApiVersion(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  const auto major = ParseNumber(text.substr(0, dot));
  const auto minor = ParseNumber(text.substr(dot + 1));
  if (!major || !minor) {
    return std::nullopt;
  }
  return ApiVersion{*major, *minor};
}

Result<EngineVersion> ParseEngineVersion(std::string_view body) {
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded()) {
    return Error{"the /version response is not valid JSON"};
  }
  if (!document.is_object()) {
    return Error{"the /version response is not a JSON object"};
  }

  const std::string api_text = StringField(document, "ApiVersion");
  const auto api_version = ParseApiVersion(api_text);
  if (!api_version) {
    return Error{"the /version response has no valid ApiVersion (found \"" +
                 api_text + "\")"};
  }

  EngineVersion engine;
  engine.engine_version = StringField(document, "Version");
  engine.api_version = *api_version;
  engine.os = StringField(document, "Os");
  engine.arch = StringField(document, "Arch");
  return engine;
}

Result<ApiVersion> NegotiateApiVersion(const EngineVersion& engine) {
  if (engine.api_version < kMinApiVersion) {
    return Error{"the engine's API version " + engine.api_version.ToString() +
                 " (Docker " + engine.engine_version +
                 ") is older than the oldest supported, " +
                 kMinApiVersion.ToString() + " (Docker 20.10); upgrade the " +
                 "engine"};
  }
  return std::min(engine.api_version, kMaxApiVersion);
}

}  // namespace dce
