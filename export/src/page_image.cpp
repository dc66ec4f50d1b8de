// The audit report's page images: a rendered page as PNG, in the frame its boxes use.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tally/export/export.h"
#include "tally/imaging/opencv.h"

namespace tally::exports {

namespace {

// zlib level 6: the report's pages compress to within a few percent of level 9 at a third of the
// time.
constexpr int kPngCompression = 6;

}  // namespace

PageImage page_image_of(const core::Raster& raster, int turn_degrees, double width_pt,
                        double height_pt, double skew_degrees) {
  PageImage image;
  if (raster.width <= 0 || raster.height <= 0) return image;
  cv::Mat mat = imaging::view(raster);
  if (turn_degrees == 90 || turn_degrees == 180 || turn_degrees == 270) {
    cv::Mat turned;
    cv::rotate(mat, turned,
               turn_degrees == 90    ? cv::ROTATE_90_CLOCKWISE
               : turn_degrees == 180 ? cv::ROTATE_180
                                     : cv::ROTATE_90_COUNTERCLOCKWISE);
    mat = turned;
  }
  // The deskew of ocr::prepare_page (a turn about the centre commutes with the quarter turns, so
  // the order of the two does not matter), white where the turn brings in the outside.
  if (skew_degrees != 0) {
    const cv::Mat m = cv::getRotationMatrix2D(
        cv::Point2f(static_cast<float>(mat.cols) / 2.0f, static_cast<float>(mat.rows) / 2.0f),
        -skew_degrees, 1.0);
    cv::Mat level;
    cv::warpAffine(mat, level, m, mat.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar::all(255));
    mat = level;
  }
  std::vector<std::uint8_t> png;
  if (!cv::imencode(".png", mat, png, {cv::IMWRITE_PNG_COMPRESSION, kPngCompression})) return image;
  image.png.assign(png.begin(), png.end());
  image.width_px = mat.cols;
  image.height_px = mat.rows;
  image.width_pt = width_pt > 0 ? width_pt : raster.to_points(mat.cols);
  image.height_pt = height_pt > 0 ? height_pt : raster.to_points(mat.rows);
  return image;
}

}  // namespace tally::exports
