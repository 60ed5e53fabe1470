// TLS between the real binaries: certificates are made at test time (tests/test_pki.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "integration/collector_process.h"
#include "integration/subprocess.h"
#include "temp_dir.h"
#include "test_pki.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::Completed;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunCommand;

const std::string kAgent = VIGIE_AGENT_BINARY;
const std::string kCollector = VIGIE_COLLECTOR_BINARY;
const std::string kFixture = std::string(VIGIE_FIXTURES_DIR) + "/hosts/linux-libreoffice";

class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : ca_("ministry-ca"),
        ca_file_(ca_.WriteCert(dir_)),
        server_(ca_.Issue(dir_, "collector", "collector.test", "IP:127.0.0.1,DNS:localhost")) {}

  std::unique_ptr<CollectorProcess> StartCollector(std::vector<std::string> extra) {
    auto collector = std::make_unique<CollectorProcess>(kCollector, dir_ / "collector.db", extra);
    EXPECT_FALSE(collector->address().empty()) << collector->error();
    return collector;
  }

  // Runs the agent once, enrolling it first with a token of the collector's database.
  Completed RunAgent(const std::string& address, std::vector<std::string> extra) {
    if (token_.empty()) token_ = testing::CreateToken(kCollector, dir_ / "collector.db", "MI");
    std::vector<std::string> argv = {
        kAgent,        "run",          "--once", "--collector", address,     "--token", token_,
        "--state-dir", dir_ / "agent", "--root", kFixture,      "--timeout", "10"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv);
  }

  testing::TempDir dir_;
  testing::TestCa ca_;
  std::string ca_file_;
  testing::IssuedFiles server_;
  std::string token_;
};

TEST_F(TlsTest, AgentTrustingTheCaReports) {
  auto collector = StartCollector({"--tls-cert", server_.cert, "--tls-key", server_.key});
  const Completed agent = RunAgent(collector->address(), {"--ca", ca_file_});
  EXPECT_EQ(agent.exit_code, 0) << agent.err;
  EXPECT_THAT(agent.out, HasSubstr("Conforme"));
}

TEST_F(TlsTest, WrongCaIsNamed) {
  auto collector = StartCollector({"--tls-cert", server_.cert, "--tls-key", server_.key});
  testing::TestCa other("other-ca");
  const Completed agent = RunAgent(collector->address(), {"--ca", other.WriteCert(dir_)});
  EXPECT_NE(agent.exit_code, 0);
  EXPECT_THAT(agent.err, HasSubstr("the collector's certificate is not accepted with --ca"));
  EXPECT_THAT(agent.err, HasSubstr("unable to get local issuer certificate"));
}

TEST_F(TlsTest, ExpiredCertificateIsNamed) {
  const auto expired = ca_.Issue(dir_, "expired", "collector.test", "IP:127.0.0.1",
                                 -std::chrono::hours(48), -std::chrono::hours(24));
  auto collector = StartCollector({"--tls-cert", expired.cert, "--tls-key", expired.key});
  const Completed agent = RunAgent(collector->address(), {"--ca", ca_file_});
  EXPECT_NE(agent.exit_code, 0);
  EXPECT_THAT(agent.err, HasSubstr("certificate has expired"));
  const Completed stopped = collector->Stop();
  EXPECT_THAT(stopped.err, HasSubstr("the certificate is expired on"));
}

TEST_F(TlsTest, CertificateForAnotherHostIsRefused) {
  const auto elsewhere = ca_.Issue(dir_, "elsewhere", "other.test", "DNS:other.test");
  auto collector = StartCollector({"--tls-cert", elsewhere.cert, "--tls-key", elsewhere.key});
  const Completed agent = RunAgent(collector->address(), {"--ca", ca_file_});
  EXPECT_NE(agent.exit_code, 0);
  EXPECT_THAT(agent.err, HasSubstr("Peer name 127.0.0.1 is not in peer certificate"));
}

TEST_F(TlsTest, PlainTextOnOneSideOnlyFails) {
  auto tls = StartCollector({"--tls-cert", server_.cert, "--tls-key", server_.key});
  const Completed insecure_agent = RunAgent(tls->address(), {"--insecure"});
  EXPECT_NE(insecure_agent.exit_code, 0);
  EXPECT_THAT(insecure_agent.err, HasSubstr("refused the enrollment"));

  auto plain = StartCollector({"--insecure"});
  const Completed tls_agent = RunAgent(plain->address(), {"--ca", ca_file_});
  EXPECT_NE(tls_agent.exit_code, 0);
  EXPECT_THAT(tls_agent.err, HasSubstr("the collector does not answer in TLS"));
}

TEST_F(TlsTest, MutualTlsRequiresTheAgentsCertificate) {
  testing::TestCa agents("agents-ca");
  const std::string agents_ca = agents.WriteCert(dir_);
  auto collector = StartCollector(
      {"--tls-cert", server_.cert, "--tls-key", server_.key, "--tls-client-ca", agents_ca});
  const Completed without = RunAgent(collector->address(), {"--ca", ca_file_});
  EXPECT_NE(without.exit_code, 0);
  EXPECT_THAT(without.err, HasSubstr("it probably requires a client certificate"));

  const auto client = agents.Issue(dir_, "agent", "pc-42", "DNS:pc-42");
  const Completed with = RunAgent(
      collector->address(), {"--ca", ca_file_, "--tls-cert", client.cert, "--tls-key", client.key});
  EXPECT_EQ(with.exit_code, 0) << with.err;
}

TEST_F(TlsTest, StartupErrorsNameTheFile) {
  const auto other = ca_.Issue(dir_, "other", "other.test", "DNS:other.test");
  const struct {
    std::vector<std::string> argv;
    std::string message;
  } cases[] = {
      {{kCollector, "serve", "--database", dir_ / "c.db"}, "TLS needs --tls-cert and --tls-key"},
      {{kCollector, "serve", "--database", dir_ / "c.db", "--tls-cert", server_.cert, "--tls-key",
        other.key},
       "the private key does not belong to the certificate"},
      {{kCollector, "serve", "--database", dir_ / "c.db", "--tls-cert", server_.key, "--tls-key",
        server_.key},
       "--tls-cert " + server_.key + ": not a PEM certificate"},
      {{kCollector, "serve", "--database", dir_ / "c.db", "--insecure", "--tls-cert", server_.cert,
        "--tls-key", server_.key},
       "exclude each other"},
      {{kAgent, "run", "--once", "--collector", "127.0.0.1:1", "--state-dir", dir_ / "none"},
       "pass --ca FILE"},
      {{kAgent, "enroll", "--collector", "127.0.0.1:1", "--token", "t", "--ca", server_.key},
       "--ca " + server_.key + ": not a PEM certificate"},
  };
  for (const auto& test : cases) {
    const Completed result = RunCommand(test.argv);
    EXPECT_NE(result.exit_code, 0) << test.message;
    EXPECT_THAT(result.err, HasSubstr(test.message));
    EXPECT_THAT(result.err, Not(HasSubstr("\n ")));
  }
}

}  // namespace
}  // namespace vigie
