// Shards: a deterministic share of a batch's inputs, by content, for job arrays.
#include <cstdlib>
#include <string>

#include "tally/app/batch.h"
#include "tally/core/error.h"
#include "tally/extract/extract.h"

namespace tally::app {

namespace {

std::optional<int> whole_number(const char* text) {
  if (!text || !*text) return std::nullopt;
  char* end = nullptr;
  const long n = std::strtol(text, &end, 10);
  if (*end || n < 0 || n > 1'000'000) return std::nullopt;
  return static_cast<int>(n);
}

// FNV-1a: a stable spread of names (std::hash may differ between builds, and shards of one run may
// come from different machines).
std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

Shard shard_from_text(const std::string& text) {
  const std::size_t slash = text.find('/');
  const auto bad = [&] {
    return core::Error(core::ErrorCode::Usage,
                       "--shard " + text +
                           ": expected K/N with 0 ≤ K < N, e.g. 0/4 for the first of four shards.");
  };
  if (slash == std::string::npos) throw bad();
  const auto index = whole_number(text.substr(0, slash).c_str()),
             count = whole_number(text.substr(slash + 1).c_str());
  if (!index || !count || *count < 1 || *index >= *count) throw bad();
  return {*index, *count};
}

std::optional<Shard> shard_from_environment(const std::function<const char*(const char*)>& getenv) {
  const auto slurm_id = whole_number(getenv("SLURM_ARRAY_TASK_ID"));
  const auto slurm_count = whole_number(getenv("SLURM_ARRAY_TASK_COUNT"));
  if (slurm_id && slurm_count && *slurm_count > 0) {
    // `--array=1-16` numbers tasks from 1: count from the array's first index.
    const int first = whole_number(getenv("SLURM_ARRAY_TASK_MIN")).value_or(0);
    const int index = *slurm_id - first;
    if (index < 0 || index >= *slurm_count)
      throw core::Error(core::ErrorCode::Usage,
                        "SLURM_ARRAY_TASK_ID " + std::to_string(*slurm_id) +
                            " is outside an array of " + std::to_string(*slurm_count) +
                            " tasks from " + std::to_string(first) +
                            "; use a contiguous --array, or pass --shard K/N.");
    return Shard{index, *slurm_count};
  }
  const auto k8s_index = whole_number(getenv("JOB_COMPLETION_INDEX"));
  const auto k8s_count = whole_number(getenv("TALLY_SHARD_COUNT"));
  if (k8s_index && k8s_count && *k8s_count > 0 && *k8s_index < *k8s_count)
    return Shard{*k8s_index, *k8s_count};
  return std::nullopt;
}

std::vector<BatchInput> inputs_of_shard(std::vector<BatchInput> inputs, Shard shard,
                                        std::int64_t max_bytes) {
  std::vector<BatchInput> mine;
  for (BatchInput& input : inputs) {
    std::uint64_t key = 0;
    try {
      // A file over the size limit is not read even to hash it (the batch refuses it unread).
      if (static_cast<std::int64_t>(std::filesystem::file_size(input.path)) > max_bytes)
        throw core::Error(core::ErrorCode::TooLarge, input.name);
      if (input.sha256.empty()) input.sha256 = extract::file_sha256(input.path);
      key = std::stoull(input.sha256.substr(0, 15), nullptr, 16);  // 60 bits of the hash
    } catch (const std::exception&) {
      input.sha256.clear();
      key = fnv1a(input.name);  // unreadable: by name; its error record lands in one shard
    }
    if (static_cast<int>(key % static_cast<std::uint64_t>(shard.count)) == shard.index)
      mine.push_back(std::move(input));
  }
  return mine;
}

std::string shard_folder_name(Shard shard) {
  const std::size_t width = std::to_string(shard.count).size();
  std::string index = std::to_string(shard.index);
  index.insert(0, width - std::min(width, index.size()), '0');
  return "shard-" + index + "-of-" + std::to_string(shard.count);
}

}  // namespace tally::app
