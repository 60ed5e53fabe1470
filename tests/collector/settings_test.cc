#include "collector/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "temp_dir.h"

namespace vigie::collector {
namespace {

using ::testing::HasSubstr;

TEST(SettingsTest, FileSetsOnlyTheKeysItHas) {
  testing::TempDir dir;
  const std::string path = dir.Write("c.toml", "database = \"/srv/v.db\"\ninsecure = true\n");
  ServeSettings settings;
  ASSERT_TRUE(LoadServeSettings(path, settings).ok());
  EXPECT_EQ(settings.database, "/srv/v.db");
  EXPECT_TRUE(settings.insecure);
  EXPECT_EQ(settings.grpc_listen, ServeSettings().grpc_listen);
}

TEST(SettingsTest, TlsKeys) {
  testing::TempDir dir;
  const std::string path = dir.Write(
      "c.toml", "tls-cert = \"/c.pem\"\ntls-key = \"/c.key\"\ntls-client-ca = \"/ca.pem\"\n");
  ServeSettings settings;
  ASSERT_TRUE(LoadServeSettings(path, settings).ok());
  EXPECT_EQ(settings.tls_cert, "/c.pem");
  EXPECT_EQ(settings.tls_key, "/c.key");
  EXPECT_EQ(settings.tls_client_ca, "/ca.pem");
  EXPECT_FALSE(settings.insecure);
}

TEST(SettingsTest, DashboardKeys) {
  testing::TempDir dir;
  const std::string path =
      dir.Write("c.toml",
                "http-listen = \"127.0.0.1:8443\"\nhttp-tls-cert = \"/etc/c.pem\"\n"
                "http-tls-key = \"/etc/k.pem\"\nweb-root = \"/srv/web\"\n");
  ServeSettings settings;
  ASSERT_TRUE(LoadServeSettings(path, settings).ok());
  EXPECT_EQ(settings.http_listen, "127.0.0.1:8443");
  EXPECT_EQ(settings.http_tls_cert, "/etc/c.pem");
  EXPECT_EQ(settings.http_tls_key, "/etc/k.pem");
  EXPECT_EQ(settings.web_root, "/srv/web");
}

TEST(SettingsTest, DoctrineAndRetentionKeys) {
  testing::TempDir dir;
  const std::string path =
      dir.Write("c.toml",
                "policy-file = \"/etc/vigie/doctrine.toml\"\nstale-after-days = 45\n"
                "report-retention-days = 90\n");
  ServeSettings settings;
  ASSERT_TRUE(LoadServeSettings(path, settings).ok());
  EXPECT_EQ(settings.policy_file, "/etc/vigie/doctrine.toml");
  EXPECT_EQ(settings.stale_after_days, 45);
  EXPECT_EQ(settings.report_retention_days, 90);

  const std::string zero = dir.Write("zero.toml", "\nstale-after-days = 0\n");
  EXPECT_THAT(LoadServeSettings(zero, settings).message(),
              HasSubstr("zero.toml:2: stale-after-days: must be a number of days from 1 to 3650"));
  const std::string text = dir.Write("text.toml", "report-retention-days = \"90\"\n");
  EXPECT_THAT(LoadServeSettings(text, settings).message(),
              HasSubstr("text.toml:1: report-retention-days: must be"));
  const std::string archive = dir.Write("archive.toml", "report-archive-days = 4000\n");
  EXPECT_THAT(LoadServeSettings(archive, settings).message(),
              HasSubstr("archive.toml:1: report-archive-days: must be a number of days"));
  const std::string names = dir.Write("names.toml", "report-host-names = \"anonymous\"\n");
  EXPECT_THAT(LoadServeSettings(names, settings).message(),
              HasSubstr("names.toml:1: report-host-names: must be \"pseudonymous\" or \"clear\""));
}

TEST(SettingsTest, ShippedExampleIsValid) {
  ServeSettings settings;
  const Status status = LoadServeSettings(
      std::string(VIGIE_FIXTURES_DIR) + "/../../installers/config/collector.toml", settings);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(settings.report_archive_directory, "/var/lib/vigie-collector/rapports");
  EXPECT_EQ(settings.report_archive_days, 400);
  EXPECT_EQ(settings.report_host_names, "pseudonymous");
}

TEST(SettingsTest, ErrorsNameFileLineAndKey) {
  testing::TempDir dir;
  ServeSettings settings;
  const std::string typo = dir.Write("typo.toml", "grpc-listen = \"x:1\"\ndatabse = \"y\"\n");
  EXPECT_THAT(LoadServeSettings(typo, settings).message(),
              HasSubstr("typo.toml:2: databse: unknown key"));
  const std::string type = dir.Write("type.toml", "insecure = \"yes\"\n");
  EXPECT_THAT(LoadServeSettings(type, settings).message(),
              HasSubstr("type.toml:1: insecure: must be true or false"));
}

}  // namespace
}  // namespace vigie::collector
