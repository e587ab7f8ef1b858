// libsodium and liboath need one-time initialisation before first use. Every
// entry point of this library calls EnsureCryptoReady(); it is cheap after
// the first call and safe from several threads.
#pragma once

#include "core/common/status.h"

namespace gosline::security {

Status EnsureCryptoReady();

}  // namespace gosline::security
