#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/config_file.h"
#include "common/status.h"

namespace vigie {

struct Ministry {
  std::string code;  // e.g. "MEFSIN"; what agents and tokens refer to.
  std::string name;  // French name, as printed in summaries and reports.
};

// The ministries a deployment knows, from a TOML file of `[[ministry]]` tables with `code` and
// `name`. Codes are unique and 2 to 32 characters among A-Z, 0-9, '_' and '-'.
class MinistryList {
 public:
  // The list that ships with Vigie (common/data/ministries.toml).
  static const MinistryList& BuiltIn();
  static Result<MinistryList> Load(const std::string& path);
  static Result<MinistryList> Parse(std::string_view text, std::string source);

  const Ministry* Find(std::string_view code) const;
  const std::vector<Ministry>& all() const { return ministries_; }

 private:
  static Result<MinistryList> FromFile(const Result<ConfigFile>& file);

  std::vector<Ministry> ministries_;
};

// Whether `code` has the shape of a ministry code; says nothing of whether it is known.
bool IsWellFormedMinistryCode(std::string_view code);

}  // namespace vigie
