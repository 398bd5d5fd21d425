#include "exporter/report_formats.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

namespace dce {
namespace {

constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kReset = "\x1b[0m";

// The outcome names of the report, in the order the summaries list them.
constexpr std::array<std::string_view, 4> kOutcomes = {
    "pass", "fail", "not_applicable", "unknown"};

// One engine or container of a report, with its checks.
struct Subject {
  // "engine", or "container NAME" in the table.
  std::string label;
  // The JUnit classname: "engine", or "container/NAME". Docker container
  // names cannot contain a slash, so neither can be mistaken for the other.
  std::string class_name;
  const nlohmann::json* checks;
};

// Lists the engine and then the containers sorted by name.
std::vector<Subject> Subjects(const nlohmann::json& report) {
  std::vector<Subject> subjects;
  subjects.push_back({"engine", "engine", &report.at("engine").at("checks")});
  if (report.contains("host")) {
    subjects.push_back({"host", "host", &report.at("host").at("checks")});
  }

  std::vector<const nlohmann::json*> containers;
  for (const auto& container : report.at("containers")) {
    containers.push_back(&container);
  }
  std::stable_sort(containers.begin(), containers.end(),
                   [](const nlohmann::json* left, const nlohmann::json* right) {
                     return left->at("name").get_ref<const std::string&>() <
                            right->at("name").get_ref<const std::string&>();
                   });
  for (const nlohmann::json* container : containers) {
    const auto& name = container->at("name").get_ref<const std::string&>();
    subjects.push_back(
        {"container " + name, "container/" + name, &container->at("checks")});
  }
  return subjects;
}

const std::string& Text(const nlohmann::json& check, const char* field) {
  return check.at(field).get_ref<const std::string&>();
}

// Counts the checks of each outcome, in the order of kOutcomes.
std::array<std::size_t, 4> CountOutcomes(const nlohmann::json& checks) {
  std::array<std::size_t, 4> counts{};
  for (const auto& check : checks) {
    const auto found =
        std::find(kOutcomes.begin(), kOutcomes.end(), Text(check, "outcome"));
    if (found != kOutcomes.end()) {
      ++counts[static_cast<std::size_t>(found - kOutcomes.begin())];
    }
  }
  return counts;
}

std::string FormatCounts(const std::array<std::size_t, 4>& counts) {
  std::size_t total = 0;
  std::string parts;
  for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
    total += counts[i];
    parts += (i == 0 ? "" : ", ") + std::to_string(counts[i]) + " " +
             std::string(kOutcomes[i]);
  }
  return std::to_string(total) + (total == 1 ? " check: " : " checks: ") +
         parts;
}

// Replaces control characters with \xNN, so that a container name or a
// reason from the engine cannot send escape sequences to the terminal.
std::string Printable(std::string_view text) {
  std::string printable;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      std::array<char, 5> escaped{};
      std::snprintf(escaped.data(), escaped.size(), "\\x%02x", byte);
      printable += escaped.data();
    } else {
      printable += c;
    }
  }
  return printable;
}

std::string PadRight(std::string text, std::size_t width) {
  if (text.size() < width) {
    text.append(width - text.size(), ' ');
  }
  return text;
}

void AppendCheckLine(const nlohmann::json& check, bool colour,
                     std::ostringstream& out) {
  const std::string& outcome = Text(check, "outcome");
  const bool failed = outcome == "fail";
  const std::string_view word = failed ? "FAIL" : "UNKNOWN";
  std::string label(word);
  if (colour) {
    label = std::string(failed ? kRed : kYellow) + label + std::string(kReset);
  }
  // Padded after colouring, by the visible width, so that the escape
  // sequences do not shift the columns.
  label.append(8 - word.size(), ' ');
  // Host check ids such as 1.1.10 are wider than the column, and the space
  // keeps them apart from the key.
  out << "  " << label << PadRight(Text(check, "cis_id") + " ", 6)
      << Text(check, "check") << "  " << Printable(Text(check, "title")) << ": "
      << Printable(Text(check, "reason"));
  const auto waiver = check.find("waiver");
  if (waiver != check.end() && waiver->is_object()) {
    const bool active = waiver->value("active", false);
    out << (active ? " (waived until " : " (waiver expired on ")
        << Printable(waiver->value("expires", "")) << ": "
        << Printable(waiver->value("reason", "")) << ")";
  }
  out << "\n";
}

}  // namespace

void SelectChecks(nlohmann::json& report,
                  const std::vector<std::string>& keys) {
  if (keys.empty()) {
    return;
  }
  const auto keep_selected = [&keys](nlohmann::json& checks) {
    nlohmann::json selected = nlohmann::json::array();
    for (auto& check : checks) {
      if (std::find(keys.begin(), keys.end(), Text(check, "check")) !=
          keys.end()) {
        selected.push_back(std::move(check));
      }
    }
    checks = std::move(selected);
  };
  keep_selected(report.at("engine").at("checks"));
  if (report.contains("host")) {
    keep_selected(report.at("host").at("checks"));
  }
  for (auto& container : report.at("containers")) {
    keep_selected(container.at("checks"));
  }
}

std::string FormatTable(const nlohmann::json& report, bool colour) {
  std::ostringstream out;
  const auto& engine = report.at("engine");
  if (!engine.at("up").get<bool>()) {
    out << "engine: unreachable, or its API version is not supported; no "
           "checks evaluated\n";
  }

  std::array<std::size_t, 4> totals{};
  std::size_t subjects_shown = 0;
  // Failures under an active waiver, which do not change the exit status.
  std::size_t waived_failures = 0;
  for (const Subject& subject : Subjects(report)) {
    if (subject.checks->empty()) {
      continue;
    }
    ++subjects_shown;
    const auto counts = CountOutcomes(*subject.checks);
    for (std::size_t i = 0; i < totals.size(); ++i) {
      totals[i] += counts[i];
    }
    out << Printable(subject.label) << ": " << FormatCounts(counts) << "\n";
    for (const auto& check : *subject.checks) {
      const std::string& outcome = Text(check, "outcome");
      if (outcome == "fail" || outcome == "unknown") {
        AppendCheckLine(check, colour, out);
      }
      const auto waiver = check.find("waiver");
      if (outcome == "fail" && waiver != check.end() && waiver->is_object() &&
          waiver->value("active", false)) {
        ++waived_failures;
      }
    }
  }
  out << "summary: " << subjects_shown
      << (subjects_shown == 1 ? " subject, " : " subjects, ")
      << FormatCounts(totals);
  if (waived_failures > 0) {
    out << "; " << waived_failures
        << (waived_failures == 1 ? " failure waived" : " failures waived");
  }
  out << "\n";
  return out.str();
}

std::string FormatJunit(const nlohmann::json& report) {
  std::ostringstream suites;
  std::array<std::size_t, 4> totals{};
  for (const Subject& subject : Subjects(report)) {
    if (subject.checks->empty()) {
      continue;
    }
    const auto counts = CountOutcomes(*subject.checks);
    for (std::size_t i = 0; i < totals.size(); ++i) {
      totals[i] += counts[i];
    }
    const std::string class_name = EscapeXml(subject.class_name);
    suites << "  <testsuite name=\"" << class_name << "\" tests=\""
           << subject.checks->size() << "\" failures=\"" << counts[1]
           << "\" errors=\"" << counts[3] << "\" skipped=\"" << counts[2]
           << "\">\n";
    for (const auto& check : *subject.checks) {
      const std::string& outcome = Text(check, "outcome");
      suites << "    <testcase classname=\"" << class_name << "\" name=\""
             << EscapeXml(Text(check, "cis_id") + " " + Text(check, "check"))
             << "\"";
      const std::string message = EscapeXml(Text(check, "reason"));
      if (outcome == "fail") {
        suites << ">\n      <failure message=\"" << message
               << "\"/>\n    </testcase>\n";
      } else if (outcome == "unknown") {
        suites << ">\n      <error message=\"" << message
               << "\"/>\n    </testcase>\n";
      } else if (outcome == "not_applicable") {
        suites << ">\n      <skipped message=\"" << message
               << "\"/>\n    </testcase>\n";
      } else {
        suites << "/>\n";
      }
    }
    suites << "  </testsuite>\n";
  }

  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\""
      << EscapeXml(report.at("benchmark").get_ref<const std::string&>())
      << "\" tests=\"" << totals[0] + totals[1] + totals[2] + totals[3]
      << "\" failures=\"" << totals[1] << "\" errors=\"" << totals[3]
      << "\" skipped=\"" << totals[2] << "\">\n"
      << suites.str() << "</testsuites>\n";
  return out.str();
}

std::string EscapeXml(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '&':
        escaped += "&amp;";
        continue;
      case '<':
        escaped += "&lt;";
        continue;
      case '>':
        escaped += "&gt;";
        continue;
      case '"':
        escaped += "&quot;";
        continue;
      case '\'':
        escaped += "&apos;";
        continue;
      case '\t':
        escaped += "&#9;";
        continue;
      case '\n':
        escaped += "&#10;";
        continue;
      case '\r':
        escaped += "&#13;";
        continue;
      default:
        break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20) {
      continue;
    }
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
    if (byte == 0xef && text.substr(i, 2) == "\xef\xbf" &&
        i + 2 < text.size()) {
      const auto last = static_cast<unsigned char>(text[i + 2]);
      if (last == 0xbe || last == 0xbf) {
        i += 2;
        continue;
      }
    }
    escaped += c;
  }
  return escaped;
}

}  // namespace dce
