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

}  // namespace

Status LoadServeSettings(const std::string& path, ServeSettings& settings) {
  auto file = ConfigFile::Load(path);
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {"grpc-listen", "database",      "ministries-file",
                                               "log-level",   "log-file",      "tls-cert",
                                               "tls-key",     "tls-client-ca", "insecure"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "grpc-listen", settings.grpc_listen));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "database", settings.database));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "ministries-file", settings.ministries_file));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "log-level", settings.log_level));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "log-file", settings.log_file));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "tls-cert", settings.tls_cert));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "tls-key", settings.tls_key));
  VIGIE_RETURN_IF_ERROR(ReadString(*file, "tls-client-ca", settings.tls_client_ca));
  auto insecure = file->GetBool("insecure");
  if (!insecure.ok()) return insecure.status();
  if (*insecure) settings.insecure = **insecure;
  return Status::Ok();
}

}  // namespace vigie::collector
