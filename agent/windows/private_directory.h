#pragma once

#include <string>

#include "common/status.h"

namespace vigie::agent {

// Who may open the service's directory and everything created in it: SYSTEM and the
// Administrators group, full control, inherited by files and subfolders; the DACL is protected,
// so nothing is inherited from %ProgramData% (where every user may read).
inline constexpr char kPrivateDirectorySddl[] = "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

// %ProgramData%\Vigie, where the service keeps its configuration (agent.toml) and its state.
Result<std::string> ServiceDirectory();

// Creates `path` (and its parents) if needed and gives it kPrivateDirectorySddl's DACL, whoever
// owned it before.
Status MakePrivateDirectory(const std::string& path);

// The DACL of `path` as SDDL, to check what MakePrivateDirectory set.
Result<std::string> DirectoryDacl(const std::string& path);

}  // namespace vigie::agent
