#include "exporter/logging.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

namespace dce {
namespace {

LogFormat g_format = LogFormat::kLogfmt;

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
    case spdlog::level::critical:
      return "error";
    default:
      return "info";
  }
}

// RFC 3339 in UTC with milliseconds, as Prometheus' own logs write `ts`.
std::string FormatTimestamp(spdlog::log_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
      since_epoch - seconds);
  const std::time_t unix_time = seconds.count();
  std::tm utc{};
  gmtime_r(&unix_time, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec, static_cast<int>(millis.count()));
  return text;
}

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) {
    return true;
  }
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || c == '"' || c == '=' || c == '\\' || byte == 0x7f) {
      return true;
    }
  }
  return false;
}

// Quotes a logfmt value when it has spaces, quotes, equals signs or control
// characters, escaping as Go's strconv.Quote does for the common cases.
std::string LogfmtValue(std::string_view value) {
  if (!NeedsQuotes(value)) {
    return std::string(value);
  }
  std::string quoted = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (byte < ' ' || byte == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
          quoted += escaped;
        } else {
          quoted.push_back(c);
        }
    }
  }
  quoted += "\"";
  return quoted;
}

std::string JsonString(std::string_view text) {
  // `replace` keeps invalid UTF-8 from throwing: such bytes become U+FFFD.
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Adds the time and level in front of the fields that Log() formatted.
class LineFormatter : public spdlog::formatter {
 public:
  explicit LineFormatter(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& message,
              spdlog::memory_buf_t& destination) override {
    const std::string timestamp = FormatTimestamp(message.time);
    const std::string_view level = LevelName(message.level);
    std::string line;
    if (format_ == LogFormat::kJson) {
      line = "{\"ts\":\"" + timestamp + "\",\"level\":\"" + std::string(level) +
             "\"," +
             std::string(message.payload.data(), message.payload.size()) +
             "}\n";
    } else {
      line = "ts=" + timestamp + " level=" + std::string(level) + " " +
             std::string(message.payload.data(), message.payload.size()) + "\n";
    }
    destination.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LineFormatter>(format_);
  }

 private:
  LogFormat format_;
};

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warn") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return std::nullopt;
}

std::optional<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "logfmt") return LogFormat::kLogfmt;
  if (text == "json") return LogFormat::kJson;
  return std::nullopt;
}

std::string FormatLogFields(LogFormat format, std::string_view message,
                            std::initializer_list<LogField> fields) {
  std::string text;
  if (format == LogFormat::kJson) {
    text = "\"msg\":" + JsonString(message);
    for (const auto& field : fields) {
      text.append(",").append(JsonString(field.key));
      text.append(":").append(JsonString(field.value));
    }
    return text;
  }

  text = "msg=" + LogfmtValue(message);
  for (const auto& field : fields) {
    text.append(" ").append(field.key);
    text.append("=").append(LogfmtValue(field.value));
  }
  return text;
}

void ConfigureLogging(LogLevel level, LogFormat format) {
  g_format = format;
  auto logger = spdlog::stderr_logger_mt("docker_compliance_exporter");
  logger->set_formatter(std::make_unique<LineFormatter>(format));
  logger->set_level(ToSpdlog(level));
  // Every line is flushed, so that a crash or a pipe loses no log lines.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

void Log(LogLevel level, std::string_view message,
         std::initializer_list<LogField> fields) {
  const auto spdlog_level = ToSpdlog(level);
  auto* logger = spdlog::default_logger_raw();
  if (!logger->should_log(spdlog_level)) {
    return;
  }
  logger->log(spdlog_level, spdlog::string_view_t(
                                FormatLogFields(g_format, message, fields)));
}

}  // namespace dce
