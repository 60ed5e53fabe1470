#include "agent/agent_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/config_file.h"
#include "common/crypto.h"

namespace vigie::agent {
namespace {

constexpr char kIdentityFile[] = "identity.toml";
constexpr char kPseudonymKeyFile[] = "pseudonym.key";

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

bool IsHexKey(const std::string& key) {
  if (key.size() != 64) return false;
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status ErrnoError(const std::string& what) {
  return Unavailable(what + ": " + std::strerror(errno));
}

}  // namespace

Status AgentState::EnsureDir() const {
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoError("cannot create the state directory " + dir_);
  }
  return Status::Ok();
}

Status AgentState::WriteSecretFile(const std::string& name, const std::string& content) const {
  VIGIE_RETURN_IF_ERROR(EnsureDir());
  const std::string path = dir_ + "/" + name;
  const std::string temporary = path + ".new";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("cannot write " + temporary);
  // An existing file created with looser permissions is tightened before the secret goes in.
  const bool written =
      ::fchmod(fd, 0600) == 0 &&
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  const Status failure = written ? Status::Ok() : ErrnoError("cannot write " + temporary);
  ::close(fd);
  if (!failure.ok()) {
    ::unlink(temporary.c_str());
    return failure;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return ErrnoError("cannot replace " + path);
  }
  return Status::Ok();
}

Result<std::optional<AgentIdentity>> AgentState::LoadIdentity() const {
  const std::string path = dir_ + "/" + kIdentityFile;
  if (::access(path.c_str(), F_OK) != 0) return std::optional<AgentIdentity>();
  auto file = ConfigFile::Load(path);
  if (!file.ok()) return file.status();
  static constexpr std::string_view kKeys[] = {"agent-id", "agent-secret", "ministry", "org-unit",
                                               "collector"};
  VIGIE_RETURN_IF_ERROR(file->CheckKeys(kKeys));
  AgentIdentity identity;
  const std::pair<std::string_view, std::string*> fields[] = {{"agent-id", &identity.agent_id},
                                                              {"agent-secret", &identity.secret},
                                                              {"ministry", &identity.ministry},
                                                              {"org-unit", &identity.org_unit},
                                                              {"collector", &identity.collector}};
  for (const auto& [key, out] : fields) {
    auto value = file->GetString(key);
    if (!value.ok()) return value.status();
    if (*value) *out = **value;
  }
  if (identity.agent_id.empty() || identity.secret.empty() || identity.ministry.empty()) {
    return DataLoss(path +
                    ": incomplete identity (agent-id, agent-secret and ministry are required); "
                    "enroll again with vigie-agent enroll --token ...");
  }
  return std::optional<AgentIdentity>(identity);
}

Status AgentState::SaveIdentity(const AgentIdentity& identity) const {
  std::ostringstream text;
  text << "# Written by vigie-agent enroll. agent-secret authenticates this workstation's\n"
       << "# reports: this file must stay readable by the agent only.\n"
       << "agent-id = " << Quoted(identity.agent_id) << "\n"
       << "agent-secret = " << Quoted(identity.secret) << "\n"
       << "ministry = " << Quoted(identity.ministry) << "\n"
       << "org-unit = " << Quoted(identity.org_unit) << "\n"
       << "collector = " << Quoted(identity.collector) << "\n";
  return WriteSecretFile(kIdentityFile, text.str());
}

Result<std::string> AgentState::PseudonymKey(const std::string& configured) const {
  if (!configured.empty()) {
    if (!IsHexKey(configured)) {
      return InvalidArgument(
          "pseudonym-key: 64 lowercase hexadecimal digits (openssl rand -hex 32)");
    }
    return configured;
  }
  const std::string path = dir_ + "/" + kPseudonymKeyFile;
  std::ifstream file(path);
  if (file) {
    std::string key;
    std::getline(file, key);
    if (!IsHexKey(key)) {
      return DataLoss(path +
                      ": not a pseudonym key (64 hexadecimal digits); remove it to make a "
                      "new one (pseudonyms will change)");
    }
    return key;
  }
  auto key = RandomHex(32);
  if (!key.ok()) return key.status();
  VIGIE_RETURN_IF_ERROR(WriteSecretFile(kPseudonymKeyFile, *key + "\n"));
  return *key;
}

}  // namespace vigie::agent
