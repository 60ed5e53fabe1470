// Store: daily snapshots for trends, and the retention of raw reports.
#include <map>

#include "collector/store.h"

namespace vigie::collector {
namespace {

using VerdictArray = std::array<std::int64_t, 6>;

// Deleting in slices keeps each write transaction short, so that ingest goes on meanwhile.
constexpr int kDeleteSlice = 5000;

}  // namespace

Result<bool> Store::WriteDailySnapshot(Date day, const MinistryList& ministries) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();
  const std::string iso_day = FormatIsoDate(day);
  auto done = db_.Prepare("SELECT 1 FROM daily_snapshots WHERE day = ? LIMIT 1");
  if (!done.ok()) return done.status();
  done->Bind(1, iso_day);
  auto written = done->Step();
  if (!written.ok()) return written.status();
  if (*written) return false;

  std::map<std::pair<std::string, std::string>, VerdictArray> totals;
  const auto add = [&](const std::string& ministry, const std::string& unit, std::int64_t verdict,
                       std::int64_t hosts) {
    if (verdict < 0 || verdict >= 6 || hosts <= 0) return;
    totals[{ministry, unit}][verdict] += hosts;
  };
  auto by_ministry = db_.Prepare("SELECT ministry, verdict, hosts FROM verdict_counts");
  if (!by_ministry.ok()) return by_ministry.status();
  while (true) {
    auto row = by_ministry->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    add(by_ministry->ColumnText(0), "", by_ministry->ColumnInt(1), by_ministry->ColumnInt(2));
  }
  auto by_unit = db_.Prepare(
      "SELECT ministry, org_unit, verdict, hosts FROM unit_verdict_counts WHERE org_unit != ''");
  if (!by_unit.ok()) return by_unit.status();
  while (true) {
    auto row = by_unit->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string ministry = by_unit->ColumnText(0);
    const std::string unit = by_unit->ColumnText(1);
    const Ministry* known = ministries.Find(ministry);
    std::vector<std::string> lineage = known ? known->LineageOf(unit) : std::vector<std::string>{};
    // A unit the configuration no longer describes still counts its own hosts.
    if (lineage.empty()) lineage.push_back(unit);
    for (const std::string& enclosing : lineage) {
      add(ministry, enclosing, by_unit->ColumnInt(2), by_unit->ColumnInt(3));
    }
  }

  auto insert = db_.Prepare(
      "INSERT INTO daily_snapshots (day, ministry, org_unit, verdict, hosts) VALUES (?, ?, ?, ?, "
      "?)");
  if (!insert.ok()) return insert.status();
  for (const auto& [key, verdicts] : totals) {
    for (std::size_t verdict = 0; verdict < verdicts.size(); ++verdict) {
      if (verdicts[verdict] == 0) continue;
      insert->Reset();
      insert->Bind(1, iso_day).Bind(2, key.first).Bind(3, key.second);
      insert->Bind(4, static_cast<std::int64_t>(verdict)).Bind(5, verdicts[verdict]);
      VIGIE_RETURN_IF_ERROR(insert->Run());
    }
  }
  VIGIE_RETURN_IF_ERROR(transaction->Commit());
  return true;
}

Result<std::vector<SnapshotDay>> Store::Trend(const std::string& ministry,
                                              const std::string& org_unit, Date from, Date to) {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT day, verdict, hosts FROM daily_snapshots WHERE ministry = ? AND org_unit = ? AND "
      "day BETWEEN ? AND ? ORDER BY day");
  if (!query.ok()) return query.status();
  query->Bind(1, ministry)
      .Bind(2, org_unit)
      .Bind(3, FormatIsoDate(from))
      .Bind(4, FormatIsoDate(to));
  std::vector<SnapshotDay> days;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto day = ParseIsoDate(query->ColumnText(0));
    if (!day.ok()) return DataLoss("a daily snapshot has a corrupt date: " + query->ColumnText(0));
    if (days.empty() || days.back().day != *day) days.push_back({*day, {}});
    const auto verdict = query->ColumnInt(1);
    if (verdict >= 0 && verdict < 6) days.back().hosts_by_verdict[verdict] = query->ColumnInt(2);
  }
  return days;
}

Result<std::int64_t> Store::DeleteReportsBefore(Timestamp received_before) {
  std::int64_t deleted = 0;
  while (true) {
    std::lock_guard lock(mutex_);
    auto slice = db_.Prepare(
        "DELETE FROM reports WHERE id IN (SELECT r.id FROM reports r WHERE r.received_at < ? AND "
        "NOT EXISTS (SELECT 1 FROM hosts h WHERE h.latest_report = r.id) LIMIT ?)");
    if (!slice.ok()) return slice.status();
    slice->Bind(1, received_before.time_since_epoch().count())
        .Bind(2, static_cast<std::int64_t>(kDeleteSlice));
    VIGIE_RETURN_IF_ERROR(slice->Run());
    const std::int64_t count = db_.Changes();
    deleted += count;
    if (count < kDeleteSlice) return deleted;
  }
}

}  // namespace vigie::collector
