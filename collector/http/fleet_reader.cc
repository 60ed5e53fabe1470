#include "collector/http/fleet_reader.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "collector/host_facts.h"
#include "common/enums.h"
#include "common/wire.h"
#include "vigie/v1/inventory.pb.h"

namespace vigie::collector::http {
namespace {

Timestamp FromSeconds(std::int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

// A WHERE clause built from the filters that are set, with its parameters in order.
struct Conditions {
  std::string sql;
  std::vector<std::variant<std::string, std::int64_t>> values;

  void Add(std::string_view condition, std::variant<std::string, std::int64_t> value) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += condition;
    values.push_back(std::move(value));
  }
  // Returns the next free parameter index.
  int Bind(sqlite::Statement& statement) const {
    int index = 1;
    for (const auto& value : values) {
      std::visit([&](const auto& v) { statement.Bind(index, v); }, value);
      ++index;
    }
    return index;
  }
};

std::string Lowercase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// `column IN (?, ?, ...)` for `count` values.
std::string InList(std::string_view column, std::size_t count) {
  std::string in = std::string(column) + " IN (";
  for (std::size_t i = 0; i < count; ++i) in += i == 0 ? "?" : ", ?";
  return in + ")";
}

Conditions ConditionsFor(const HostFilter& filter) {
  Conditions conditions;
  if (filter.ministry) conditions.Add("h.ministry = ?", *filter.ministry);
  if (filter.verdict) conditions.Add("h.verdict = ?", static_cast<std::int64_t>(*filter.verdict));
  if (filter.os) conditions.Add("h.os_family = ?", static_cast<std::int64_t>(*filter.os));
  if (filter.service) {
    conditions.Add(
        "EXISTS (SELECT 1 FROM host_facts f WHERE f.host_key = h.host_key AND f.kind = " +
            std::to_string(static_cast<int>(FactKind::kServiceInUse)) + " AND f.key = ?)",
        std::string(EnumName(*filter.service)));
  }
  if (!filter.org_units.empty()) {
    conditions.sql += conditions.sql.empty() ? " WHERE " : " AND ";
    conditions.sql += InList("h.org_unit", filter.org_units.size());
    for (const std::string& unit : filter.org_units) conditions.values.push_back(unit);
  }
  const auto characters = std::count_if(filter.search.begin(), filter.search.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (characters >= 3) {
    // Anywhere in the name, from the trigram index (a phrase of the whole text: every character
    // of the search is literal).
    std::string phrase = "\"";
    for (char c : filter.search) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
    conditions.Add("h.id IN (SELECT rowid FROM host_names WHERE host_names MATCH ?)",
                   phrase + "\"");
  } else if (!filter.search.empty()) {
    // Too short for trigrams: the start of the name, a range of the index on lower(hostname).
    const std::string prefix = Lowercase(filter.search);
    conditions.Add("lower(h.hostname) >= ?", prefix);
    std::string next = prefix;
    while (!next.empty() && static_cast<unsigned char>(next.back()) == 0xFF) next.pop_back();
    if (!next.empty()) {
      next.back() = static_cast<char>(static_cast<unsigned char>(next.back()) + 1);
      conditions.Add("lower(h.hostname) < ?", next);
    }
  }
  return conditions;
}

HostRow RowFrom(const sqlite::Statement& query) {
  HostRow row;
  row.host_key = query.ColumnText(0);
  row.ministry = query.ColumnText(1);
  row.hostname = query.ColumnText(2);
  row.os_family = static_cast<OsFamily>(query.ColumnInt(3));
  row.os_name = query.ColumnText(4);
  row.verdict = static_cast<VerdictStatus>(query.ColumnInt(5));
  row.first_seen = FromSeconds(query.ColumnInt(6));
  row.last_seen = FromSeconds(query.ColumnInt(7));
  row.org_unit = query.ColumnText(8);
  row.id = query.ColumnInt(9);
  return row;
}

constexpr const char* kHostColumns =
    "h.host_key, h.ministry, h.hostname, h.os_family, h.os_name, h.verdict, h.first_seen, "
    "h.last_seen, h.org_unit, h.id";

}  // namespace

Result<FleetReader> FleetReader::Open(const std::string& database) {
  auto store = Store::Open(database, Store::Mode::kReadOnly);
  if (!store.ok()) return store.status();
  sqlite::Database::Options options;
  options.read_only = true;
  auto db = sqlite::Database::Open(database, options, StoreMigrations());
  if (!db.ok()) return db.status();
  return FleetReader(std::move(store).value(), std::move(db).value());
}

Result<FleetSummary> FleetReader::Summary(const JudgingRules& rules, Timestamp now,
                                          const SummaryOptions& options) {
  return BuildSummary(store_, rules, now, options);
}

Result<std::vector<MinistryCounts>> FleetReader::CountHostsByMinistry() {
  return store_.CountHostsByMinistry();
}

Result<std::vector<DerogationRecord>> FleetReader::Derogations(const std::string& ministry) {
  return store_.ListDerogations(ministry);
}

Result<std::vector<SnapshotDay>> FleetReader::Trend(const std::string& ministry,
                                                    const std::string& org_unit, Date from,
                                                    Date to) {
  return store_.Trend(ministry, org_unit, from, to);
}

Result<HostPage> FleetReader::ListHosts(const HostFilter& filter, HostSort sort, bool descending,
                                        const std::optional<HostCursor>& cursor,
                                        std::int64_t limit) {
  // Every order ends with the row id, so that it is total and a cursor places a page exactly.
  struct Key {
    const char* column;
    bool text;
  };
  std::vector<Key> keys;
  if (sort == HostSort::kLastSeen) keys.push_back({"h.last_seen", false});
  if (sort == HostSort::kVerdict) keys.push_back({"h.verdict", false});
  keys.push_back({"h.hostname", true});
  keys.push_back({"h.id", false});
  // Before a cursor, the rows are read backwards from it, then put back in the list's order.
  const bool backwards = cursor && cursor->before;
  const bool reversed = descending != backwards;
  std::string columns;
  std::string order;
  std::string placeholders;
  for (const Key& key : keys) {
    const char* separator = columns.empty() ? "" : ", ";
    columns += separator + std::string(key.column);
    order += separator + std::string(key.column) + (reversed ? " DESC" : "");
    placeholders += separator + std::string("?");
  }

  std::lock_guard lock(mutex_);
  HostPage page;
  auto total = CountHostsLocked(filter);
  if (!total.ok()) return total.status();
  page.total = *total;

  Conditions conditions = ConditionsFor(filter);
  if (cursor) {
    // The cursor's own sort keys, read once, bound as constants: the row-value comparison is then
    // a range of the index the order uses.
    // Another ministry's host is no anchor for a ministry's list: its place would leak.
    auto anchor = db_.Prepare("SELECT " + columns + " FROM hosts h WHERE h.id = ?" +
                              (filter.ministry ? " AND h.ministry = ?" : ""));
    if (!anchor.ok()) return anchor.status();
    anchor->Bind(1, cursor->host_id);
    if (filter.ministry) anchor->Bind(2, *filter.ministry);
    auto found = anchor->Step();
    if (!found.ok()) return found.status();
    if (!*found) return NotFound("host " + std::to_string(cursor->host_id) + " is not stored");
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const int column = static_cast<int>(i);
      if (keys[i].text) {
        conditions.values.push_back(anchor->ColumnText(column));
      } else {
        conditions.values.push_back(anchor->ColumnInt(column));
      }
    }
    conditions.sql += conditions.sql.empty() ? " WHERE " : " AND ";
    conditions.sql += "(" + columns + ") " + (reversed ? "<" : ">") + " (" + placeholders + ")";
  }

  // One row more than asked tells whether another page follows in the reading direction.
  auto query = db_.Prepare(std::string("SELECT ") + kHostColumns + " FROM hosts h" +
                           conditions.sql + " ORDER BY " + order + " LIMIT ?");
  if (!query.ok()) return query.status();
  const int next = conditions.Bind(*query);
  query->Bind(next, limit + 1);
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    page.hosts.push_back(RowFrom(*query));
  }
  const bool more = static_cast<std::int64_t>(page.hosts.size()) > limit;
  if (more) page.hosts.pop_back();
  if (backwards) {
    std::reverse(page.hosts.begin(), page.hosts.end());
    page.more_before = more;
    page.more_after = true;
  } else {
    page.more_before = cursor.has_value();
    page.more_after = more;
  }
  return page;
}

Result<std::int64_t> FleetReader::CountHostsLocked(const HostFilter& filter) {
  Conditions counters;
  std::string table;
  if (filter.os && filter.search.empty() && !filter.service && filter.org_units.empty()) {
    table = "os_verdict_counts";
    if (filter.ministry) counters.Add("ministry = ?", *filter.ministry);
    counters.Add("os_family = ?", static_cast<std::int64_t>(*filter.os));
    if (filter.verdict) counters.Add("verdict = ?", static_cast<std::int64_t>(*filter.verdict));
  } else if (!filter.os && filter.search.empty() && !filter.service) {
    table = filter.org_units.empty() ? "verdict_counts" : "unit_verdict_counts";
    if (filter.ministry) counters.Add("ministry = ?", *filter.ministry);
    if (filter.verdict) counters.Add("verdict = ?", static_cast<std::int64_t>(*filter.verdict));
    if (!filter.org_units.empty()) {
      counters.sql += counters.sql.empty() ? " WHERE " : " AND ";
      counters.sql += InList("org_unit", filter.org_units.size());
      for (const std::string& unit : filter.org_units) counters.values.push_back(unit);
    }
  } else if (filter.service && !filter.os && filter.search.empty() && !filter.verdict &&
             filter.org_units.empty()) {
    table = "fact_counts";
    counters.Add("kind = ?", static_cast<std::int64_t>(FactKind::kServiceInUse));
    counters.Add("key = ?", std::string(EnumName(*filter.service)));
    if (filter.ministry) counters.Add("ministry = ?", *filter.ministry);
  }
  const Conditions conditions = ConditionsFor(filter);
  auto count = table.empty()
                   ? db_.Prepare("SELECT COUNT(*) FROM hosts h" + conditions.sql)
                   : db_.Prepare("SELECT coalesce(sum(hosts), 0) FROM " + table + counters.sql);
  if (!count.ok()) return count.status();
  (table.empty() ? conditions : counters).Bind(*count);
  auto counted = count->Step();
  if (!counted.ok()) return counted.status();
  return count->ColumnInt(0);
}

Result<std::optional<HostDetail>> FleetReader::FindHost(const std::string& host_key) {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(std::string("SELECT ") + kHostColumns +
                           ", h.last_scan, h.reasons, r.payload FROM hosts h "
                           "JOIN reports r ON r.id = h.latest_report WHERE h.host_key = ?");
  if (!query.ok()) return query.status();
  query->Bind(1, host_key);
  auto found = query->Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<HostDetail>();
  HostDetail detail;
  detail.host = RowFrom(*query);
  detail.last_scan = FromSeconds(query->ColumnInt(10));
  const auto reasons = nlohmann::json::parse(query->ColumnText(11), nullptr, false);
  if (reasons.is_array()) {
    for (const auto& reason : reasons) {
      if (reason.is_string()) detail.reasons.push_back(reason.get<std::string>());
    }
  }
  v1::InventoryReport message;
  if (!message.ParseFromString(query->ColumnText(12))) {
    return DataLoss("the latest report of host " + host_key + " cannot be read");
  }
  detail.report = FromProto(message);

  auto history = db_.Prepare(
      "SELECT at, verdict, cause FROM verdict_changes WHERE host_key = ? "
      "ORDER BY at DESC, id DESC LIMIT 50");
  if (!history.ok()) return history.status();
  history->Bind(1, host_key);
  while (true) {
    auto row = history->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    detail.history.push_back({FromSeconds(history->ColumnInt(0)),
                              static_cast<VerdictStatus>(history->ColumnInt(1)),
                              history->ColumnText(2)});
  }
  return std::optional<HostDetail>(std::move(detail));
}

Result<std::int64_t> FleetReader::ReportsStored() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare("SELECT coalesce(max(id), 0) FROM reports");
  if (!query.ok()) return query.status();
  auto row = query->Step();
  if (!row.ok()) return row.status();
  return query->ColumnInt(0);
}

}  // namespace vigie::collector::http
