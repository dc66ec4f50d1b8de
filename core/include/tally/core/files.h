// Files of a folder, for the data Tally ships as folders of files (code lists, templates) and the
// folders of results it reads back (scoring).
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace tally::core {

// The regular files directly in `directory` whose name ends in `extension` (with its dot, ".json"),
// sorted by path so that every run reads them in the same order; empty when `directory` is not a
// folder or cannot be read.
std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& directory,
                                                        std::string_view extension);

}  // namespace tally::core
