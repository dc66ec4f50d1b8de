// A test-only stand-in for `tally batch-worker`, built into the tests alone: it crashes on a
// document named crash-*, hangs on hang-*, and reads every other document as tally would.
#include <csignal>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>

#include "tally/app/batch.h"

int main(int argc, char** argv) {
  if (argc != 2 || std::strcmp(argv[1], "batch-worker") != 0) return 64;
  const std::string request((std::istreambuf_iterator<char>(std::cin)),
                            std::istreambuf_iterator<char>());
  if (request.find("\"name\":\"crash-") != std::string::npos) std::raise(SIGSEGV);
  if (request.find("\"name\":\"hang-") != std::string::npos)
    std::this_thread::sleep_for(std::chrono::hours(1));
  return tally::app::run_batch_worker(request, 3);
}
