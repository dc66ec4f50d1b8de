// core::Raster and OpenCV's cv::Mat, for the stages that use OpenCV. Header only: core itself does
// not link OpenCV; whoever includes this does.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>

#include "tally/core/model.h"

namespace tally::core {

// The raster's pixels as an 8-bit image, without copying: valid while the raster lives unchanged.
inline cv::Mat view(const Raster& raster) {
  return cv::Mat(raster.height, raster.width, CV_8U, const_cast<std::uint8_t*>(raster.pixels.data()));
}

// An 8-bit image as a raster at `dpi` (a copy).
inline Raster raster_of(const cv::Mat& image, double dpi) {
  Raster raster;
  raster.width = image.cols;
  raster.height = image.rows;
  raster.dpi = dpi;
  const cv::Mat continuous = image.isContinuous() ? image : image.clone();
  raster.pixels.assign(continuous.datastart, continuous.dataend);
  return raster;
}

}  // namespace tally::core
