#include "collector/demo_fleet.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "collector/host_evaluator.h"
#include "collector/report_validator.h"
#include "common/wire.h"

namespace vigie::collector {
namespace {

constexpr int kReportEveryDays = 14;

// Templates by the verdict they get on their own, so that each ministry can be given its own
// mix: the fixtures are mostly edge cases, a fleet is mostly ordinary hosts.
enum class Kind { kClean, kReview, kCloud, kUnknown };
constexpr std::size_t kKinds = 4;

Kind KindOf(VerdictStatus status) {
  switch (status) {
    case VerdictStatus::kCompliant:
      return Kind::kClean;
    case VerdictStatus::kToReview:
      return Kind::kReview;
    case VerdictStatus::kNonCompliant:
    case VerdictStatus::kDerogation:
      return Kind::kCloud;
    default:
      return Kind::kUnknown;
  }
}

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Uppercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// "16.0.17928.20156" with its third part moved a little: hosts of a fleet are rarely all on the
// same build.
std::string VaryVersion(const std::string& version, std::mt19937& random) {
  std::vector<std::string> parts;
  std::stringstream in(version);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  if (parts.size() < 3 || parts[2].empty() ||
      !std::all_of(parts[2].begin(), parts[2].end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      parts[2].size() > 9) {
    return version;
  }
  const long build = std::stol(parts[2]);
  parts[2] = std::to_string(std::max(0L, build - static_cast<long>(random() % 4) * 100));
  std::string out = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) out += "." + parts[i];
  return out;
}

struct SimulatedHost {
  std::string host_id;
  std::string hostname;
  std::string ministry;
  std::string org_unit;
  std::string tenant;  // The ministry's tenant its cloud evidence names.
  const InventoryReport* first = nullptr;
  const InventoryReport* second = nullptr;  // After `change_day`, if any.
  int join_day = 0;
  int change_day = -1;
  int last_day = 0;  // Day of the last report; earlier than today for a silent host.
  int phase = 0;     // Day offset of its reports (agents spread over the week).
};

struct MinistryMix {
  const Ministry* ministry = nullptr;
  std::array<double, kKinds> weights{};
  std::string tenant;
  std::vector<std::string> units;  // Where hosts sit; '' when the ministry has none.
};

std::string TenantOf(const Ministry& ministry, const MinistryList& ministries) {
  for (const doctrine::KnownTenant& tenant : ministries.tenants()) {
    if (tenant.ministry == ministry.code) return tenant.tenant;
  }
  return Lowercase(ministry.code) + ".onmicrosoft.com";
}

InventoryReport ReportFor(const SimulatedHost& host, const InventoryReport& model,
                          const doctrine::Policy& policy, int day, Timestamp scanned,
                          std::mt19937& random) {
  InventoryReport report = model;
  report.report_id = fmt::format("demo-{}-{}", host.host_id, day);
  report.host.host_id = host.host_id;
  report.host.hostname = host.hostname;
  report.ministry = host.ministry;
  report.scan_started = scanned - std::chrono::seconds(2);
  report.scan_finished = scanned;
  for (OfficeInstall& install : report.office_installs) {
    std::mt19937 builds(static_cast<std::uint32_t>(std::hash<std::string>{}(host.host_id)));
    install.version = VaryVersion(install.version, builds);
  }
  for (Evidence& evidence : report.evidence) {
    // Consumer tenants stay what they are (a personal account is a personal account); an
    // organisation's tenant becomes the host's ministry's, most of the time.
    if (!evidence.tenant.empty() && !policy.IsConsumerTenant(evidence.tenant) &&
        random() % 100 < 85) {
      evidence.tenant = host.tenant;
    }
  }
  return report;
}

}  // namespace

Result<std::vector<InventoryReport>> LoadScanOutputs(const std::string& directory) {
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().extension() == ".json") files.push_back(it->path());
  }
  if (error) return NotFound("cannot list " + directory + ": " + error.message());
  if (files.empty()) {
    return NotFound("no scan output (*.json) in " + directory +
                    ": make them with vigie-agent scan --root HOST --format json");
  }
  std::sort(files.begin(), files.end());
  std::vector<InventoryReport> templates;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return NotFound("cannot read " + file.string());
    v1::InventoryReport message;
    const auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &message);
    if (!parsed.ok()) {
      return InvalidArgument(file.string() + ": not a scan output of vigie-agent (" +
                             std::string(parsed.message()) + ")");
    }
    templates.push_back(FromProto(message));
  }
  return templates;
}

Result<DemoFleetOutcome> GenerateDemoFleet(Store& store, const Deployment& deployment,
                                           const std::vector<InventoryReport>& templates,
                                           const DemoFleetOptions& options, Timestamp now) {
  if (templates.empty()) return InvalidArgument("no host template to build a fleet from");
  if (options.hosts < 1 || options.weeks < 1) {
    return InvalidArgument("a demo fleet needs at least one host and one week");
  }
  auto existing = store.CountHostsByMinistry();
  if (!existing.ok()) return existing.status();
  std::int64_t present = 0;
  for (const MinistryCounts& counts : *existing) present += counts.hosts;
  if (present > 0) {
    return FailedPrecondition(fmt::format(
        "the database already holds {} host(s): a demo fleet goes into a new database", present));
  }
  const MinistryList& ministries = deployment.ministries();
  const JudgingRules rules = deployment.rules();
  const Date today = Today(now);
  const int days = options.weeks * 7;
  const Date first_day = today - std::chrono::days(days - 1);

  // Templates by kind, each checked as a live report would be before anything is written.
  std::array<std::vector<const InventoryReport*>, kKinds> by_kind;
  for (std::size_t i = 0; i < templates.size(); ++i) {
    InventoryReport probe = templates[i];
    probe.ministry = ministries.all().front().code;
    probe.report_id = "template";
    if (probe.host.host_id.empty()) probe.host.host_id = "template";
    probe.scan_finished = now;
    if (Status valid = ValidateReport(ToProto(probe), ministries, now); !valid.ok()) {
      return valid.Annotate(fmt::format("host template {}", i + 1));
    }
    const Verdict verdict = MakeHostEvaluator(rules, today)(probe, {}, now, "");
    by_kind[static_cast<std::size_t>(KindOf(verdict.status))].push_back(&templates[i]);
  }

  std::mt19937 random(options.seed);
  const auto uniform = [&](int from, int to) {  // Inclusive.
    return from + static_cast<int>(random() % static_cast<std::uint32_t>(to - from + 1));
  };
  const auto pick_kind = [&](const std::array<double, kKinds>& weights) {
    std::discrete_distribution<std::size_t> choose(weights.begin(), weights.end());
    std::size_t kind = choose(random);
    // A kind without templates falls back to the next one that has some.
    for (std::size_t tries = 0; by_kind[kind].empty() && tries < kKinds; ++tries) {
      kind = (kind + 1) % kKinds;
    }
    return kind;
  };
  const auto pick_template = [&](std::size_t kind) {
    return by_kind[kind][random() % by_kind[kind].size()];
  };

  // Each ministry its own character: some far along the migration, some not started.
  std::vector<MinistryMix> mixes;
  for (const Ministry& ministry : ministries.all()) {
    MinistryMix mix;
    mix.ministry = &ministry;
    const double cloud = 0.05 + (random() % 40) / 100.0;
    mix.weights = {0.9 - cloud, 0.25, cloud, 0.12};
    mix.tenant = TenantOf(ministry, ministries);
    for (const OrgUnit& unit : ministry.org_units) mix.units.push_back(unit.id);
    if (mix.units.empty()) mix.units.push_back("");
    mixes.push_back(std::move(mix));
  }
  // Ministries differ in size too.
  std::vector<double> sizes;
  for (std::size_t i = 0; i < mixes.size(); ++i) sizes.push_back(1.0 + random() % 5);
  std::discrete_distribution<std::size_t> pick_ministry(sizes.begin(), sizes.end());

  DemoFleetOutcome outcome;
  std::vector<SimulatedHost> hosts;
  std::map<std::string, int> numbers;
  for (std::int64_t i = 0; i < options.hosts; ++i) {
    const MinistryMix& mix = mixes[pick_ministry(random)];
    SimulatedHost host;
    host.host_id = fmt::format("{:08x}{:08x}{:08x}{:08x}", random(), random(), random(), random());
    host.ministry = mix.ministry->code;
    host.org_unit = mix.units[random() % mix.units.size()];
    host.tenant = mix.tenant;
    const std::size_t kind = pick_kind(mix.weights);
    host.first = pick_template(kind);
    const std::string place = host.org_unit.empty() ? host.ministry : host.org_unit;
    const int number = ++numbers[place];
    std::string name = fmt::format("{}-{}-{:04}", host.ministry, place, number);
    std::replace(name.begin(), name.end(), '.', '-');
    std::replace(name.begin(), name.end(), '_', '-');
    host.hostname = host.first->host.os_family == OsFamily::kWindows ? Uppercase(name)
                                                                     : "pc-" + Lowercase(name);
    host.join_day = random() % 100 < 80 ? 0 : uniform(0, days - 2);
    host.phase = uniform(0, kReportEveryDays - 1);
    host.last_day = days - 1;
    const auto roll = random() % 100;
    if (kind == static_cast<std::size_t>(Kind::kCloud) && roll < 30 &&
        !by_kind[static_cast<std::size_t>(Kind::kClean)].empty()) {
      // Migrated to the state's offer during the period.
      host.second = pick_template(static_cast<std::size_t>(Kind::kClean));
      host.change_day = uniform(host.join_day + 1, days - 1);
    } else if (kind == static_cast<std::size_t>(Kind::kClean) && roll < 6 &&
               !by_kind[static_cast<std::size_t>(Kind::kReview)].empty()) {
      // A Microsoft 365 Apps subscription installed.
      host.second = pick_template(static_cast<std::size_t>(Kind::kReview));
      host.change_day = uniform(host.join_day + 1, days - 1);
    }
    // About 3 % fall silent for good, long enough ago to be stale today.
    const int silent_from = days - 1 - rules.stale_after_days - 1;
    if (random() % 100 < 3 && silent_from > host.join_day) {
      host.last_day = uniform(host.join_day, silent_from);
      if (host.change_day > host.last_day) host.change_day = -1;
      ++outcome.stale_hosts;
    }
    hosts.push_back(std::move(host));
  }

  // Derogations of the kind ministries hold: a ministry-wide one for mail that ends soon, one
  // for an org unit's personal drives, and one that expired during the period.
  struct PlannedDerogation {
    int recorded_day;
    doctrine::Derogation derogation;
  };
  std::vector<PlannedDerogation> planned;
  const auto plan = [&](const Ministry& ministry, ServiceCategory service, std::string reference,
                        std::string org_unit, Date from, Date until, int recorded_day) {
    doctrine::Derogation derogation;
    derogation.ministry = ministry.code;
    derogation.service = service;
    derogation.granted_by = "Secrétaire général";
    derogation.reference = std::move(reference);
    derogation.org_unit = std::move(org_unit);
    derogation.from = from;
    derogation.until = until;
    planned.push_back({recorded_day, std::move(derogation)});
  };
  plan(*mixes.front().ministry, ServiceCategory::kMail, "SG-DEMO-01", "",
       first_day - std::chrono::days(30), today + std::chrono::days(45), std::min(3, days - 1));
  if (mixes.size() > 1) {
    plan(*mixes[1].ministry, ServiceCategory::kMail, "SG-DEMO-02", "",
         first_day - std::chrono::days(90), first_day + std::chrono::days(days / 2), 0);
  }
  const auto with_units = std::find_if(mixes.begin(), mixes.end(), [](const MinistryMix& mix) {
    return !mix.ministry->org_units.empty();
  });
  if (with_units != mixes.end()) {
    plan(*with_units->ministry, ServiceCategory::kPersonalDrive, "SG-DEMO-03",
         with_units->ministry->org_units.front().id, first_day, today + std::chrono::days(200),
         std::min(10, days - 1));
  }

  // Day by day, as a collector would have lived it: the reports of the day, derogations
  // recorded that day, the nightly re-evaluation and the day's snapshot.
  std::map<std::string, std::vector<doctrine::Derogation>> derogations;
  for (int day = 0; day < days; ++day) {
    const Date date = first_day + std::chrono::days(day);
    const Timestamp morning = std::chrono::sys_days(date) + std::chrono::hours(7);
    for (const PlannedDerogation& planned_derogation : planned) {
      if (planned_derogation.recorded_day != day) continue;
      auto added = store.AddDerogation(planned_derogation.derogation, "démo", morning);
      if (!added.ok()) return added.status();
      ++outcome.derogations;
      derogations.erase(planned_derogation.derogation.ministry);
      auto changed =
          store.Reevaluate(planned_derogation.derogation.ministry, MakeHostEvaluator(rules, date),
                           morning, fmt::format("derogation {} added", *added));
      if (!changed.ok()) return changed.status();
    }
    const HostEvaluator evaluate = MakeHostEvaluator(rules, date);
    for (SimulatedHost& host : hosts) {
      // Every two weeks (well within the staleness delay), plus once in the last week so that
      // the last contact is recent: the snapshots, not the reports, make the daily history.
      const bool reports_today =
          day == host.join_day || day == host.change_day ||
          (day > host.join_day && (day + host.phase) % kReportEveryDays == 0) ||
          day == days - 1 - host.phase % 7;
      if (!reports_today || day < host.join_day || day > host.last_day) continue;
      const InventoryReport& model =
          host.change_day >= 0 && day >= host.change_day ? *host.second : *host.first;
      const Timestamp scanned =
          morning + std::chrono::minutes(static_cast<int>(random() % (10 * 60)));
      const InventoryReport report = ReportFor(host, model, *rules.policy, day, scanned, random);
      auto known = derogations.find(host.ministry);
      if (known == derogations.end()) {
        auto loaded = store.DerogationsOf(host.ministry);
        if (!loaded.ok()) return loaded.status();
        known = derogations.emplace(host.ministry, std::move(loaded).value()).first;
      }
      const Verdict verdict = evaluate(report, known->second, scanned, host.org_unit);
      auto ingested = store.Ingest(report, ToProto(report).SerializeAsString(), verdict, scanned,
                                   host.org_unit);
      if (!ingested.ok()) return ingested.status();
      ++outcome.reports;
    }
    // The nightly re-evaluation only changes verdicts when a derogation ends or a host has been
    // silent too long: weekly, the day after each derogation's end and the last day are enough
    // for the history, at a fraction of the cost.
    const bool derogation_ended = std::any_of(planned.begin(), planned.end(), [&](const auto& p) {
      return p.derogation.until + std::chrono::days(1) == date;
    });
    if (day % 7 == 6 || day == days - 1 || derogation_ended) {
      const Timestamp night = std::chrono::sys_days(date) + std::chrono::hours(23);
      auto changed = store.Reevaluate("", evaluate, night, "daily re-evaluation");
      if (!changed.ok()) return changed.status();
    }
    auto written = store.WriteDailySnapshot(date, ministries);
    if (!written.ok()) return written.status();
    if (*written) ++outcome.snapshot_days;
  }
  outcome.hosts = static_cast<std::int64_t>(hosts.size());
  return outcome;
}

std::string DemoFleetToText(const DemoFleetOutcome& outcome) {
  return fmt::format(
      "Parc de démonstration écrit : {} postes, {} rapports, {} jours d'historique, {} "
      "dérogations, {} postes devenus silencieux.\n",
      outcome.hosts, outcome.reports, outcome.snapshot_days, outcome.derogations,
      outcome.stale_hosts);
}

}  // namespace vigie::collector
