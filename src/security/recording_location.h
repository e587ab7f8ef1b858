// Where a recording link may lead (R30): a case's link names the file the
// telephony adapter wrote, "<case>_<call id>.wav" (or ".wav.sealed") inside
// the recordings folder (telephony.recordings_dir). Playback goes through
// here, so a link's ref is never opened as it is: a path outside that folder
// (after resolving "..", and symlinks that lead out of it), a file of another
// case, or anything that is not a recording's name does not resolve.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline::security {

// True for the name telephony gives a recording of `case_number`:
// "<case_number>_<call>.wav" or the same + ".sealed", where <call> keeps to
// the file-name-safe alphabet [A-Za-z0-9._-].
bool IsRecordingNameOf(std::string_view file_name, std::string_view case_number);

// The canonical path of `ref` if it lies inside `recordings_dir` (after
// resolving "..", and symlinks that lead out of it) and its name is a
// recording's of any case; NotFound otherwise. For deleting recordings
// (retention, erasure): a row's file name is never removed as it is.
Result<std::filesystem::path> LocateInRecordingsFolder(const std::string& recordings_dir,
                                                       const std::string& ref);

// The canonical path of the recording `ref` names, if it lies inside
// `recordings_dir` and is a recording of `case_number`; NotFound otherwise
// (also when no folder is configured). Whether the file exists is not checked.
Result<std::filesystem::path> LocateRecording(const std::string& recordings_dir,
                                              std::string_view case_number, const std::string& ref);

}  // namespace gosline::security
