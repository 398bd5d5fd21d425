#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace dce {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class LogFormat { kLogfmt, kJson };

/// Parses `debug`, `info`, `warn` or `error`.
std::optional<LogLevel> ParseLogLevel(std::string_view text);

/// Parses `logfmt` or `json`.
std::optional<LogFormat> ParseLogFormat(std::string_view text);

/// One key and value of a log line, such as `container_id=3f2a…`.
struct LogField {
  std::string_view key;
  std::string value;
};

/// Sends log lines to stderr through spdlog, one line per event:
/// `ts=2026-12-04T15:35:20.123Z level=info msg="…" key=value` in logfmt, or
/// the same keys as a JSON object. Call once, before other threads start.
void ConfigureLogging(LogLevel level, LogFormat format);

/// Writes one log line if `level` is enabled. Thread-safe.
void Log(LogLevel level, std::string_view message,
         std::initializer_list<LogField> fields = {});

/// Formats the message and fields of one line, without the time and level,
/// in the given format: `msg="…" key=value`, or `"msg":"…","key":"value"`.
std::string FormatLogFields(LogFormat format, std::string_view message,
                            std::initializer_list<LogField> fields);

}  // namespace dce
