#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

enum class HistoryFormat {
  // Chrome, Chromium, Edge, Brave, Vivaldi: `History`, tables urls and visits, times in
  // microseconds since 1601-01-01 UTC (WebKit time).
  kChromium,
  // Firefox: `places.sqlite`, tables moz_places and moz_historyvisits, times in microseconds
  // since 1970-01-01 UTC (PRTime).
  kFirefox,
};

// Calls `visit` with the URL and time of every visit between `from` and `to` (inclusive) in the
// history database at `database`, a private copy (HistorySnapshot): it is opened read-write so
// that SQLite can replay its write-ahead log or roll back its journal. The URL is only valid
// during the call. A file that is not such a database gives DATA_LOSS with SQLite's reason.
Status ForEachVisit(const std::filesystem::path& database, HistoryFormat format, Timestamp from,
                    Timestamp to,
                    const std::function<void(std::string_view url, Timestamp when)>& visit);

}  // namespace vigie::agent
