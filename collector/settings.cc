#include "collector/settings.h"

#include "common/config_file.h"

namespace vigie::collector {
namespace {

Status ReadString(const ConfigFile& file, std::string_view key, std::string& out) {
  auto value = file.GetString(key);
  if (!value.ok()) return value.status();
  if (*value) out = **value;
  return Status::Ok();
}

Status ReadDays(const ConfigFile& file, std::string_view key, int& out) {
  auto value = file.GetInteger(key);
  if (!value.ok()) return value.status();
  if (!*value) return Status::Ok();
  if (**value < 1 || **value > kMaxSettingDays) {
    return file.ErrorAt(*file.table().get(key), key,
                        "must be a number of days from 1 to " + std::to_string(kMaxSettingDays));
  }
  out = static_cast<int>(**value);
  return Status::Ok();
}

}  // namespace

Status LoadServeSettings(const std::string& path, ServeSettings& settings) {
  auto file = ConfigFile::Load(path);
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {
      "grpc-listen", "database", "ministries-file", "policy-file", "stale-after-days", "log-level",
      "log-file", "tls-cert", "tls-key", "tls-client-ca", "insecure", "report-retention-days",
      "http-listen", "http-tls-cert", "http-tls-key", "web-root", "report-archive-directory",
      "report-archive-days", "report-host-names",
      // [[report]] tables: the report schedules (collector/report_schedule.h).
      "report"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "grpc-listen", settings.grpc_listen));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "database", settings.database));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "ministries-file", settings.ministries_file));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "policy-file", settings.policy_file));
  VIGIE_RETURN_IF_ERROR(ReadDays(*file, "stale-after-days", settings.stale_after_days));
  VIGIE_RETURN_IF_ERROR(ReadDays(*file, "report-retention-days", settings.report_retention_days));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "log-level", settings.log_level));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "log-file", settings.log_file));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "tls-cert", settings.tls_cert));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "tls-key", settings.tls_key));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "tls-client-ca", settings.tls_client_ca));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "http-listen", settings.http_listen));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "http-tls-cert", settings.http_tls_cert));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "http-tls-key", settings.http_tls_key));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "web-root", settings.web_root));
  VIGIE_RETURN_IF_ERROR(
      ReadString(*file, "report-archive-directory", settings.report_archive_directory));
  VIGIE_RETURN_IF_ERROR(ReadDays(*file, "report-archive-days", settings.report_archive_days));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "report-host-names", settings.report_host_names));
  if (settings.report_host_names != "pseudonymous" && settings.report_host_names != "clear") {
    return file->ErrorAt(*file->table().get("report-host-names"), "report-host-names",
                         "must be \"pseudonymous\" or \"clear\"");
  }
  auto insecure = file->GetBool("insecure");
  if (!insecure.ok()) return insecure.status();
  if (*insecure) settings.insecure = **insecure;
  return Status::Ok();
}

}  // namespace vigie::collector
