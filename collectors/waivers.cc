#include "collectors/waivers.h"

#include <charconv>

namespace dce {
namespace {

// system_clock counts nanoseconds from 1970 in 64 bits, which reaches only
// 1678 to 2262; the range below stays well inside it.
constexpr int kMinExpiryYear = 2000;
constexpr int kMaxExpiryYear = 2199;

bool IsUnconstrained(const ContainerSelector& selector) {
  return selector.name_pattern.empty() && selector.labels.empty();
}

std::optional<AppliedWaiver> Apply(const Waiver& waiver,
                                   std::chrono::system_clock::time_point now) {
  return AppliedWaiver{waiver.reason, waiver.expires, waiver.ActiveAt(now)};
}

// Returns the first active waiver among those `covers` accepts, else the
// first expired one.
template <typename Predicate>
std::optional<AppliedWaiver> FindPreferringActive(
    std::span<const Waiver> waivers, std::string_view check,
    std::chrono::system_clock::time_point now, Predicate covers) {
  const Waiver* expired = nullptr;
  for (const auto& waiver : waivers) {
    if (waiver.check != check || !covers(waiver)) {
      continue;
    }
    if (waiver.ActiveAt(now)) {
      return Apply(waiver, now);
    }
    if (expired == nullptr) {
      expired = &waiver;
    }
  }
  if (expired != nullptr) {
    return Apply(*expired, now);
  }
  return std::nullopt;
}

bool ParseNumber(std::string_view text, int& value) {
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseExpiryDate(
    std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool separator = i == 4 || i == 7;
    if (!separator && (text[i] < '0' || text[i] > '9')) {
      return std::nullopt;
    }
  }
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ParseNumber(text.substr(0, 4), year) ||
      !ParseNumber(text.substr(5, 2), month) ||
      !ParseNumber(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  if (year < kMinExpiryYear || year > kMaxExpiryYear) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{
      std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  // The waiver applies through the whole day named, so it ends when the
  // next day starts.
  return std::chrono::sys_days(date) + std::chrono::days(1);
}

std::optional<AppliedWaiver> FindContainerWaiver(
    std::span<const Waiver> waivers, std::string_view check,
    std::string_view name, const ContainerLabels& labels,
    std::chrono::system_clock::time_point now) {
  return FindPreferringActive(
      waivers, check, now, [name, &labels](const Waiver& waiver) {
        return waiver.subject == WaiverSubject::kContainer &&
               waiver.containers.Matches(name, labels);
      });
}

std::optional<AppliedWaiver> FindSubjectWaiver(
    std::span<const Waiver> waivers, WaiverSubject subject,
    std::string_view check, std::chrono::system_clock::time_point now) {
  return FindPreferringActive(
      waivers, check, now,
      [subject](const Waiver& waiver) { return waiver.subject == subject; });
}

bool WaiversOverlap(const Waiver& a, const Waiver& b) {
  if (a.check != b.check || a.subject != b.subject) {
    return false;
  }
  if (a.subject != WaiverSubject::kContainer) {
    return true;
  }
  return IsUnconstrained(a.containers) || IsUnconstrained(b.containers) ||
         a.containers.SameAs(b.containers);
}

}  // namespace dce
