// Feeds arbitrary bytes to every parser of engine responses and to the
// check that reads the parsed document. Any crash, sanitizer report or
// uncaught exception is a bug: engine responses are untrusted input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/api_version.h"
#include "collectors/checks.h"
#include "collectors/container_document.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  static_cast<void>(dce::ParseContainerList(body));

  const auto version = dce::ParseEngineVersion(body);
  if (version) {
    static_cast<void>(dce::NegotiateApiVersion(version.value()));
  }

  const auto inspect = dce::ParseContainerInspect(body);
  if (inspect) {
    static_cast<void>(dce::CheckRootfsReadonly(inspect.value()));
    static_cast<void>(dce::StringFieldOr(inspect.value(), "Name", ""));
  }
  return 0;
}
