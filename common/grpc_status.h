#pragma once

#include <grpcpp/support/status.h>

#include "common/status.h"

namespace vigie {

// The one place where Status and grpc::Status are mapped onto each other.
grpc::Status ToGrpcStatus(const Status& status);
Status FromGrpcStatus(const grpc::Status& status);

}  // namespace vigie
