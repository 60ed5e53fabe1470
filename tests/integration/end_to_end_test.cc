// The real vigie-collector and vigie-agent binaries, talking over loopback.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "collector/test_reports.h"
#include "common/wire.h"
#include "integration/collector_process.h"
#include "integration/subprocess.h"
#include "temp_dir.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie {
namespace {

using testing::Completed;
using ::testing::HasSubstr;
using testing::RunCommand;
using ::testing::StartsWith;
using testing::Subprocess;

const std::string kAgent = VIGIE_AGENT_BINARY;
const std::string kCollector = VIGIE_COLLECTOR_BINARY;

std::string FixtureHost(const std::string& name) {
  return std::string(VIGIE_FIXTURES_DIR) + "/hosts/" + name;
}

// A collector on an ephemeral loopback port with a database in a temporary directory.
class CollectorTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void TearDown() override {
    if (!collector_) return;
    collector_->Signal(SIGTERM);
    const Completed stopped = collector_->Wait(std::chrono::seconds(20));
    EXPECT_EQ(stopped.exit_code, 0) << "collector did not stop cleanly on SIGTERM:\n"
                                    << stopped.err;
  }

  void Start() {
    collector_ = std::make_unique<Subprocess>([&] {
      std::vector<std::string> argv = {kCollector,    "serve",       "--grpc-listen",
                                       "127.0.0.1:0", "--database",  database(),
                                       "--insecure",  "--log-level", "warn"};
      argv.insert(argv.end(), serve_options_.begin(), serve_options_.end());
      return argv;
    }());
    const std::string line = collector_->WaitForLine("gRPC on ", std::chrono::seconds(30));
    ASSERT_FALSE(line.empty()) << "collector did not start";
    const auto start = line.find("gRPC on ") + 8;
    address_ = line.substr(start, line.find(',', start) - start);
  }

  void Restart() {
    TearDown();
    Start();
  }

  std::string database() const { return dir_ / "collector.db"; }

  // A valid report of a Linux host without evidence, scanned now.
  static InventoryReport ReportOf(std::string report_id, std::string host_id) {
    InventoryReport report = testing::ValidReport(std::move(report_id), std::move(host_id), "MI");
    report.evidence.clear();
    report.scan_finished =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    report.scan_started = report.scan_finished;
    return report;
  }

  // Sends a report straight through gRPC, as a faulty or hostile agent could: enrolled in MI
  // with a token, then free to send anything.
  grpc::Status Send(const v1::InventoryReport& report, v1::ReportResponse* response) {
    auto stub = v1::AgentService::NewStub(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
    if (sender_.agent_id().empty()) {
      grpc::ClientContext enroll_context;
      v1::EnrollRequest enroll;
      enroll.set_token(testing::CreateToken(kCollector, database(), "MI"));
      enroll.mutable_host()->set_host_id("raw-grpc-sender");
      EXPECT_TRUE(stub->Enroll(&enroll_context, enroll, &sender_).ok());
    }
    grpc::ClientContext context;
    context.AddMetadata("vigie-agent-id", sender_.agent_id());
    context.AddMetadata("vigie-agent-secret", sender_.agent_secret());
    v1::ReportRequest request;
    *request.mutable_report() = report;
    return stub->Report(&context, request, response);
  }

  // Runs the real agent once, enrolled in `ministry` (one state directory per host and
  // ministry, enrolled on first use with a token made by `token create`).
  Completed AgentRunOnce(const std::string& root, const std::string& ministry) {
    const std::string state =
        dir_ / ("agent-" + ministry + "-" + std::to_string(std::hash<std::string>()(root)));
    std::vector<std::string> argv = {kAgent,   "run",         "--once", "--collector",
                                     address_, "--state-dir", state,    "--insecure"};
    if (!std::filesystem::exists(state + "/identity.toml")) {
      argv.push_back("--token");
      argv.push_back(testing::CreateToken(kCollector, database(), ministry));
    }
    if (!root.empty()) {
      argv.push_back("--root");
      argv.push_back(root);
    }
    return RunCommand(argv);
  }

  nlohmann::json Summary() {
    const Completed summary =
        RunCommand({kCollector, "summary", "--database", database(), "--format", "json"});
    EXPECT_EQ(summary.exit_code, 0) << summary.err;
    return nlohmann::json::parse(summary.out);
  }

  static const nlohmann::json* FindMinistry(const nlohmann::json& summary,
                                            const std::string& code) {
    for (const auto& ministry : summary["ministries"]) {
      if (ministry["code"] == code) return &ministry;
    }
    return nullptr;
  }

  testing::TempDir dir_;
  std::vector<std::string> serve_options_;
  std::unique_ptr<Subprocess> collector_;
  std::string address_;
  v1::EnrollResponse sender_;
};

TEST_F(CollectorTest, AgentReportsFixtureHostAndSummaryListsIt) {
  const Completed agent = AgentRunOnce(FixtureHost("linux-teams-onedrive"), "MEFSIN");
  ASSERT_EQ(agent.exit_code, 0) << agent.err;
  EXPECT_THAT(agent.out, HasSubstr("À qualifier"));

  const Completed compliant = AgentRunOnce(FixtureHost("linux-libreoffice"), "MEFSIN");
  ASSERT_EQ(compliant.exit_code, 0) << compliant.err;
  EXPECT_THAT(compliant.out, HasSubstr("Conforme"));

  const nlohmann::json summary = Summary();
  const nlohmann::json* mefsin = FindMinistry(summary, "MEFSIN");
  ASSERT_NE(mefsin, nullptr) << summary.dump();
  EXPECT_EQ((*mefsin)["hosts"], 2);
  EXPECT_EQ((*mefsin)["verdicts"]["TO_REVIEW"], 1);
  EXPECT_EQ((*mefsin)["verdicts"]["COMPLIANT"], 1);
}

TEST_F(CollectorTest, AgentReportsThisMachine) {
  const Completed agent = AgentRunOnce("", "SPM");
  ASSERT_EQ(agent.exit_code, 0) << agent.err;
  const nlohmann::json summary = Summary();
  const nlohmann::json* spm = FindMinistry(summary, "SPM");
  ASSERT_NE(spm, nullptr);
  EXPECT_EQ((*spm)["hosts"], 1);
}

TEST_F(CollectorTest, RescanUpdatesTheHostAndSurvivesRestart) {
  ASSERT_EQ(AgentRunOnce(FixtureHost("linux-teams-onedrive"), "MI").exit_code, 0);
  ASSERT_EQ(AgentRunOnce(FixtureHost("linux-teams-onedrive"), "MI").exit_code, 0);
  Restart();
  ASSERT_EQ(AgentRunOnce(FixtureHost("linux-teams-onedrive"), "MI").exit_code, 0);
  const nlohmann::json summary = Summary();
  const nlohmann::json* mi = FindMinistry(summary, "MI");
  ASSERT_NE(mi, nullptr);
  EXPECT_EQ((*mi)["hosts"], 1);
}

TEST_F(CollectorTest, BadReportsGetClearErrorsAndStoreNothing) {
  const InventoryReport valid = ReportOf("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "host-x");
  v1::ReportResponse response;

  v1::InventoryReport missing_host = ToProto(valid);
  missing_host.mutable_host()->clear_host_id();
  grpc::Status status = Send(missing_host, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "report.host.host_id: required");

  v1::InventoryReport unknown_enum = ToProto(valid);
  unknown_enum.mutable_host()->set_os_family(static_cast<v1::OsFamily>(12));
  status = Send(unknown_enum, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "report.host.os_family: unknown value 12");

  v1::InventoryReport too_long = ToProto(valid);
  too_long.mutable_host()->set_hostname(std::string(70000, 'h'));
  status = Send(too_long, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("report.host.hostname: 70000 bytes"));

  const nlohmann::json summary = Summary();
  EXPECT_EQ(summary["total"]["hosts"], 0) << summary.dump();

  ASSERT_TRUE(Send(ToProto(valid), &response).ok());
  EXPECT_EQ(Summary()["total"]["hosts"], 1);
}

TEST_F(CollectorTest, DerogationRegisterReevaluatesHostsAtOnce) {
  InventoryReport report = ReportOf("bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee", "host-mail");
  Evidence mail;
  mail.product = "outlook";
  mail.service = ServiceCategory::kMail;
  mail.kind = EvidenceKind::kConfigured;
  mail.tenant = "interieur.onmicrosoft.com";
  report.evidence.push_back(mail);
  v1::ReportResponse response;
  ASSERT_TRUE(Send(ToProto(report), &response).ok());
  EXPECT_EQ(response.verdict().status(), v1::NON_COMPLIANT);

  const auto derogation = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {kCollector, "derogation"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--database", database()});
    return RunCommand(argv);
  };
  const Completed refused =
      derogation({"add", "--ministry", "MI", "--service", "CONFERENCING", "--granted-by", "SG",
                  "--from", "2020-01-01", "--until", "2099-12-31", "--reference", "X"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("no derogation is possible for CONFERENCING"));

  const Completed added =
      derogation({"add", "--ministry", "MI", "--service", "MAIL", "--granted-by", "SG MI", "--from",
                  "2020-01-01", "--until", "2099-12-31", "--reference", "DEC-7"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("1 verdict(s) de poste mis à jour"));
  nlohmann::json summary = Summary();
  EXPECT_EQ((*FindMinistry(summary, "MI"))["verdicts"]["DEROGATION"], 1);

  const Completed listed = derogation({"list", "--format", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out)[0]["reference"], "DEC-7");

  ASSERT_EQ(derogation({"revoke", "--id", "1"}).exit_code, 0);
  summary = Summary();
  EXPECT_EQ((*FindMinistry(summary, "MI"))["verdicts"]["NON_COMPLIANT"], 1);
  const Completed again = derogation({"revoke", "--id", "1"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("already revoked"));
}

TEST_F(CollectorTest, OrganisationFromConfigurationPlacesAndMovesHosts) {
  const std::string organisation = dir_.Write("organisation.toml", R"toml(
[[ministry]]
code = "MI"
name = "Ministère de l'Intérieur"
[[ministry.org-unit]]
id = "DGPN"
name = "Direction générale de la police nationale"
[[ministry.org-unit]]
id = "DGPN.LYON"
name = "Site de Lyon"
parent = "DGPN"
)toml");
  serve_options_ = {"--ministries-file", organisation};
  Restart();
  v1::ReportResponse response;
  ASSERT_TRUE(
      Send(ToProto(ReportOf("cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee", "host-x")), &response).ok());
  const auto command = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {kCollector};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--database", database(), "--ministries-file", organisation});
    return RunCommand(argv);
  };
  const Completed moved = command({"host", "move", "--host", "pc-a", "--org-unit", "DGPN.LYON"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_THAT(moved.out, HasSubstr("vers « Site de Lyon (DGPN.LYON) »"));
  const Completed wrong = command({"host", "move", "--host", "pc-a", "--org-unit", "DGSI"});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_THAT(wrong.err, HasSubstr("ministry MI has no org unit 'DGSI'"));

  const Completed listed = command({"org-unit", "list", "--ministry", "MI"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("Direction générale de la police nationale [DGPN] — 1 poste"));
  EXPECT_THAT(listed.out, HasSubstr("  Site de Lyon [DGPN.LYON] — 1 poste : Conforme 1"));

  const Completed summary = command({"summary", "--ministry", "MI", "--format", "json"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  const auto json = nlohmann::json::parse(summary.out);
  ASSERT_EQ(json["ministries"].size(), 1u);
  EXPECT_EQ(json["ministries"][0]["orgUnits"][1]["id"], "DGPN.LYON");
  EXPECT_EQ(json["ministries"][0]["orgUnits"][1]["hosts"], 1);
}

TEST(AgentCommandTest, ScanJsonFollowsTheContract) {
  const Completed scan = RunCommand(
      {kAgent, "scan", "--root", FixtureHost("linux-teams-onedrive"), "--format", "json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const auto json = nlohmann::json::parse(scan.out);
  EXPECT_EQ(json["host"]["hostname"], "pc-finances-042");
  EXPECT_EQ(json["host"]["osFamily"], "LINUX");
  EXPECT_EQ(json["evidence"][0]["product"], "teams-for-linux");
  EXPECT_EQ(json["evidence"][0]["service"], "COLLABORATION");
  EXPECT_EQ(json["evidence"][0]["kind"], "INSTALLED");
  EXPECT_EQ(json["verdict"]["status"], "TO_REVIEW");
  EXPECT_FALSE(json["verdict"]["reasons"].empty());
  EXPECT_FALSE(json.contains("probeErrors"));
}

TEST(AgentCommandTest, ScanExplainsEachFindingInFrench) {
  const Completed scan =
      RunCommand({kAgent, "scan", "--root", FixtureHost("linux-teams-onedrive"), "--explain"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_THAT(scan.out, HasSubstr("Explication de l'analyse du poste pc-finances-042"));
  EXPECT_THAT(scan.out, HasSubstr("[À qualifier] teams-for-linux"));
  EXPECT_THAT(scan.out, HasSubstr("Verdict : À qualifier"));
  const Completed both = RunCommand({kAgent, "scan", "--root", FixtureHost("linux-teams-onedrive"),
                                     "--explain", "--format", "json"});
  EXPECT_NE(both.exit_code, 0);
  EXPECT_THAT(both.err, HasSubstr("excludes"));
}

TEST(AgentCommandTest, ScanTextIsFrench) {
  const Completed scan =
      RunCommand({kAgent, "scan", "--root", FixtureHost("windows-corrupt-user-files")});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_THAT(scan.out, HasSubstr("Verdict : Inconnu"));
  EXPECT_THAT(scan.out, HasSubstr("Sondes en échec"));
}

TEST(CommandErrorsTest, FailuresExitNonZeroWithOneClearLine) {
  testing::TempDir dir;
  const struct {
    std::vector<std::string> argv;
    std::string message;
  } cases[] = {
      {{kAgent, "scan", "--root", dir.path().string()}, "host.toml"},
      {{kAgent, "run", "--once", "--collector", "127.0.0.1:1", "--token", "t", "--insecure",
        "--timeout", "2", "--state-dir", dir / "agent", "--root", FixtureHost("linux-libreoffice")},
       "collector 127.0.0.1:1 refused the enrollment"},
      {{kAgent, "run", "--once", "--collector", "127.0.0.1:1", "--insecure", "--state-dir",
        dir / "agent"},
       "this agent is not enrolled"},
      {{kAgent, "run", "--once", "--collector", "127.0.0.1:1", "--state-dir", dir / "agent",
        "--root", FixtureHost("linux-libreoffice")},
       "--insecure"},
      {{kCollector, "serve", "--database", dir / "c.db"}, "--insecure"},
      {{kCollector, "summary", "--database", dir / "none.db"}, "no collector database at"},
      {{kCollector, "serve", "--insecure", "--database", dir / "c.db", "--policy-file",
        dir.Write("policy.toml", "[[service]]\ncategory = \"MAIL\"\nderogable = \"yes\"\n")},
       "policy.toml:"},
      {{kCollector, "serve", "--insecure", "--database", dir / "c.db", "--ministries-file",
        dir.Write("org.toml",
                  "[[ministry]]\ncode = \"MA\"\nname = \"A\"\n[[ministry.tenant]]\n"
                  "id = \"t\"\noffer = \"cloud-x\"\n")},
       "offer 'cloud-x'"},
      {{kCollector, "summary", "--database", dir / "c.db", "--ministry", "ZZ"},
       "unknown ministry code 'ZZ'"},
      {{kCollector, "serve", "--insecure", "--config", dir.Write("bad.toml", "grpc-listen = 5\n")},
       "bad.toml:1: grpc-listen: must be a string"},
      {{kCollector, "serve", "--insecure", "--grpc-listen", "not-an-address", "--database",
        dir / "c.db"},
       "cannot listen on not-an-address"},
  };
  for (const auto& test : cases) {
    const Completed result = RunCommand(test.argv);
    EXPECT_NE(result.exit_code, 0) << test.argv[1];
    EXPECT_THAT(result.err, HasSubstr(test.message)) << test.argv[1];
    EXPECT_THAT(result.err,
                StartsWith(test.argv[0].substr(test.argv[0].rfind('/') + 1) + ": error: "));
  }
}

TEST(CommandErrorsTest, VersionAndHelp) {
  for (const auto& binary : {kAgent, kCollector}) {
    const Completed version = RunCommand({binary, "--version"});
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_THAT(version.out, HasSubstr("0."));
    const Completed help = RunCommand({binary, "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_THAT(help.out, HasSubstr("Usage"));
  }
}

}  // namespace
}  // namespace vigie
