// Feeds arbitrary bytes to the configuration file loader. The file is
// written by operators, but a typo must give an error, never a crash, a
// sanitizer report or an uncaught exception, also on SIGHUP while serving.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = dce::ParseConfigFile(text, "fuzz.yml");
  if (parsed) {
    // Exercise the compiled selectors and waivers the way a refresh does.
    const auto& policy = parsed.value().policy;
    const dce::ContainerLabels labels = {{"team", "web"}, {"a.b", "x"}};
    static_cast<void>(policy.scope.Contains("web-1", labels, "running"));
    static_cast<void>(dce::ExportedLabels(policy, labels));
    for (const auto& waiver : policy.waivers) {
      static_cast<void>(
          dce::FindContainerWaiver(policy.waivers, waiver.check, "web-1",
                                   labels, std::chrono::system_clock::now()));
    }
  }
  return 0;
}
