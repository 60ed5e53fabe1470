#include <fmt/format.h>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kVersions[] = {"14.0", "15.0", "16.0"};
constexpr std::string_view kLists[] = {"File MRU", "Place MRU"};
// Office keeps a few dozen items per list; the bound only stops a damaged hive from looping.
constexpr int kMaxItems = 1000;

// An MRU item, "[F00000000][T01D9C5B3E0A8F2C0][O00000000]*https://...": the address after the
// first '*', and the time of the [T...] field (a FILETIME in hexadecimal) when there is one.
struct MruItem {
  std::string address;
  std::optional<Timestamp> opened;
};

std::optional<Timestamp> FileTimeOf(std::string_view hex) {
  if (hex.size() != 16) return std::nullopt;
  std::uint64_t ticks = 0;
  for (const char c : hex) {
    const int digit = HexDigitValue(c);
    if (digit < 0) return std::nullopt;
    ticks = ticks * 16 + static_cast<std::uint64_t>(digit);
  }
  constexpr std::uint64_t kTicksPerSecond = 10'000'000;
  constexpr std::int64_t kSecondsFrom1601To1970 = 11'644'473'600;
  const auto seconds = static_cast<std::int64_t>(ticks / kTicksPerSecond) - kSecondsFrom1601To1970;
  if (seconds <= 0) return std::nullopt;
  return Timestamp{std::chrono::seconds{seconds}};
}

MruItem ParseItem(std::string_view text) {
  MruItem item;
  const auto star = text.find('*');
  item.address = std::string(star == std::string_view::npos ? text : text.substr(star + 1));
  const auto time = text.substr(0, star).find("[T");
  if (time != std::string_view::npos) {
    const auto end = text.find(']', time);
    if (end != std::string_view::npos && end < star) {
      item.opened = FileTimeOf(text.substr(time + 2, end - time - 2));
    }
  }
  return item;
}

struct Usage {
  std::set<std::string> addresses;  // Lowercased; counted, never sent.
  std::optional<Timestamp> last_seen;
};

}  // namespace

Status WindowsOfficeMruProbe::Run(const SystemView& system, ScanFacts& facts) const {
  return ForEachUserHive(
      system, pseudonyms_, name(), facts, [&](const WindowsUser& user, const UserHive& hive) {
        std::map<std::pair<ServiceCategory, std::string>, Usage> usage;
        const auto read_list = [&](const std::string& key) -> Status {
          for (int i = 1; i <= kMaxItems; ++i) {
            auto text = OptionalString(hive.ReadValue(key, fmt::format("Item {}", i)));
            if (!text.ok()) return text.status().Annotate(key);
            if (!*text) break;
            const MruItem item = ParseItem(**text);
            const auto location = CloudDocumentLocationOf(item.address);
            if (!location) continue;
            Usage& use = usage[{location->service, location->tenant}];
            use.addresses.insert(AsciiLowercase(item.address));
            if (item.opened && (!use.last_seen || *use.last_seen < *item.opened)) {
              use.last_seen = item.opened;
            }
          }
          return Status::Ok();
        };
        const auto subkeys = [&](const std::string& key) -> Result<std::vector<std::string>> {
          auto names = hive.ListSubkeys(key);
          if (!names.ok() && names.status().code() == StatusCode::kNotFound) {
            return std::vector<std::string>();
          }
          return names;
        };
        for (const std::string_view version : kVersions) {
          const std::string office = "Software\\Microsoft\\Office\\" + std::string(version);
          auto applications = subkeys(office);
          if (!applications.ok()) return applications.status();
          for (const auto& application : *applications) {
            const std::string app_key = office + "\\" + application;
            std::vector<std::string> containers = {app_key};
            auto identities = subkeys(app_key + "\\User MRU");
            if (!identities.ok()) return identities.status();
            for (const auto& identity : *identities) {
              containers.push_back(app_key + "\\User MRU\\" + identity);
            }
            for (const auto& container : containers) {
              for (const std::string_view list : kLists) {
                VIGIE_RETURN_IF_ERROR(read_list(container + "\\" + std::string(list)));
              }
            }
          }
        }
        for (auto& [where, use] : usage) {
          Evidence evidence;
          evidence.product = "Office";
          evidence.service = where.first;
          evidence.kind = EvidenceKind::kUsed;
          evidence.tenant = where.second;
          evidence.source = name();
          evidence.user_pseudonym = user.pseudonym;
          evidence.count = static_cast<std::uint32_t>(use.addresses.size());
          if (use.last_seen)
            evidence.last_seen = std::chrono::floor<std::chrono::days>(*use.last_seen);
          facts.evidence.push_back(std::move(evidence));
        }
        return Status::Ok();
      });
}

}  // namespace vigie::agent
