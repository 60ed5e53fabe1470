#include "collector/user_commands.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include "common/dates.h"
#include "common/report_json.h"

namespace vigie::collector {
namespace {

Result<std::string> ReadLine(std::FILE* in) {
  std::string line;
  int c = 0;
  while ((c = std::fgetc(in)) != EOF && c != '\n') line += static_cast<char>(c);
  if (c == EOF && line.empty()) {
    return InvalidArgument("no password given: type it at the prompt or pipe it on stdin");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<std::string> PromptHidden(std::FILE* in, const char* prompt) {
  std::fputs(prompt, stderr);
  termios saved{};
  const int fd = ::fileno(in);
  const bool terminal = ::tcgetattr(fd, &saved) == 0;
  if (terminal) {
    termios hidden = saved;
    hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &hidden);
  }
  auto line = ReadLine(in);
  if (terminal) ::tcsetattr(fd, TCSAFLUSH, &saved);
  std::fputs("\n", stderr);
  return line;
}

std::string Describe(const User& user) {
  return user.role == Role::kMinistry ? "ministry (" + user.ministry + ")"
                                      : std::string(RoleName(user.role));
}

}  // namespace

Result<std::string> ReadPassword(std::FILE* in) {
  if (!::isatty(::fileno(in))) return ReadLine(in);
  auto first = PromptHidden(in, "Mot de passe : ");
  if (!first.ok()) return first.status();
  auto second = PromptHidden(in, "Mot de passe (confirmation) : ");
  if (!second.ok()) return second.status();
  if (*first != *second) return InvalidArgument("the two passwords differ");
  return first;
}

Result<std::string> AddUser(UserDirectory& users, const UserRequest& request,
                            const MinistryList& ministries, const std::string& password,
                            Timestamp now) {
  const auto role = ParseRole(request.role);
  if (!role) {
    return InvalidArgument("--role: '" + request.role +
                           "' is not a role (admin, interministerial or ministry)");
  }
  if (!request.ministry.empty() && !ministries.Find(request.ministry)) {
    return NotFound("--ministry: unknown ministry code '" + request.ministry + "'");
  }
  User user;
  user.name = request.name;
  user.role = *role;
  user.ministry = request.ministry;
  VIGIE_RETURN_IF_ERROR(users.Add(user, password, now));
  return fmt::format("Compte {} créé : {}.\n", user.name, Describe(user));
}

Result<std::string> RemoveUser(UserDirectory& users, const std::string& name) {
  VIGIE_RETURN_IF_ERROR(users.Remove(name));
  return fmt::format("Compte {} supprimé, avec ses jetons d'API.\n", name);
}

Result<std::string> ListUsers(UserDirectory& users) {
  auto list = users.List();
  if (!list.ok()) return list.status();
  if (list->empty()) return std::string("Aucun compte.\n");
  std::string text;
  for (const User& user : *list) {
    text += fmt::format("{}\t{}\tcréé le {}\n", user.name, Describe(user),
                        FormatTimestamp(user.created_at));
  }
  return text;
}

Result<std::string> AddToken(UserDirectory& users, const std::string& name,
                             const std::string& label, Timestamp now) {
  auto token = users.CreateToken(name, label, now);
  if (!token.ok()) return token.status();
  return fmt::format(
      "{}\n(jeton d'API de {} : il ne sera plus affiché ; en-tête « Authorization: Bearer … »)\n",
      *token, name);
}

Result<std::string> ListTokens(UserDirectory& users) {
  auto tokens = users.ListTokens();
  if (!tokens.ok()) return tokens.status();
  if (tokens->empty()) return std::string("Aucun jeton d'API.\n");
  std::string text;
  for (const ApiToken& token : *tokens) {
    text += fmt::format("{}\t{}\t{}\tcréé le {}\n", token.id, token.user, token.label,
                        FormatTimestamp(token.created_at));
  }
  return text;
}

Result<std::string> RevokeToken(UserDirectory& users, std::int64_t id) {
  VIGIE_RETURN_IF_ERROR(users.RevokeToken(id));
  return fmt::format("Jeton d'API {} révoqué.\n", id);
}

}  // namespace vigie::collector
