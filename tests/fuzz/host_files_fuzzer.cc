// Feeds arbitrary bytes to every parser of host files: audit rules,
// daemon.json, the dockerd command line, passwd and group files and the
// mount table. The parsed daemon settings then go through every host
// check. Host files are untrusted input, so any crash, sanitizer report or
// uncaught exception is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/host_checks.h"
#include "collectors/host_parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  dce::HostDocuments host;
  for (const auto& watch : dce::ParseAuditWatches(text)) {
    host.audit.watched.insert(watch);
  }
  host.audit.any_rules_file = true;

  dce::HostAccounts accounts;
  dce::ParsePasswd(text, accounts);
  dce::ParseGroup(text, accounts);
  static_cast<void>(dce::GroupMembers(accounts, "docker"));
  host.accounts = std::move(accounts);

  host.mount_points = dce::ParseMountPoints(text);

  // The same bytes as the command line and as daemon.json, so that keys
  // can meet in both and conflict.
  const dce::DockerdFlags flags =
      dce::ParseDockerdFlags(dce::SplitCommandLine(text));
  const auto daemon_json = dce::ParseDaemonJson(text);
  host.daemon.settings = dce::MergeDaemonSettings(
      flags, daemon_json ? daemon_json.value() : nlohmann::json::object());

  static_cast<void>(dce::EvaluateHost(host));
  return 0;
}
