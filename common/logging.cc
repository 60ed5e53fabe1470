#include "common/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace vigie {
namespace {

// Writes the sd-daemon(3) priority ("<3>" for errors...) so that journald records the level.
class SyslogPriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    static constexpr char kPriorities[] = {'7', '7', '6', '4', '3', '2', '6'};
    const char text[] = {'<', kPriorities[message.level], '>'};
    out.append(text, text + sizeof(text));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

}  // namespace

Status SetupLogging(LogStyle style, std::string_view level,
                    const std::optional<std::string>& file) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str maps anything unknown to "off"; only the word "off" may mean off.
  if (parsed == spdlog::level::off && level != "off") {
    return InvalidArgument("unknown log level '" + std::string(level) +
                           "' (expected trace, debug, info, warn, error, critical or off)");
  }
  spdlog::drop("vigie");
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (file) {
      logger = spdlog::basic_logger_mt("vigie", *file);
      logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    } else {
      logger = spdlog::stderr_logger_mt("vigie");
      if (style == LogStyle::kConsole) {
        logger->set_pattern("%l: %v");
      } else if (std::getenv("JOURNAL_STREAM") != nullptr) {
        // journald adds the time itself.
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%v");
        logger->set_formatter(std::move(formatter));
      } else {
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
      }
    }
  } catch (const spdlog::spdlog_ex& error) {
    return Unavailable("cannot set up logging: " + std::string(error.what()));
  }
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

}  // namespace vigie
