#include "common/grpc_logging.h"

#include <grpc/support/log.h>
#include <spdlog/spdlog.h>

namespace vigie {
namespace {

void LogToSpdlog(gpr_log_func_args* args) {
  spdlog::debug("grpc {}:{}: {}", args->file ? args->file : "?", args->line,
                args->message ? args->message : "");
}

}  // namespace

void RouteGrpcLogsToSpdlog() {
  gpr_set_log_verbosity(GPR_LOG_SEVERITY_DEBUG);
  gpr_set_log_function(LogToSpdlog);
}

}  // namespace vigie
