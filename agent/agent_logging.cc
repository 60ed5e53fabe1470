#include "agent/agent_logging.h"

#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "common/logging.h"

namespace vigie::agent {

Status SetupServiceLogging(std::string_view target, std::string_view level) {
  const bool journald =
      target == "journald" || (target == "auto" && std::getenv("JOURNAL_STREAM") != nullptr);
  if (!journald) {
    if (target == "auto" || target == "stderr") return SetupLogging(LogStyle::kService, level);
    if (target.empty() || target.front() != '/') {
      return InvalidArgument("log-target: '" + std::string(target) +
                             "' is not auto, journald, stderr or an absolute file path");
    }
    return SetupLogging(LogStyle::kService, level, std::string(target));
  }
  // The level check and the default logger's settings are SetupLogging's; only the sink differs.
  VIGIE_RETURN_IF_ERROR(SetupLogging(LogStyle::kService, level));
  try {
    auto logger = std::make_shared<spdlog::logger>(
        "vigie", std::make_shared<spdlog::sinks::systemd_sink_mt>("vigie-agent"));
    logger->set_pattern("%v");
    logger->set_level(spdlog::default_logger()->level());
    logger->flush_on(spdlog::level::warn);
    spdlog::drop("vigie");
    spdlog::set_default_logger(logger);
  } catch (const spdlog::spdlog_ex& error) {
    return Unavailable("cannot log to the journal: " + std::string(error.what()));
  }
  return Status::Ok();
}

}  // namespace vigie::agent
