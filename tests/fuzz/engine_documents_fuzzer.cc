// Feeds arbitrary bytes to every parser of engine responses, and the parsed
// document to every check in each of the places a check may read it. Any
// crash, sanitizer report or uncaught exception is a bug: engine responses
// are untrusted input.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "collectors/api_version.h"
#include "collectors/check_catalogue.h"
#include "collectors/checks.h"
#include "collectors/container_document.h"
#include "collectors/container_facts.h"
#include "collectors/engine_events.h"

namespace {

void EvaluateEveryCheck(const nlohmann::json& document) {
  static const dce::CheckSettings settings;
  const std::vector<nlohmann::json> execs = {document, document};
  const dce::ContainerContext container{
      .inspect = document,
      .info = &document,
      .top = &document,
      .image = &document,
      .image_by_tag = &document,
      .execs = &execs,
      .service = &document,
      .networks = &document,
      .settings = settings,
  };
  for (const auto& check : dce::ContainerChecks()) {
    static_cast<void>(check.evaluate(container));
  }
  const dce::EngineContext engine{
      .info = &document, .networks = &document, .settings = settings};
  for (const auto& check : dce::EngineChecks()) {
    static_cast<void>(check.evaluate(engine));
  }
  static_cast<void>(dce::ExtractContainerFacts(document));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  static_cast<void>(dce::ParseContainerList(body));

  // The event stream: split into lines as the chunks arrive, each line
  // parsed and classified.
  dce::EventLineSplitter splitter;
  const auto lines = splitter.Append(body);
  if (lines) {
    for (const auto& line : lines.value()) {
      const auto event = dce::ParseEngineEvent(line);
      if (event) {
        static_cast<void>(dce::ClassifyEngineEvent(event.value()));
        static_cast<void>(dce::CountedEventAction(event.value().action));
      }
    }
  }

  const auto version = dce::ParseEngineVersion(body);
  if (version) {
    static_cast<void>(dce::NegotiateApiVersion(version.value()));
  }

  const auto inspect = dce::ParseContainerInspect(body);
  if (inspect) {
    static_cast<void>(dce::CheckRootfsReadonly(inspect.value()));
    static_cast<void>(dce::StringFieldOr(inspect.value(), "Name", ""));
  }

  // Checks also read documents that are not objects, such as the network
  // list, so every valid JSON value goes to them.
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (!document.is_discarded()) {
    EvaluateEveryCheck(document);
  }
  return 0;
}
