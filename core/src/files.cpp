#include "tally/core/files.h"

#include <algorithm>

namespace tally::core {

std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& directory,
                                                        std::string_view extension) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) return files;
  for (auto it = std::filesystem::directory_iterator(directory, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == extension) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace tally::core
