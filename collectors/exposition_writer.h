#pragma once

#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dce {

/// A label of one sample, as views of strings that outlive the write.
struct LabelView {
  std::string_view name;
  std::string_view value;
};

/// Appends metric families to a string in the Prometheus text exposition
/// format 0.0.4, without building prometheus-cpp objects first: at 1,000
/// containers those took several times the memory of the text itself.
/// Writes the same bytes as prometheus-cpp 1.0's TextSerializer for gauges
/// and counters, except that it escapes `\` and newlines in help text and
/// writes NaN as `NaN`. Label values that are not valid UTF-8 are written
/// with U+FFFD in place of each ill-formed sequence.
class ExpositionWriter {
 public:
  /// Appends to `out`, which must outlive the writer.
  explicit ExpositionWriter(std::string& out) : out_(out) {}

  /// Writes the `# HELP` and `# TYPE` lines of a family; samples written
  /// next belong to it. Only gauges, counters and untyped families are
  /// supported, because they are one line per sample.
  void BeginFamily(std::string_view name, std::string_view help,
                   prometheus::MetricType type);

  /// Writes one sample of the current family.
  void Sample(std::span<const LabelView> labels, double value);
  void Sample(double value) { Sample(std::span<const LabelView>(), value); }
  void Sample(std::initializer_list<LabelView> labels, double value) {
    Sample(std::span<const LabelView>(labels.begin(), labels.size()), value);
  }

 private:
  void WriteLabelValue(std::string_view value);
  void WriteValue(double value);

  std::string& out_;
  std::string family_name_;
};

/// A metric family whose samples are written on demand, so that families
/// can be put in name order before any of them is written.
struct FamilySource {
  std::string_view name;
  std::string_view help;
  prometheus::MetricType type = prometheus::MetricType::Gauge;
  std::function<void(ExpositionWriter&)> write_samples;
};

/// Appends `families` to `out` in name order.
void WriteFamilies(std::vector<FamilySource> families, std::string& out);

/// Returns a source for each of `families`, which must outlive the sources.
std::vector<FamilySource> SourcesOf(
    const std::vector<prometheus::MetricFamily>& families);

}  // namespace dce
