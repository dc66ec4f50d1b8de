// Scoring one prediction against one truth document, both already read into the model.
#pragma once

#include "inputs.h"
#include "tally/score/score.h"

namespace tally::score::detail {

// Pairs tables, aligns columns and rows, and counts (see score.h for what is counted).
DocumentScore score_document(const Prediction& prediction, const TruthDocument& truth);

}  // namespace tally::score::detail
