#include "collector/store.h"

#include <unistd.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string_view>

#include "collector/host_facts.h"
#include "common/dates.h"
#include "common/wire.h"
#include "vigie/v1/inventory.pb.h"

namespace vigie::collector {
namespace {

// Numbered migrations: entry i brings the schema from version i to i + 1. Never edit one that has
// shipped; append a new one.
constexpr std::string_view kMigrations[] = {
    R"sql(
    -- Every report as received: the history, and the proof of what each agent said.
    CREATE TABLE reports (
      id            INTEGER PRIMARY KEY,
      report_id     TEXT    NOT NULL UNIQUE,  -- the agent's idempotency key
      host_key      TEXT    NOT NULL,         -- HostIdentity.host_id
      ministry      TEXT    NOT NULL,
      received_at   INTEGER NOT NULL,         -- Unix seconds, collector clock
      scan_finished INTEGER NOT NULL,         -- Unix seconds, agent clock
      verdict       INTEGER NOT NULL,         -- VerdictStatus computed on ingest
      reasons       TEXT    NOT NULL,         -- JSON array of French reasons
      payload       BLOB    NOT NULL          -- vigie.v1.InventoryReport, protobuf bytes
    ) STRICT;
    CREATE INDEX reports_by_host ON reports (host_key, scan_finished);

    -- The latest state of each host: what summaries and dashboards read.
    CREATE TABLE hosts (
      id            INTEGER PRIMARY KEY,
      host_key      TEXT    NOT NULL UNIQUE,
      ministry      TEXT    NOT NULL,
      hostname      TEXT    NOT NULL,
      os_family     INTEGER NOT NULL,
      os_name       TEXT    NOT NULL,
      first_seen    INTEGER NOT NULL,         -- Unix seconds, collector clock
      last_seen     INTEGER NOT NULL,         -- Unix seconds, collector clock
      last_scan     INTEGER NOT NULL,         -- scan_finished of the latest report
      latest_report INTEGER NOT NULL REFERENCES reports (id),
      verdict       INTEGER NOT NULL,
      reasons       TEXT    NOT NULL
    ) STRICT;
    CREATE INDEX hosts_by_ministry_verdict ON hosts (ministry, verdict);
    )sql",
    R"sql(
    -- The derogation register (doctrine: only MAIL and PERSONAL_DRIVE, time-limited).
    CREATE TABLE derogations (
      id          INTEGER PRIMARY KEY,
      ministry    TEXT    NOT NULL,
      service     INTEGER NOT NULL,         -- ServiceCategory
      granted_by  TEXT    NOT NULL,
      reference   TEXT    NOT NULL,
      valid_from  TEXT    NOT NULL,         -- YYYY-MM-DD, inclusive
      valid_until TEXT    NOT NULL,         -- YYYY-MM-DD, inclusive
      recorded_at INTEGER NOT NULL,         -- Unix seconds
      recorded_by TEXT    NOT NULL,
      revoked_at  INTEGER,
      revoked_by  TEXT
    ) STRICT;
    CREATE INDEX derogations_by_ministry ON derogations (ministry);

    -- Each change of a host's verdict, and what caused it (a report, a derogation, expiry).
    CREATE TABLE verdict_changes (
      id       INTEGER PRIMARY KEY,
      host_key TEXT    NOT NULL,
      at       INTEGER NOT NULL,            -- Unix seconds, collector clock
      verdict  INTEGER NOT NULL,
      reasons  TEXT    NOT NULL,
      cause    TEXT    NOT NULL
    ) STRICT;
    CREATE INDEX verdict_changes_by_host ON verdict_changes (host_key, at);
    )sql",
    R"sql(
    -- What summaries count about each host's latest report (collector/host_facts.h).
    CREATE TABLE host_facts (
      host_key TEXT    NOT NULL,
      ministry TEXT    NOT NULL,
      kind     INTEGER NOT NULL,              -- FactKind
      key      TEXT    NOT NULL,
      PRIMARY KEY (host_key, kind, key)
    ) STRICT, WITHOUT ROWID;

    -- Counters kept by triggers in the same transactions as the rows they count, so that a
    -- summary reads a few hundred rows whatever the number of hosts.
    CREATE TABLE verdict_counts (
      ministry TEXT    NOT NULL,
      verdict  INTEGER NOT NULL,
      hosts    INTEGER NOT NULL,
      PRIMARY KEY (ministry, verdict)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE fact_counts (
      ministry TEXT    NOT NULL,
      kind     INTEGER NOT NULL,
      key      TEXT    NOT NULL,
      hosts    INTEGER NOT NULL,
      PRIMARY KEY (ministry, kind, key)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER hosts_counted AFTER INSERT ON hosts BEGIN
      INSERT INTO verdict_counts VALUES (NEW.ministry, NEW.verdict, 1)
        ON CONFLICT (ministry, verdict) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER hosts_recounted AFTER UPDATE OF ministry, verdict ON hosts
      WHEN OLD.ministry != NEW.ministry OR OLD.verdict != NEW.verdict BEGIN
      UPDATE verdict_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND verdict = OLD.verdict;
      INSERT INTO verdict_counts VALUES (NEW.ministry, NEW.verdict, 1)
        ON CONFLICT (ministry, verdict) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER hosts_uncounted AFTER DELETE ON hosts BEGIN
      UPDATE verdict_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND verdict = OLD.verdict;
    END;
    CREATE TRIGGER host_facts_counted AFTER INSERT ON host_facts BEGIN
      INSERT INTO fact_counts VALUES (NEW.ministry, NEW.kind, NEW.key, 1)
        ON CONFLICT (ministry, kind, key) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER host_facts_uncounted AFTER DELETE ON host_facts BEGIN
      UPDATE fact_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND kind = OLD.kind AND key = OLD.key;
    END;

    INSERT INTO verdict_counts SELECT ministry, verdict, COUNT(*) FROM hosts GROUP BY 1, 2;
    CREATE INDEX hosts_by_ministry_last_seen ON hosts (ministry, last_seen);
    )sql",
    R"sql(
    -- Where each host sits in its ministry (common/ministries.h); '' until it is placed.
    ALTER TABLE hosts ADD COLUMN org_unit TEXT NOT NULL DEFAULT '';

    -- Every change of a host's ministry or org unit: who or what moved it, and when.
    CREATE TABLE host_moves (
      id            INTEGER PRIMARY KEY,
      host_key      TEXT    NOT NULL,
      at            INTEGER NOT NULL,       -- Unix seconds, collector clock
      from_ministry TEXT    NOT NULL,
      from_org_unit TEXT    NOT NULL,
      to_ministry   TEXT    NOT NULL,
      to_org_unit   TEXT    NOT NULL,
      actor         TEXT    NOT NULL        -- a person, or "report" when the agent said so
    ) STRICT;
    CREATE INDEX host_moves_by_host ON host_moves (host_key, at);

    -- The org-unit tree as the configuration last described it, so that a unit moved to another
    -- parent is noticed and recorded.
    CREATE TABLE org_units (
      ministry   TEXT    NOT NULL,
      id         TEXT    NOT NULL,
      parent     TEXT    NOT NULL,
      name       TEXT    NOT NULL,
      removed_at INTEGER,                   -- no longer in the configuration
      PRIMARY KEY (ministry, id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE org_unit_changes (
      id          INTEGER PRIMARY KEY,
      ministry    TEXT    NOT NULL,
      org_unit    TEXT    NOT NULL,
      at          INTEGER NOT NULL,
      change      TEXT    NOT NULL,         -- added, moved, renamed, removed
      from_parent TEXT    NOT NULL,
      to_parent   TEXT    NOT NULL
    ) STRICT;

    -- Hosts per org unit and verdict (hosts directly in the unit), kept like verdict_counts.
    CREATE TABLE unit_verdict_counts (
      ministry TEXT    NOT NULL,
      org_unit TEXT    NOT NULL,
      verdict  INTEGER NOT NULL,
      hosts    INTEGER NOT NULL,
      PRIMARY KEY (ministry, org_unit, verdict)
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER hosts_unit_counted AFTER INSERT ON hosts BEGIN
      INSERT INTO unit_verdict_counts VALUES (NEW.ministry, NEW.org_unit, NEW.verdict, 1)
        ON CONFLICT (ministry, org_unit, verdict) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER hosts_unit_recounted AFTER UPDATE OF ministry, org_unit, verdict ON hosts
      WHEN OLD.ministry != NEW.ministry OR OLD.org_unit != NEW.org_unit
        OR OLD.verdict != NEW.verdict BEGIN
      UPDATE unit_verdict_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND org_unit = OLD.org_unit AND verdict = OLD.verdict;
      INSERT INTO unit_verdict_counts VALUES (NEW.ministry, NEW.org_unit, NEW.verdict, 1)
        ON CONFLICT (ministry, org_unit, verdict) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER hosts_unit_uncounted AFTER DELETE ON hosts BEGIN
      UPDATE unit_verdict_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND org_unit = OLD.org_unit AND verdict = OLD.verdict;
    END;
    INSERT INTO unit_verdict_counts
      SELECT ministry, org_unit, verdict, COUNT(*) FROM hosts GROUP BY 1, 2, 3;

    -- Hosts by verdict each day, per ministry (org_unit '') and per org unit counting the units
    -- it enclosed that day: written once a day and never recomputed, so that moving a host or a
    -- unit later does not rewrite the past.
    CREATE TABLE daily_snapshots (
      day      TEXT    NOT NULL,            -- YYYY-MM-DD
      ministry TEXT    NOT NULL,
      org_unit TEXT    NOT NULL,
      verdict  INTEGER NOT NULL,
      hosts    INTEGER NOT NULL,
      PRIMARY KEY (ministry, org_unit, day, verdict)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX daily_snapshots_by_day ON daily_snapshots (day);

    -- Retention deletes raw reports by age, but never a host's latest.
    CREATE INDEX reports_by_received ON reports (received_at);
    CREATE INDEX hosts_by_latest_report ON hosts (latest_report);
    )sql",
    R"sql(
    -- Dashboard accounts (collector/users.h). Passwords only as Argon2id encoded hashes.
    CREATE TABLE users (
      name          TEXT    PRIMARY KEY,
      role          TEXT    NOT NULL,         -- admin, interministerial or ministry
      ministry      TEXT    NOT NULL,         -- empty unless role = 'ministry'
      password_hash TEXT    NOT NULL,
      created_at    INTEGER NOT NULL          -- Unix seconds
    ) STRICT;
    -- API tokens for scripts: only their SHA-256 is kept; they act with their user's role.
    CREATE TABLE api_tokens (
      id         INTEGER PRIMARY KEY,
      user_name  TEXT    NOT NULL REFERENCES users (name) ON DELETE CASCADE,
      token_hash TEXT    NOT NULL UNIQUE,
      label      TEXT    NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    -- The dashboard's host list sorts and searches by name within a ministry or the fleet.
    CREATE INDEX hosts_by_ministry_hostname ON hosts (ministry, hostname);
    CREATE INDEX hosts_by_hostname ON hosts (hostname);
    )sql",
    R"sql(
    -- Enrollment tokens (collector/agent_registry.h). The token is shown once; only its SHA-256
    -- is kept. The ministry and org unit of every agent enrolled with it come from here.
    CREATE TABLE enrollment_tokens (
      id          INTEGER PRIMARY KEY,
      token_hash  TEXT    NOT NULL UNIQUE,
      prefix      TEXT    NOT NULL,          -- first characters, to recognise it in lists
      ministry    TEXT    NOT NULL,
      org_unit    TEXT,                      -- org unit text id, NULL for the whole ministry
      created_at  INTEGER NOT NULL,
      created_by  TEXT    NOT NULL,
      expires_at  INTEGER,                   -- NULL: never
      max_uses    INTEGER,                   -- NULL: unlimited
      uses        INTEGER NOT NULL DEFAULT 0,
      revoked_at  INTEGER,
      revoked_by  TEXT
    );
    -- Enrolled agents, one per host: a workstation that enrolls again keeps its agent id and
    -- gets a new secret, so a reinstall creates no second host.
    CREATE TABLE agents (
      id              INTEGER PRIMARY KEY,
      agent_id        TEXT    NOT NULL UNIQUE,
      secret_hash     TEXT    NOT NULL,        -- SHA-256 of the secret; the secret is not kept
      host_key        TEXT    NOT NULL UNIQUE, -- the host id the agent enrolled with
      hostname        TEXT    NOT NULL,
      ministry        TEXT    NOT NULL,
      org_unit        TEXT,
      token_id        INTEGER NOT NULL REFERENCES enrollment_tokens (id),
      enrolled_at     INTEGER NOT NULL,        -- first enrollment
      last_enrolled   INTEGER NOT NULL,
      enrollments     INTEGER NOT NULL DEFAULT 1
    );
    )sql",
    R"sql(
    -- A derogation may be limited to one org unit (and the units it encloses).
    ALTER TABLE derogations ADD COLUMN org_unit TEXT NOT NULL DEFAULT '';
    )sql",
    R"sql(
    -- Dashboard sessions (collector/http/session_store.h), so that a restart logs nobody out.
    -- Only the SHA-256 of the cookie's value is kept; removing the account removes its sessions.
    CREATE TABLE sessions (
      id_hash    TEXT    PRIMARY KEY,
      user_name  TEXT    NOT NULL REFERENCES users (name) ON DELETE CASCADE,
      csrf_token TEXT    NOT NULL,
      created_at INTEGER NOT NULL,          -- Unix seconds
      last_used  INTEGER NOT NULL           -- Unix seconds, refreshed at most once a minute
    ) STRICT;
    CREATE INDEX sessions_by_user ON sessions (user_name);
    -- The host list: one org unit's hosts by name, and host names by case-insensitive prefix.
    CREATE INDEX hosts_by_ministry_unit_hostname ON hosts (ministry, org_unit, hostname);
    CREATE INDEX hosts_by_lower_hostname ON hosts (lower(hostname));
    CREATE INDEX hosts_by_ministry_lower_hostname ON hosts (ministry, lower(hostname));
    )sql",
    R"sql(
    -- Reports produced into the archive (collector/report_archive.h): the files stay on disk;
    -- size and SHA-256 are those written, so that a file changed since can be told.
    CREATE TABLE report_archive (
      id          INTEGER PRIMARY KEY,
      ministry    TEXT    NOT NULL,          -- '' for the interministerial report
      period      TEXT    NOT NULL,          -- daily, weekly or monthly
      first_day   TEXT    NOT NULL,          -- YYYY-MM-DD
      last_day    TEXT    NOT NULL,          -- YYYY-MM-DD
      format      TEXT    NOT NULL,          -- xlsx, csv or html
      path        TEXT    NOT NULL UNIQUE,
      size        INTEGER NOT NULL,
      sha256      TEXT    NOT NULL,
      produced_at INTEGER NOT NULL           -- Unix seconds
    ) STRICT;
    CREATE INDEX report_archive_by_ministry ON report_archive (ministry, produced_at);
    -- Secrets of this deployment, created on first use: the key of host pseudonyms in reports.
    CREATE TABLE deployment_keys (
      name  TEXT PRIMARY KEY,
      value TEXT NOT NULL                    -- hex
    ) STRICT;
    )sql",
    R"sql(
    -- SQLite 3.40.0 to 3.41.0 (Debian 12 ships 3.40.1) reports every row of a WITHOUT ROWID
    -- table whose key columns are not declared first as "NULL value in ..." in integrity_check
    -- and quick_check: host_facts is rebuilt with its key first, so that an operator's check of
    -- an intact database says "ok". Dropping a table fires no trigger: the counters stay right.
    CREATE TABLE host_facts_keyed (
      host_key TEXT    NOT NULL,
      kind     INTEGER NOT NULL,              -- FactKind
      key      TEXT    NOT NULL,
      ministry TEXT    NOT NULL,
      PRIMARY KEY (host_key, kind, key)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO host_facts_keyed (host_key, kind, key, ministry)
      SELECT host_key, kind, key, ministry FROM host_facts;
    DROP TABLE host_facts;
    ALTER TABLE host_facts_keyed RENAME TO host_facts;
    CREATE TRIGGER host_facts_counted AFTER INSERT ON host_facts BEGIN
      INSERT INTO fact_counts VALUES (NEW.ministry, NEW.kind, NEW.key, 1)
        ON CONFLICT (ministry, kind, key) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER host_facts_uncounted AFTER DELETE ON host_facts BEGIN
      UPDATE fact_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND kind = OLD.kind AND key = OLD.key;
    END;
    )sql",
    R"sql(
    -- Agents revoked by the administrator (vigie-collector agent revoke): their secret no
    -- longer works; enrolling the host again clears both.
    ALTER TABLE agents ADD COLUMN revoked_at INTEGER;
    ALTER TABLE agents ADD COLUMN revoked_by TEXT;
    )sql",
    R"sql(
    -- The host list filtered by system: its rows by name from an index, its total from counters
    -- kept like verdict_counts (a count over the rows took most of a second at 1 M hosts).
    CREATE INDEX hosts_by_ministry_os_hostname ON hosts (ministry, os_family, hostname);
    CREATE INDEX hosts_by_os_hostname ON hosts (os_family, hostname);
    CREATE TABLE os_verdict_counts (
      ministry  TEXT    NOT NULL,
      os_family INTEGER NOT NULL,
      verdict   INTEGER NOT NULL,
      hosts     INTEGER NOT NULL,
      PRIMARY KEY (ministry, os_family, verdict)
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER hosts_os_counted AFTER INSERT ON hosts BEGIN
      INSERT INTO os_verdict_counts VALUES (NEW.ministry, NEW.os_family, NEW.verdict, 1)
        ON CONFLICT (ministry, os_family, verdict) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER hosts_os_recounted AFTER UPDATE OF ministry, os_family, verdict ON hosts
      WHEN OLD.ministry != NEW.ministry OR OLD.os_family != NEW.os_family
        OR OLD.verdict != NEW.verdict BEGIN
      UPDATE os_verdict_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND os_family = OLD.os_family AND verdict = OLD.verdict;
      INSERT INTO os_verdict_counts VALUES (NEW.ministry, NEW.os_family, NEW.verdict, 1)
        ON CONFLICT (ministry, os_family, verdict) DO UPDATE SET hosts = hosts + 1;
    END;
    CREATE TRIGGER hosts_os_uncounted AFTER DELETE ON hosts BEGIN
      UPDATE os_verdict_counts SET hosts = hosts - 1
        WHERE ministry = OLD.ministry AND os_family = OLD.os_family AND verdict = OLD.verdict;
    END;
    INSERT INTO os_verdict_counts
      SELECT ministry, os_family, verdict, COUNT(*) FROM hosts GROUP BY 1, 2, 3;
    -- The host name search finds a part of the name anywhere ("lyon" in MI-DGPN-LYON-0042): a
    -- trigram index of the names, kept by triggers, answers it without reading every name.
    CREATE VIRTUAL TABLE host_names USING fts5(
      hostname, content = 'hosts', content_rowid = 'id', tokenize = 'trigram case_sensitive 0');
    CREATE TRIGGER hosts_named AFTER INSERT ON hosts BEGIN
      INSERT INTO host_names (rowid, hostname) VALUES (NEW.id, NEW.hostname);
    END;
    CREATE TRIGGER hosts_renamed AFTER UPDATE OF hostname ON hosts
      WHEN OLD.hostname != NEW.hostname BEGIN
      INSERT INTO host_names (host_names, rowid, hostname) VALUES ('delete', OLD.id, OLD.hostname);
      INSERT INTO host_names (rowid, hostname) VALUES (NEW.id, NEW.hostname);
    END;
    CREATE TRIGGER hosts_unnamed AFTER DELETE ON hosts BEGIN
      INSERT INTO host_names (host_names, rowid, hostname) VALUES ('delete', OLD.id, OLD.hostname);
    END;
    INSERT INTO host_names (host_names) VALUES ('rebuild');
    )sql",
};

std::string ReasonsJson(const Verdict& verdict) {
  return nlohmann::json(verdict.reasons)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::int64_t Seconds(Timestamp time) { return time.time_since_epoch().count(); }

}  // namespace

std::span<const std::string_view> StoreMigrations() { return kMigrations; }

Result<Store> Store::Open(const std::string& path, Mode mode) {
  // kExisting refuses to create an empty database where the operator expected their data.
  sqlite::Database::Options options;
  options.create = mode == Mode::kCreate;
  options.read_only = mode == Mode::kReadOnly;
  auto db = sqlite::Database::Open(path, options, kMigrations);
  if (!db.ok() && mode != Mode::kCreate && ::access(path.c_str(), F_OK) != 0) {
    return NotFound("no collector database at " + path +
                    " (start `vigie-collector serve` first, or pass --database)");
  }
  if (!db.ok()) return db.status();
  return Store(std::move(db).value());
}

Result<IngestOutcome> Store::Ingest(const InventoryReport& report, std::string_view payload,
                                    const Verdict& verdict, Timestamp received,
                                    std::string_view org_unit) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();
  auto outcome = IngestLocked(report, payload, verdict, received, org_unit);
  if (!outcome.ok()) return outcome.status();
  VIGIE_RETURN_IF_ERROR(transaction->Commit());
  return outcome;
}

Result<std::optional<IngestOutcome>> Store::StoredOutcome(const std::string& report_id) {
  auto existing = db_.Prepare("SELECT verdict, reasons FROM reports WHERE report_id = ?");
  if (!existing.ok()) return existing.status();
  existing->Bind(1, report_id);
  auto found = existing->Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<IngestOutcome>();
  IngestOutcome outcome{.duplicate = true, .verdict = {}};
  outcome.verdict.status = static_cast<VerdictStatus>(existing->ColumnInt(0));
  const auto reasons = nlohmann::json::parse(existing->ColumnText(1), nullptr, false);
  if (reasons.is_array()) {
    for (const auto& reason : reasons) {
      if (reason.is_string()) outcome.verdict.reasons.push_back(reason.get<std::string>());
    }
  }
  return std::optional<IngestOutcome>(std::move(outcome));
}

Result<IngestOutcome> Store::IngestLocked(const InventoryReport& report, std::string_view payload,
                                          const Verdict& verdict, Timestamp received,
                                          std::string_view org_unit) {
  auto stored = StoredOutcome(report.report_id);
  if (!stored.ok()) return stored.status();
  if (*stored) return **stored;

  const std::string reasons = ReasonsJson(verdict);
  const std::int64_t scan_finished = Seconds(report.scan_finished.value_or(received));
  auto insert = db_.Prepare(
      "INSERT INTO reports (report_id, host_key, ministry, received_at, scan_finished, verdict, "
      "reasons, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, report.report_id)
      .Bind(2, report.host.host_id)
      .Bind(3, report.ministry)
      .Bind(4, Seconds(received))
      .Bind(5, scan_finished)
      .Bind(6, static_cast<std::int64_t>(verdict.status))
      .Bind(7, reasons)
      .BindBlob(8, payload);
  VIGIE_RETURN_IF_ERROR(insert->Run());
  const std::int64_t report_row = db_.LastInsertRowId();

  auto current = db_.Prepare(
      "SELECT last_scan, verdict, reasons, ministry, org_unit FROM hosts WHERE host_key = ?");
  if (!current.ok()) return current.status();
  current->Bind(1, report.host.host_id);
  auto known = current->Step();
  if (!known.ok()) return known.status();
  const bool is_new = !*known;
  if (is_new || scan_finished >= current->ColumnInt(0)) {
    const bool changed = is_new ||
                         current->ColumnInt(1) != static_cast<std::int64_t>(verdict.status) ||
                         current->ColumnText(2) != reasons;
    auto latest = db_.Prepare(R"sql(
        INSERT INTO hosts (host_key, ministry, hostname, os_family, os_name, first_seen,
                           last_seen, last_scan, latest_report, verdict, reasons,
                           org_unit)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11)
        ON CONFLICT (host_key) DO UPDATE SET
          org_unit = CASE WHEN ministry != excluded.ministry OR org_unit = ''
                     THEN excluded.org_unit ELSE org_unit END,
          ministry = excluded.ministry, hostname = excluded.hostname,
          os_family = excluded.os_family, os_name = excluded.os_name,
          last_seen = excluded.last_seen, last_scan = excluded.last_scan,
          latest_report = excluded.latest_report, verdict = excluded.verdict,
          reasons = excluded.reasons
        )sql");
    if (!latest.ok()) return latest.status();
    latest->Bind(1, report.host.host_id)
        .Bind(2, report.ministry)
        .Bind(3, report.host.hostname)
        .Bind(4, static_cast<std::int64_t>(report.host.os_family))
        .Bind(5, report.host.os_name)
        .Bind(6, Seconds(received))
        .Bind(7, scan_finished)
        .Bind(8, report_row)
        .Bind(9, static_cast<std::int64_t>(verdict.status))
        .Bind(10, reasons)
        .Bind(11, std::string(org_unit));
    VIGIE_RETURN_IF_ERROR(latest->Run());
    if (!is_new && current->ColumnText(3) != report.ministry) {
      VIGIE_RETURN_IF_ERROR(RecordHostMove(report.host.host_id, received,
                                           {current->ColumnText(3), current->ColumnText(4)},
                                           {report.ministry, std::string(org_unit)}, "report"));
    }
    VIGIE_RETURN_IF_ERROR(ReplaceFacts(report));
    if (changed) {
      VIGIE_RETURN_IF_ERROR(RecordVerdictChange(report.host.host_id, received, verdict, "report"));
    }
  } else {
    // A late report (an older scan than the one on record, after an outage) joins the history
    // without rolling the host's state back.
    auto touch = db_.Prepare("UPDATE hosts SET last_seen = max(last_seen, ?2) WHERE host_key = ?1");
    if (!touch.ok()) return touch.status();
    touch->Bind(1, report.host.host_id).Bind(2, Seconds(received));
    VIGIE_RETURN_IF_ERROR(touch->Run());
  }
  return IngestOutcome{.duplicate = false, .verdict = verdict};
}

Result<std::vector<MinistryCounts>> Store::CountHostsByMinistry() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT ministry, verdict, hosts FROM verdict_counts WHERE hosts > 0 ORDER BY ministry");
  if (!query.ok()) return query.status();
  std::vector<MinistryCounts> counts;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string ministry = query->ColumnText(0);
    if (counts.empty() || counts.back().ministry != ministry) {
      counts.push_back({.ministry = std::move(ministry)});
    }
    const auto verdict = query->ColumnInt(1);
    const auto hosts = query->ColumnInt(2);
    auto& entry = counts.back();
    if (verdict >= 0 && verdict < static_cast<std::int64_t>(entry.hosts_by_verdict.size())) {
      entry.hosts_by_verdict[verdict] += hosts;
    }
    entry.hosts += hosts;
  }
  return counts;
}

Result<std::vector<FactCount>> Store::CountFacts() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT ministry, kind, key, hosts FROM fact_counts WHERE hosts > 0 "
      "ORDER BY ministry, kind, hosts DESC, key");
  if (!query.ok()) return query.status();
  std::vector<FactCount> counts;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    counts.push_back({query->ColumnText(0), static_cast<FactKind>(query->ColumnInt(1)),
                      query->ColumnText(2), query->ColumnInt(3)});
  }
  return counts;
}

Result<std::map<std::string, std::int64_t>> Store::CountStaleHosts(Timestamp seen_before) {
  std::lock_guard lock(mutex_);
  // One index range per ministry: the cost follows the number of stale hosts, not of all hosts.
  auto ministries = db_.Prepare("SELECT DISTINCT ministry FROM verdict_counts WHERE hosts > 0");
  if (!ministries.ok()) return ministries.status();
  auto stale = db_.Prepare("SELECT COUNT(*) FROM hosts WHERE ministry = ? AND last_seen < ?");
  if (!stale.ok()) return stale.status();
  std::map<std::string, std::int64_t> counts;
  while (true) {
    auto row = ministries->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string ministry = ministries->ColumnText(0);
    stale->Reset();
    stale->Bind(1, ministry).Bind(2, Seconds(seen_before));
    auto counted = stale->Step();
    if (!counted.ok()) return counted.status();
    if (stale->ColumnInt(0) > 0) counts[ministry] = stale->ColumnInt(0);
  }
  return counts;
}

Status Store::ReplaceFacts(const InventoryReport& report) {
  auto remove = db_.Prepare("DELETE FROM host_facts WHERE host_key = ?");
  if (!remove.ok()) return remove.status();
  remove->Bind(1, report.host.host_id);
  VIGIE_RETURN_IF_ERROR(remove->Run());
  auto insert =
      db_.Prepare("INSERT INTO host_facts (host_key, ministry, kind, key) VALUES (?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  for (const HostFact& fact : FactsOf(report)) {
    insert->Reset();
    insert->Bind(1, report.host.host_id)
        .Bind(2, report.ministry)
        .Bind(3, static_cast<std::int64_t>(fact.kind))
        .Bind(4, fact.key);
    VIGIE_RETURN_IF_ERROR(insert->Run());
  }
  return Status::Ok();
}

Status Store::RecordVerdictChange(const std::string& host_key, Timestamp at, const Verdict& verdict,
                                  const std::string& cause) {
  auto insert = db_.Prepare(
      "INSERT INTO verdict_changes (host_key, at, verdict, reasons, cause) VALUES (?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, host_key)
      .Bind(2, Seconds(at))
      .Bind(3, static_cast<std::int64_t>(verdict.status))
      .Bind(4, ReasonsJson(verdict))
      .Bind(5, cause);
  return insert->Run();
}

Result<std::int64_t> Store::AddDerogation(const doctrine::Derogation& derogation,
                                          const std::string& actor, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto insert = db_.Prepare(
      "INSERT INTO derogations (ministry, service, granted_by, reference, valid_from, valid_until, "
      "recorded_at, recorded_by, org_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, derogation.ministry)
      .Bind(2, static_cast<std::int64_t>(derogation.service))
      .Bind(3, derogation.granted_by)
      .Bind(4, derogation.reference)
      .Bind(5, FormatIsoDate(derogation.from))
      .Bind(6, FormatIsoDate(derogation.until))
      .Bind(7, Seconds(now))
      .Bind(8, actor)
      .Bind(9, derogation.org_unit);
  VIGIE_RETURN_IF_ERROR(insert->Run());
  return db_.LastInsertRowId();
}

Status Store::RevokeDerogation(std::int64_t id, const std::string& actor, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();
  auto select = db_.Prepare("SELECT revoked_at IS NOT NULL FROM derogations WHERE id = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, id);
  auto found = select->Step();
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("no derogation with id " + std::to_string(id));
  if (select->ColumnInt(0) != 0) {
    return FailedPrecondition("derogation " + std::to_string(id) + " is already revoked");
  }
  auto revoke = db_.Prepare("UPDATE derogations SET revoked_at = ?, revoked_by = ? WHERE id = ?");
  if (!revoke.ok()) return revoke.status();
  revoke->Bind(1, Seconds(now)).Bind(2, actor).Bind(3, id);
  VIGIE_RETURN_IF_ERROR(revoke->Run());
  return transaction->Commit();
}

Result<std::vector<DerogationRecord>> Store::ListDerogations(const std::string& ministry) {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT id, ministry, service, granted_by, reference, valid_from, valid_until, recorded_at, "
      "recorded_by, revoked_at, coalesce(revoked_by, ''), org_unit FROM derogations "
      "WHERE ?1 = '' OR ministry = ?1 ORDER BY id");
  if (!query.ok()) return query.status();
  query->Bind(1, ministry);
  std::vector<DerogationRecord> records;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    DerogationRecord record;
    record.id = query->ColumnInt(0);
    record.derogation.ministry = query->ColumnText(1);
    record.derogation.service = static_cast<ServiceCategory>(query->ColumnInt(2));
    record.derogation.granted_by = query->ColumnText(3);
    record.derogation.reference = query->ColumnText(4);
    auto from = ParseIsoDate(query->ColumnText(5));
    auto until = ParseIsoDate(query->ColumnText(6));
    if (!from.ok() || !until.ok()) {
      return DataLoss("derogation " + std::to_string(record.id) + " has a corrupt date");
    }
    record.derogation.from = *from;
    record.derogation.until = *until;
    record.recorded_at = Timestamp{std::chrono::seconds{query->ColumnInt(7)}};
    record.recorded_by = query->ColumnText(8);
    if (!query->ColumnIsNull(9)) {
      record.revoked_at = Timestamp{std::chrono::seconds{query->ColumnInt(9)}};
    }
    record.revoked_by = query->ColumnText(10);
    record.derogation.org_unit = query->ColumnText(11);
    records.push_back(std::move(record));
  }
  return records;
}

Result<std::vector<doctrine::Derogation>> Store::DerogationsOf(const std::string& ministry) {
  std::lock_guard lock(mutex_);
  return DerogationsOfLocked(ministry);
}

Result<std::vector<doctrine::Derogation>> Store::DerogationsOfLocked(const std::string& ministry) {
  auto query = db_.Prepare(
      "SELECT service, granted_by, reference, valid_from, valid_until, id, org_unit FROM "
      "derogations "
      "WHERE ministry = ? AND revoked_at IS NULL ORDER BY id");
  if (!query.ok()) return query.status();
  query->Bind(1, ministry);
  std::vector<doctrine::Derogation> derogations;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto from = ParseIsoDate(query->ColumnText(3));
    auto until = ParseIsoDate(query->ColumnText(4));
    if (!from.ok() || !until.ok()) {
      return DataLoss("derogation " + std::to_string(query->ColumnInt(5)) + " has a corrupt date");
    }
    derogations.push_back({ministry, static_cast<ServiceCategory>(query->ColumnInt(0)),
                           query->ColumnText(1), query->ColumnText(2), *from, *until,
                           query->ColumnText(6)});
  }
  return derogations;
}

Result<std::int64_t> Store::Reevaluate(const std::string& ministry, const HostEvaluator& evaluate,
                                       Timestamp now, const std::string& cause) {
  // In batches, evaluated without the lock: a pass over a million hosts takes minutes, during
  // which reports, dashboard logins and sessions must still be written. Each batch's changes are
  // applied in one short transaction, and only to hosts whose latest report is still the one that
  // was judged (a report that arrived meanwhile was judged on arrival).
  struct Judged {
    std::string host_key;
    std::int64_t latest_report = 0;
    Verdict verdict;
    std::string reasons;
  };
  constexpr std::int64_t kBatch = 1000;
  std::map<std::string, std::vector<doctrine::Derogation>> derogations;
  std::int64_t changed = 0;
  for (std::int64_t after = 0;;) {
    std::vector<Judged> judged;
    std::int64_t read = 0;
    {
      struct Row {
        std::string host_key;
        std::string ministry;
        std::int64_t verdict;
        std::string reasons;
        std::string payload;
        std::int64_t last_seen;
        std::string org_unit;
        std::int64_t latest_report;
      };
      std::vector<Row> rows;
      {
        std::lock_guard lock(mutex_);
        auto hosts = db_.Prepare(
            "SELECT h.id, h.host_key, h.ministry, h.verdict, h.reasons, r.payload, h.last_seen, "
            "h.org_unit, h.latest_report FROM hosts h JOIN reports r ON r.id = h.latest_report "
            "WHERE h.id > ?1 AND (?2 = '' OR h.ministry = ?2) ORDER BY h.id LIMIT ?3");
        if (!hosts.ok()) return hosts.status();
        hosts->Bind(1, after).Bind(2, ministry).Bind(3, kBatch);
        while (true) {
          auto row = hosts->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          after = hosts->ColumnInt(0);
          rows.push_back({hosts->ColumnText(1), hosts->ColumnText(2), hosts->ColumnInt(3),
                          hosts->ColumnText(4), hosts->ColumnText(5), hosts->ColumnInt(6),
                          hosts->ColumnText(7), hosts->ColumnInt(8)});
        }
        for (const Row& row : rows) {
          if (derogations.count(row.ministry)) continue;
          auto loaded = DerogationsOfLocked(row.ministry);
          if (!loaded.ok()) return loaded.status();
          derogations.emplace(row.ministry, std::move(loaded).value());
        }
      }
      read = static_cast<std::int64_t>(rows.size());
      for (const Row& row : rows) {
        v1::InventoryReport message;
        if (!message.ParseFromString(row.payload)) {
          return DataLoss("the latest report of host " + row.host_key + " cannot be read");
        }
        Verdict verdict = evaluate(FromProto(message), derogations.at(row.ministry),
                                   Timestamp{std::chrono::seconds{row.last_seen}}, row.org_unit);
        std::string reasons = ReasonsJson(verdict);
        if (row.verdict == static_cast<std::int64_t>(verdict.status) && row.reasons == reasons) {
          continue;
        }
        judged.push_back({row.host_key, row.latest_report, std::move(verdict), std::move(reasons)});
      }
    }
    if (!judged.empty()) {
      std::lock_guard lock(mutex_);
      auto transaction = sqlite::Transaction::Begin(db_);
      if (!transaction.ok()) return transaction.status();
      auto update = db_.Prepare(
          "UPDATE hosts SET verdict = ?, reasons = ? WHERE host_key = ? AND latest_report = ?");
      if (!update.ok()) return update.status();
      for (const Judged& host : judged) {
        update->Reset();
        update->Bind(1, static_cast<std::int64_t>(host.verdict.status))
            .Bind(2, host.reasons)
            .Bind(3, host.host_key)
            .Bind(4, host.latest_report);
        VIGIE_RETURN_IF_ERROR(update->Run());
        if (db_.Changes() == 0) continue;
        VIGIE_RETURN_IF_ERROR(RecordVerdictChange(host.host_key, now, host.verdict, cause));
        ++changed;
      }
      VIGIE_RETURN_IF_ERROR(transaction->Commit());
    }
    if (read < kBatch) break;
  }
  return changed;
}

Result<std::int64_t> Store::CountReports() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare("SELECT COUNT(*) FROM reports");
  if (!query.ok()) return query.status();
  auto row = query->Step();
  if (!row.ok()) return row.status();
  return query->ColumnInt(0);
}

}  // namespace vigie::collector
