// Test helper: an 8-bit OpenCV image as a core::Raster (a copy) at a given resolution.
#pragma once

#include <opencv2/core.hpp>

#include "tally/core/model.h"

namespace tally::ocr::testing {

inline core::Raster raster_of(const cv::Mat& image, double dpi) {
  core::Raster raster;
  raster.width = image.cols;
  raster.height = image.rows;
  raster.dpi = dpi;
  const cv::Mat continuous = image.isContinuous() ? image : image.clone();
  raster.pixels.assign(continuous.datastart, continuous.dataend);
  return raster;
}

}  // namespace tally::ocr::testing
