// Operators' SIP passwords: a file of "operator_id:password" lines ('#'
// comments), named in the telephony configuration. For the demo it is made on
// first start with a random password per operator, mode 0600, like
// var/demo-credentials; an existing file is never rewritten.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace gosline::telephony {

Result<std::map<std::string, std::string>> ParseOperatorPasswords(const std::string& text);

// Reads `path`; when it does not exist and `create_for` is not empty, writes
// one random password per id first (0600) and reads that.
Result<std::map<std::string, std::string>> LoadOperatorPasswords(
    const std::string& path, const std::vector<std::string>& create_for);

}  // namespace gosline::telephony
