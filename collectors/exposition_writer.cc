#include "collectors/exposition_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "collectors/utf8.h"

namespace dce {
namespace {

// Significant digits of a value, as prometheus-cpp 1.0 writes them: the
// stream precision max_digits10 - 1 in the default float format, which is
// printf's %.16g.
constexpr int kValuePrecision = 16;

// Integers below this are written with all their digits by %.16g, so the
// integer path gives the same text.
constexpr double kExactIntegerLimit = 1e15;

std::string_view TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return "counter";
    case prometheus::MetricType::Gauge:
      return "gauge";
    case prometheus::MetricType::Untyped:
      return "untyped";
    case prometheus::MetricType::Summary:
    case prometheus::MetricType::Histogram:
      break;
  }
  throw std::invalid_argument(
      "ExpositionWriter supports gauges, counters and untyped families");
}

double SampleValue(const prometheus::MetricFamily& family,
                   const prometheus::ClientMetric& sample) {
  if (family.type == prometheus::MetricType::Counter) {
    return sample.counter.value;
  }
  if (family.type == prometheus::MetricType::Gauge) {
    return sample.gauge.value;
  }
  return sample.untyped.value;
}

void WriteSamples(const prometheus::MetricFamily& family,
                  ExpositionWriter& writer) {
  std::vector<LabelView> labels;
  for (const auto& sample : family.metric) {
    labels.clear();
    for (const auto& label : sample.label) {
      labels.push_back({label.name, label.value});
    }
    writer.Sample(labels, SampleValue(family, sample));
  }
}

}  // namespace

void ExpositionWriter::BeginFamily(std::string_view name, std::string_view help,
                                   prometheus::MetricType type) {
  const std::string_view type_name = TypeName(type);
  family_name_.assign(name);

  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  for (const char c : help) {
    if (c == '\\') {
      out_ += "\\\\";
    } else if (c == '\n') {
      out_ += "\\n";
    } else {
      out_ += c;
    }
  }
  out_ += '\n';

  out_ += "# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type_name;
  out_ += '\n';
}

void ExpositionWriter::Sample(std::span<const LabelView> labels, double value) {
  out_ += family_name_;
  if (!labels.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& label : labels) {
      if (!first) {
        out_ += ',';
      }
      first = false;
      out_ += label.name;
      out_ += "=\"";
      WriteLabelValue(label.value);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  WriteValue(value);
  out_ += '\n';
}

void ExpositionWriter::WriteLabelValue(std::string_view value) {
  // Host user names and file paths are arbitrary bytes, and the exposition
  // must be valid UTF-8; checking first keeps the common case a copy.
  std::string replaced;
  if (!IsValidUtf8(value)) {
    replaced = ToValidUtf8(value);
    value = replaced;
  }

  const auto needs_escape = [](char c) {
    return c == '\\' || c == '"' || c == '\n';
  };
  while (!value.empty()) {
    const auto special = std::find_if(value.begin(), value.end(), needs_escape);
    out_.append(value.begin(), special);
    if (special == value.end()) {
      break;
    }
    out_ += '\\';
    out_ += *special == '\n' ? 'n' : *special;
    value.remove_prefix(static_cast<std::size_t>(special - value.begin()) + 1);
  }
}

void ExpositionWriter::WriteValue(double value) {
  if (std::isnan(value)) {
    out_ += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out_ += value < 0 ? "-Inf" : "+Inf";
    return;
  }
  if (value == 0) {
    out_ += std::signbit(value) ? "-0" : "0";
    return;
  }

  std::array<char, 32> buffer{};
  std::to_chars_result written{};
  if (std::fabs(value) < kExactIntegerLimit && std::trunc(value) == value) {
    written = std::to_chars(buffer.data(), buffer.data() + buffer.size(),
                            static_cast<std::int64_t>(value));
  } else {
    written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                            std::chars_format::general, kValuePrecision);
  }
  out_.append(buffer.data(), written.ptr);
}

void WriteFamilies(std::vector<FamilySource> families, std::string& out) {
  std::stable_sort(families.begin(), families.end(),
                   [](const FamilySource& a, const FamilySource& b) {
                     return a.name < b.name;
                   });
  ExpositionWriter writer(out);
  for (const auto& family : families) {
    writer.BeginFamily(family.name, family.help, family.type);
    family.write_samples(writer);
  }
}

std::vector<FamilySource> SourcesOf(
    const std::vector<prometheus::MetricFamily>& families) {
  std::vector<FamilySource> sources;
  sources.reserve(families.size());
  for (const auto& family : families) {
    sources.push_back({family.name, family.help, family.type,
                       [&family](ExpositionWriter& writer) {
                         WriteSamples(family, writer);
                       }});
  }
  return sources;
}

}  // namespace dce
