// The compliance reports, read back with independent readers: openpyxl for the XLSX, Python's
// csv module configured as French Excel for the CSV (tests/reports/read_report.py).
#include "collector/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "collector/report_archive.h"
#include "collector/report_writers.h"
#include "collector/report_xlsx.h"
#include "collector/test_reports.h"
#include "integration/subprocess.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::kNowSeconds;
using ::testing::Not;

// Hostile text in every place a report prints a name: the organisation's file and what agents send.
constexpr char kHostile[] = "<script>alert(\"x\")</script>; 'q'";
constexpr char kOrganisation[] = R"(
[[ministry]]
code = "MI"
name = "Intérieur <script>alert(\"x\")</script>; 'q'"

[[ministry.org-unit]]
id = "dgpn"
name = "Police ; \"nationale\" <b>"

[[ministry]]
code = "MEN"
name = "Éducation nationale"
)";
constexpr char kKey[] = "clé de pseudonymes du test";
// Lower case: the store keeps tenants as agents normalise them.
constexpr char kHostileTenant[] = "=cmd|' /c calc'!a0;\"<script>x</script>";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

nlohmann::json ReadBack(const std::string& kind, const std::string& path) {
  const auto read =
      vigie::testing::RunCommand({VIGIE_SYSTEM_PYTHON, VIGIE_READ_REPORT, kind, path});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  return nlohmann::json::parse(read.out);
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ministries = MinistryList::Parse(kOrganisation, "test");
    ASSERT_TRUE(ministries.ok()) << ministries.status().ToString();
    ministries_.emplace(std::move(ministries).value());
    rules_.ministries = &*ministries_;
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    store_.emplace(std::move(store).value());
  }

  void Ingest(const std::string& id, const std::string& host, const std::string& ministry,
              VerdictStatus verdict, std::vector<Evidence> evidence,
              std::vector<OfficeInstall> office = {}, std::string org_unit = "") {
    InventoryReport report = testing::ValidReport(id, host, ministry);
    report.host.hostname = "poste-" + host;
    report.evidence = std::move(evidence);
    report.office_installs = std::move(office);
    ASSERT_TRUE(store_->Ingest(report, "p", {verdict, {}}, At(kNowSeconds), org_unit).ok());
  }

  static Evidence Use(ServiceCategory service, std::string tenant) {
    Evidence evidence;
    evidence.product = "client";
    evidence.service = service;
    evidence.kind = EvidenceKind::kSignedIn;
    evidence.tenant = std::move(tenant);
    return evidence;
  }

  static OfficeInstall Office(std::string id, LicenseModel model) {
    OfficeInstall install;
    install.product_id = std::move(id);
    install.license_model = model;
    return install;
  }

  // Two MI hosts (one non-compliant with a hostile tenant, in a unit; one compliant), a snapshot
  // of the previous period, a derogation in force.
  void Populate() {
    Ingest("r1", "h1", "MI", VerdictStatus::kNonCompliant,
           {Use(ServiceCategory::kConferencing, kHostileTenant)},
           {Office("O365ProPlusRetail", LicenseModel::kSubscription)}, "dgpn");
    ASSERT_TRUE(store_->WriteDailySnapshot(Today() - std::chrono::days(7), *ministries_).ok());
    Evidence alternative;
    alternative.product = "libreoffice";
    alternative.kind = EvidenceKind::kInstalled;
    alternative.sovereign_alternative = true;
    Ingest("r2", "h2", "MI", VerdictStatus::kCompliant, {alternative},
           {Office("ProPlus2021Volume", LicenseModel::kPerpetual)});
    doctrine::Derogation derogation{
        "MI",        ServiceCategory::kMail,          kHostile,
        "DEC;\"1\"", Today() - std::chrono::days(10), Today() + std::chrono::days(20),
        ""};
    ASSERT_TRUE(store_->AddDerogation(derogation, "alice", At(kNowSeconds)).ok());
  }

  static Date Today() { return vigie::collector::Today(At(kNowSeconds)); }

  ComplianceReport Build(std::string ministry = "MI", HostNames names = HostNames::kPseudonymous) {
    ReportRequest request;
    request.ministry = std::move(ministry);
    request.host_names = names;
    request.host_name_key = kKey;
    request.last_day = Today();
    request.period = ReportPeriod::kWeekly;
    auto report = BuildComplianceReport(*store_, rules_, At(kNowSeconds), request);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return std::move(report).value();
  }

  static const nlohmann::json* FindRow(const nlohmann::json& rows, std::size_t column,
                                       const std::string& value) {
    for (const auto& row : rows) {
      if (row.size() > column && row[column].is_object() && row[column]["v"] == value) return &row;
    }
    return nullptr;
  }

  testing::TempDir dir_;
  std::optional<MinistryList> ministries_;
  JudgingRules rules_;
  std::optional<Store> store_;
};

TEST_F(ReportTest, XlsxHasASummarySheetAndOneSheetPerTopicWithRealNumbersAndDates) {
  Populate();
  const std::string path = dir_ / "report.xlsx";
  ASSERT_TRUE(WriteReport(Build(), ReportFormat::kXlsx, path).ok());
  const auto book = ReadBack("xlsx", path);
  EXPECT_EQ(book["order"],
            nlohmann::json({"Synthèse", "Verdicts", "Services", "Office", "Locataires", "Unités",
                            "Dérogations", "Postes silencieux", "Alternatives", "Postes",
                            "Méthodologie"}));

  const auto& summary = book["sheets"]["Synthèse"];
  const auto* start = FindRow(summary, 0, "Début de la période");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ((*start)[1]["t"], "d");
  EXPECT_EQ((*start)[1]["v"], FormatIsoDate(Today() - std::chrono::days(6)));
  EXPECT_EQ((*start)[1]["f"], "dd/mm/yyyy");
  const auto* hosts = FindRow(summary, 0, "Postes suivis");
  ASSERT_NE(hosts, nullptr);
  EXPECT_EQ((*hosts)[1]["v"], 2);
  const auto* non_compliant = FindRow(summary, 0, "Non conforme");
  ASSERT_NE(non_compliant, nullptr);
  EXPECT_EQ((*non_compliant)[1]["v"], 1);
  EXPECT_EQ((*non_compliant)[2]["t"], "n");
  EXPECT_DOUBLE_EQ((*non_compliant)[2]["v"].get<double>(), 0.5);

  // The change since the snapshot of the previous period: one compliant host more.
  const auto* compliant = FindRow(book["sheets"]["Verdicts"], 2, "Conforme");
  ASSERT_NE(compliant, nullptr);
  EXPECT_EQ((*compliant)[5]["v"], 0);
  EXPECT_EQ((*compliant)[6]["v"], 1);

  const auto* subscription = FindRow(book["sheets"]["Office"], 2, "O365ProPlusRetail");
  ASSERT_NE(subscription, nullptr);
  EXPECT_EQ((*subscription)[3]["v"], "Abonnement Microsoft 365 Apps");
  EXPECT_EQ((*subscription)[4]["v"], 1);

  const auto* tenant = FindRow(book["sheets"]["Locataires"], 2, kHostileTenant);
  ASSERT_NE(tenant, nullptr) << "a hostile tenant is kept as text, not run as a formula";
  EXPECT_EQ((*tenant)[1]["v"], std::string("Intérieur ") + kHostile);

  const auto* unit = FindRow(book["sheets"]["Unités"], 2, "Police ; \"nationale\" <b>");
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ((*unit)[4]["v"], 1);

  const auto* derogation = FindRow(book["sheets"]["Dérogations"], 5, "DEC;\"1\"");
  ASSERT_NE(derogation, nullptr);
  EXPECT_EQ((*derogation)[7]["t"], "d");
  EXPECT_EQ((*derogation)[7]["v"], FormatIsoDate(Today() + std::chrono::days(20)));
  EXPECT_EQ((*derogation)[8]["v"], "oui");

  EXPECT_NE(FindRow(book["sheets"]["Alternatives"], 2, "libreoffice"), nullptr);
}

TEST_F(ReportTest, HostsSheetIsPseudonymousByDefaultAndStableAcrossReports) {
  Populate();
  Ingest("r3", "h3", "MEN", VerdictStatus::kCompliant, {});
  const std::string first = dir_ / "first.xlsx";
  const std::string second = dir_ / "second.xlsx";
  ASSERT_TRUE(WriteReport(Build(), ReportFormat::kXlsx, first).ok());
  Ingest("r4", "h4", "MI", VerdictStatus::kToReview, {});
  ASSERT_TRUE(WriteReport(Build(), ReportFormat::kXlsx, second).ok());
  const auto book = ReadBack("xlsx", first);
  const auto& hosts = book["sheets"]["Postes"];
  EXPECT_NE(FindRow(hosts, 1, "Poste (pseudonyme)"), nullptr);
  const auto* h1 = FindRow(hosts, 1, HostPseudonym(kKey, "poste-h1"));
  ASSERT_NE(h1, nullptr);
  EXPECT_EQ((*h1)[0]["v"], "MI");
  EXPECT_EQ((*h1)[2]["v"], "Police ; \"nationale\" <b>");
  EXPECT_EQ((*h1)[3]["v"], "Debian 12");
  EXPECT_EQ((*h1)[4]["v"], "Non conforme");
  EXPECT_EQ((*h1)[5]["t"], "d");
  EXPECT_EQ((*h1)[5]["v"], FormatIsoDate(Today()));
  EXPECT_NE(FindRow(hosts, 1, HostPseudonym(kKey, "poste-h2")), nullptr);
  EXPECT_EQ(FindRow(hosts, 1, HostPseudonym(kKey, "poste-h3")), nullptr) << "another ministry";
  EXPECT_THAT(book.dump(), Not(HasSubstr("poste-h"))) << "no host name in the workbook";
  // The same host keeps its pseudonym in the next report.
  const auto later_book = ReadBack("xlsx", second);
  const auto& later = later_book["sheets"]["Postes"];
  EXPECT_NE(FindRow(later, 1, HostPseudonym(kKey, "poste-h1")), nullptr);
  EXPECT_NE(FindRow(later, 1, HostPseudonym(kKey, "poste-h4")), nullptr);
  EXPECT_EQ(HostPseudonym(kKey, "poste-h1").size(), 18u);
  EXPECT_NE(HostPseudonym("une autre clé", "poste-h1"), HostPseudonym(kKey, "poste-h1"));
}

TEST_F(ReportTest, HostsSheetNamesHostsWhenTheDeploymentSaysClear) {
  Populate();
  const std::string path = dir_ / "clear.xlsx";
  ASSERT_TRUE(WriteReport(Build("MI", HostNames::kClear), ReportFormat::kXlsx, path).ok());
  const auto book = ReadBack("xlsx", path);
  const auto& hosts = book["sheets"]["Postes"];
  EXPECT_NE(FindRow(hosts, 1, "Poste"), nullptr);
  EXPECT_NE(FindRow(hosts, 1, "poste-h1"), nullptr);
  EXPECT_NE(FindRow(hosts, 1, "poste-h2"), nullptr);
  EXPECT_EQ(ParseHostNames("clear").value(), HostNames::kClear);
  EXPECT_EQ(ParseHostNames("anonymous").status().message(),
            "noms de poste inconnus « anonymous » : pseudonymous ou clear");
}

TEST_F(ReportTest, AHostsSheetLongerThanASheetGoesOnInTheNextOne) {
  for (int i = 0; i < 12; ++i) {
    Ingest("r" + std::to_string(i), "h" + std::to_string(100 + i), "MI", VerdictStatus::kCompliant,
           {});
  }
  const std::string path = dir_ / "long.xlsx";
  XlsxLimits limits;
  limits.rows_per_sheet = 8;
  ASSERT_TRUE(WriteXlsx(Build("MI", HostNames::kClear), path, limits).ok());
  const auto book = ReadBack("xlsx", path);
  EXPECT_THAT(book["order"], Contains("Postes (2)"));
  std::set<std::string> seen;
  for (const char* sheet : {"Postes", "Postes (2)", "Postes (3)"}) {
    if (!book["sheets"].contains(sheet)) continue;
    const auto& rows = book["sheets"][sheet];
    EXPECT_NE(FindRow(rows, 1, "Poste"), nullptr) << sheet << " has its header";
    for (const auto& row : rows) {
      if (row.size() > 1 && row[1].is_object() &&
          row[1]["v"].get<std::string>().starts_with("poste-")) {
        EXPECT_TRUE(seen.insert(row[1]["v"].get<std::string>()).second);
      }
    }
  }
  EXPECT_EQ(seen.size(), 12u);
}

TEST_F(ReportTest, CsvReadsBackAsFrenchExcelWouldWithHostileTextIntact) {
  Populate();
  const std::string path = dir_ / "report.csv";
  ASSERT_TRUE(WriteReport(Build(), ReportFormat::kCsv, path).ok());
  const auto csv = ReadBack("csv", path);
  EXPECT_TRUE(csv["bom"]);
  const auto& rows = csv["rows"];
  EXPECT_THAT(rows, Contains(nlohmann::json({"Début de la période",
                                             FormatFrenchDate(Today() - std::chrono::days(6))})));
  EXPECT_THAT(rows, Contains(nlohmann::json({"Non conforme", "1", "50,0"})));
  EXPECT_THAT(rows, Contains(nlohmann::json({"Verdict", "Postes", "Part (%)"})));
  // A tenant starting with '=' would run as a formula in Excel: it is written as text.
  EXPECT_THAT(rows,
              Contains(nlohmann::json({"MI", std::string("Intérieur ") + kHostile,
                                       std::string("'") + kHostileTenant, "non déclaré", "1"})));
  bool derogation_seen = false;
  for (const auto& row : rows) {
    if (row.size() == 9 && row[5] == "DEC;\"1\"") {
      derogation_seen = true;
      EXPECT_EQ(row[4], kHostile);
      EXPECT_EQ(row[7], FormatFrenchDate(Today() + std::chrono::days(20)));
    }
  }
  EXPECT_TRUE(derogation_seen);
  // The hosts sheet, pseudonymous, with its date as French Excel reads it.
  EXPECT_THAT(rows, Contains(nlohmann::json({"MI", HostPseudonym(kKey, "poste-h2"), "", "Debian 12",
                                             "Conforme", FormatFrenchDate(Today())})));
  EXPECT_THAT(ReadFile(path), Not(HasSubstr("poste-h")));
}

TEST_F(ReportTest, HtmlIsSelfContainedPrintableAndEscapesEverything) {
  Populate();
  const ComplianceReport report = Build();
  const std::string html = ReportToHtml(report);
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, HasSubstr("@page { size: A4"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;; &#39;q&#39;"));
  for (const auto& section : report.sections) {
    EXPECT_THAT(html, HasSubstr("<h2>" + section.title + "</h2>")) << section.title;
  }
  // The hosts are too many to print: the page says where they are.
  EXPECT_THAT(html, HasSubstr("La liste des postes figure dans les versions XLSX et CSV"));
  EXPECT_THAT(html, Not(HasSubstr(HostPseudonym(kKey, "poste-h1"))));
  for (const char* title :
       {"Synthèse", "Services du cloud Microsoft 365 en usage", "Locataires Microsoft vus",
        "Unités classées par non-conformité", "Dérogations en vigueur",
        "Postes sans rapport récent", "Adoption des alternatives souveraines", "Méthodologie"}) {
    EXPECT_THAT(html, HasSubstr(title));
  }
}

TEST_F(ReportTest, SaysSoWhenThereIsNoSnapshotOfThePreviousPeriod) {
  Ingest("r1", "h1", "MI", VerdictStatus::kCompliant, {});
  const std::string html = ReportToHtml(Build());
  EXPECT_THAT(html, HasSubstr("aucun instantané de la période précédente"));
}

TEST_F(ReportTest, MinistryWithoutHostsStillGetsAReport) {
  const ComplianceReport report = Build("MEN");
  EXPECT_EQ(report.scope, "Éducation nationale");
  EXPECT_THAT(ReportToHtml(report), HasSubstr("Aucune dérogation n&#39;est en vigueur."));
}

TEST_F(ReportTest, UnknownMinistryAndFuturePeriodAreRefused) {
  ReportRequest request;
  request.ministry = "NOPE";
  request.last_day = Today();
  auto unknown = BuildComplianceReport(*store_, rules_, At(kNowSeconds), request);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "ministère inconnu « NOPE »");
  request.ministry = "MI";
  request.last_day = Today() + std::chrono::days(1);
  EXPECT_EQ(BuildComplianceReport(*store_, rules_, At(kNowSeconds), request).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReportTest, MonthlyPeriodIsTheCalendarMonth) {
  const Date last = std::chrono::sys_days(std::chrono::year{2026} / 3 / 31);
  EXPECT_EQ(PeriodStart(last, ReportPeriod::kMonthly),
            std::chrono::sys_days(std::chrono::year{2026} / 3 / 1));
  EXPECT_EQ(PeriodStart(last, ReportPeriod::kWeekly), last - std::chrono::days(6));
  EXPECT_EQ(PeriodStart(last, ReportPeriod::kDaily), last);
}

TEST_F(ReportTest, UnwritableDestinationFailsCleanlyAndLeavesNothing) {
  const std::string missing = dir_ / "absent/report.html";
  const Status status = WriteReport(Build(), ReportFormat::kHtml, missing);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("impossible d'écrire"));
  EXPECT_THAT(status.message(), HasSubstr(missing));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "absent"));
}

TEST_F(ReportTest, XlsxFailureKeepsThePreviousReportAndLeavesNoTemporaryFile) {
  // A directory where the report should go: the rename fails after the workbook is written.
  const std::string path = dir_ / "taken.xlsx";
  std::filesystem::create_directories(path + "/inside");
  ASSERT_FALSE(WriteReport(Build(), ReportFormat::kXlsx, path).ok());
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    entries += entry.path().filename().string().find(".tmp-") != std::string::npos;
  }
  EXPECT_EQ(entries, 0u);
  EXPECT_TRUE(std::filesystem::is_directory(path + "/inside"));
}

// The real binary: errors are one French line on stderr, and an existing report is untouched.
class ReportCliTest : public ReportTest {
 protected:
  vigie::testing::Completed Run(std::vector<std::string> arguments) {
    std::vector<std::string> argv = {
        VIGIE_COLLECTOR_BINARY, "report",     "run", "--database", dir_ / "collector.db",
        "--ministries-file",    organisation_};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return vigie::testing::RunCommand(argv);
  }

  void SetUp() override {
    ReportTest::SetUp();
    organisation_ = dir_.Write("ministries.toml", kOrganisation);
  }

  std::string organisation_;
};

TEST_F(ReportCliTest, WritesEachFormat) {
  Populate();
  for (const char* format : {"xlsx", "csv", "html"}) {
    const std::string out = dir_ / (std::string("report.") + format);
    const auto run = Run({"--ministry", "MI", "--format", format, "--out", out});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, "Rapport écrit : " + out + "\n");
    EXPECT_GT(std::filesystem::file_size(out), 0u);
  }
  const auto all = Run({"--all", "--format", "csv", "--out", dir_ / "all.csv", "--date",
                        FormatIsoDate(Today()), "--period", "daily"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(ReadFile(dir_ / "all.csv"), HasSubstr("Interministériel"));
}

TEST_F(ReportCliTest, ArchiveWritesTheArchiveNameAndRecordsIt) {
  Populate();
  const std::string archive = dir_ / "archive";
  std::filesystem::create_directories(archive);
  const std::string today = FormatIsoDate(Today());
  const auto run =
      Run({"--ministry", "MI", "--format", "csv", "--archive", "--report-archive-directory",
           archive, "--date", today, "--period", "daily"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string path = archive + "/vigie-MI-daily-" + today + ".csv";
  EXPECT_EQ(run.out, "Rapport écrit et archivé (n° 1) : " + path + "\n");
  auto opened = ReportArchive::Open(dir_ / "collector.db");
  ASSERT_TRUE(opened.ok());
  auto listed = opened->List("MI");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().path, path);
  EXPECT_EQ(listed->front().size, static_cast<std::int64_t>(std::filesystem::file_size(path)));
  // Run again for the same period: the file is replaced and keeps its one row.
  const auto again =
      Run({"--ministry", "MI", "--format", "csv", "--archive", "--report-archive-directory",
           archive, "--date", today, "--period", "daily"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(opened->List("MI")->size(), 1u);
}

TEST_F(ReportCliTest, ErrorsAreOneClearLineAndNothingIsWritten) {
  const std::string out = dir_.Write("report.csv", "previous report");
  const struct {
    std::vector<std::string> arguments;
    std::string error;
  } cases[] = {
      {{"--ministry", "NOPE", "--format", "csv", "--out", out}, "ministère inconnu « NOPE »"},
      {{"--ministry", "MI", "--format", "csv", "--out", out, "--date", "2026-02-30"},
       "date invalide « 2026-02-30 » : attendu AAAA-MM-JJ"},
      {{"--format", "csv", "--out", out}, "indiquez --ministry CODE ou --all"},
      {{"--ministry", "MI", "--format", "csv"}, "indiquez --out FICHIER ou --archive"},
      {{"--ministry", "MI", "--format", "csv", "--out", dir_ / "absent/report.csv"},
       "impossible d'écrire « " + (dir_ / "absent/report.csv") + " » : No such file or directory"},
  };
  for (const auto& c : cases) {
    const auto run = Run(c.arguments);
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_EQ(run.err, "vigie-collector: error: " + c.error + "\n");
  }
  EXPECT_EQ(ReadFile(out), "previous report");
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".tmp-")));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "absent"));
}

TEST_F(ReportCliTest, ServeWritesTheScheduledReportsAtStartUp) {
  const std::string config = dir_.Write("collector.toml", "ministries-file = \"" + organisation_ +
                                                              "\"\n[[report]]\nministry = \"all\"\n"
                                                              "period = \"daily\"\nformats = "
                                                              "[\"html\"]\ndirectory = \"" +
                                                              dir_.path().string() + "\"\n");
  vigie::testing::Subprocess serve({VIGIE_COLLECTOR_BINARY, "serve", "--config", config,
                                    "--database", dir_ / "collector.db", "--insecure",
                                    "--grpc-listen", "127.0.0.1:0", "--log-level", "info"});
  // The maintenance thread runs the schedules once the server listens; poll for the file.
  const auto written = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("vigie-interministeriel-daily-") && name.ends_with(".html")) return true;
    }
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!written() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  serve.Signal(SIGTERM);
  const auto stopped = serve.Wait();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_TRUE(written());
}

TEST_F(ReportCliTest, ServeRefusesAScheduleForAnUnknownMinistry) {
  const std::string config = dir_.Write(
      "collector.toml", "ministries-file = \"" + organisation_ +
                            "\"\n[[report]]\nministry = \"NOPE\"\nperiod = \"daily\"\nformats = "
                            "[\"csv\"]\ndirectory = \"/tmp\"\n");
  const auto run = vigie::testing::RunCommand({VIGIE_COLLECTOR_BINARY, "serve", "--config", config,
                                               "--database", dir_ / "collector.db", "--insecure",
                                               "--grpc-listen", "127.0.0.1:0"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("[[report]] : ministère inconnu « NOPE »"));
}

}  // namespace
}  // namespace vigie::collector
