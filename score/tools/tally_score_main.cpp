// tally-score: the scorer on its own, for use until `tally score` is wired into cli/main.cpp.
#include <iostream>

#include "tally/score/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "score") args.erase(args.begin());
  return tally::score::run_score_command(args, std::cout, std::cerr);
}
