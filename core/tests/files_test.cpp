#include "tally/core/files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace fs = std::filesystem;

TEST(FilesWithExtension, ListsTheFolderFilesOfThatExtensionSorted) {
  const fs::path dir =
      fs::temp_directory_path() / ("tally-files-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub.json");  // a folder named like a file: not listed
  for (const char* name : {"b.json", "a.json", "c.tsv", "d.json.bak"})
    std::ofstream(dir / name) << "x";
  std::ofstream(dir / "sub.json" / "e.json") << "x";  // not directly in the folder
  const std::vector<fs::path> files = tally::core::files_with_extension(dir, ".json");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "a.json");
  EXPECT_EQ(files[1].filename(), "b.json");
  EXPECT_EQ(tally::core::files_with_extension(dir, ".tsv").size(), 1u);
  fs::remove_all(dir);
}

TEST(FilesWithExtension, IsEmptyForAMissingFolderOrAFile) {
  EXPECT_TRUE(tally::core::files_with_extension("/no/such/folder", ".json").empty());
  EXPECT_TRUE(tally::core::files_with_extension("/etc/hostname", ".json").empty());
}
