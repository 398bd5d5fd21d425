#include "exporter/check_command.h"

#include "collectors/inventory.h"
#include "collectors/report.h"
#include "exporter/logging.h"
#include "exporter/report_formats.h"

namespace dce {
namespace {

bool CountsAsFailure(const nlohmann::json& check, FailOn fail_on) {
  if (check.at("outcome").get_ref<const std::string&>() != "fail") {
    return false;
  }
  // A failure covered by an active waiver is accepted; the report still
  // shows it as a failure, with the waiver beside it.
  const auto waiver = check.find("waiver");
  if (waiver != check.end() && waiver->at("active").get<bool>()) {
    return false;
  }
  return fail_on == FailOn::kAny || check.at("level").get<int>() == 1;
}

std::string FormatReport(const nlohmann::json& report, ReportFormat format,
                         bool colour) {
  switch (format) {
    case ReportFormat::kJson:
      // The engine's strings are valid UTF-8 once parsed, but replacing
      // invalid bytes keeps dump() from throwing should one slip through.
      return report.dump(2, ' ', false,
                         nlohmann::json::error_handler_t::replace) +
             "\n";
    case ReportFormat::kJunit:
      return FormatJunit(report);
    case ReportFormat::kTable:
      break;
  }
  return FormatTable(report, colour);
}

}  // namespace

int CheckExitStatus(const nlohmann::json& report, FailOn fail_on) {
  const auto& engine = report.at("engine");
  if (!engine.at("up").get<bool>()) {
    return kExitEngineUnreachable;
  }
  for (const auto& check : engine.at("checks")) {
    if (CountsAsFailure(check, fail_on)) {
      return kExitCheckFailed;
    }
  }
  if (report.contains("host")) {
    for (const auto& check : report.at("host").at("checks")) {
      if (CountsAsFailure(check, fail_on)) {
        return kExitCheckFailed;
      }
    }
  }
  for (const auto& container : report.at("containers")) {
    for (const auto& check : container.at("checks")) {
      if (CountsAsFailure(check, fail_on)) {
        return kExitCheckFailed;
      }
    }
  }
  return 0;
}

bool ShouldColour(bool stdout_is_terminal,
                  const std::optional<std::string>& no_color) {
  return stdout_is_terminal && (!no_color || no_color->empty());
}

void TerminalProgress::Update(std::size_t evaluated, std::size_t listed) {
  constexpr std::chrono::milliseconds kMinInterval{100};
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (evaluated < listed && last_written_ &&
      now - *last_written_ < kMinInterval) {
    return;
  }
  // \r returns to the line's start and \x1b[K erases the rest of it.
  terminal_ << "\r\x1b[Kinspected " << evaluated << " of " << listed
            << " containers" << std::flush;
  last_written_ = now;
}

void TerminalProgress::Finish() {
  std::lock_guard lock(mutex_);
  if (last_written_) {
    terminal_ << "\r\x1b[K" << std::flush;
  }
}

int RunCheckCommand(const Options& options, std::ostream& out, bool colour,
                    std::ostream* progress) {
  std::optional<TerminalProgress> terminal_progress;
  InventoryOptions inventory_options;
  if (progress != nullptr) {
    terminal_progress.emplace(*progress);
    inventory_options.on_progress = [&](std::size_t evaluated,
                                        std::size_t listed) {
      terminal_progress->Update(evaluated, listed);
    };
  }
  inventory_options.address = options.engine_address;
  inventory_options.timeout = options.engine_timeout;
  inventory_options.max_concurrent_requests = options.max_concurrent_requests;
  inventory_options.host = options.host;
  SnapshotStore store;
  Inventory inventory(inventory_options, store);
  inventory.SetPolicy(options.policy);

  Log(LogLevel::kDebug, "checking engine",
      {{"address", options.engine_address.original}});
  const RefreshReport refresh = inventory.Refresh();
  if (terminal_progress) {
    terminal_progress->Finish();
  }
  for (const auto& failure : refresh.failures) {
    Log(LogLevel::kWarn, "engine request failed",
        {{"stage", failure.stage}, {"err", failure.message}});
  }
  if (!refresh.up) {
    Log(LogLevel::kError,
        "check failed: the engine is unreachable or its version or "
        "container list was rejected",
        {{"address", options.engine_address.original}});
  }

  nlohmann::json report = BuildReport(*store.Current());
  SelectChecks(report, options.check.checks);
  out << FormatReport(report, options.check.output, colour);
  out.flush();
  return CheckExitStatus(report, options.check.fail_on);
}

}  // namespace dce
