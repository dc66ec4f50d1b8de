// Geometry shared by every stage.
//
// Coordinates are PDF points (1/72 inch) in the page's displayed orientation, origin at the
// top-left corner, y growing downwards: the frame poppler's text layer uses. Rasters convert with
// their DPI.
#pragma once

#include <algorithm>

namespace tally::core {

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  double center_x() const { return (x0 + x1) / 2; }
  double center_y() const { return (y0 + y1) / 2; }
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  bool contains(double x, double y) const { return x >= x0 && x <= x1 && y >= y0 && y <= y1; }

  // The smallest box holding both; an empty box is the identity.
  Box united(const Box& other) const {
    if (empty()) return other;
    if (other.empty()) return *this;
    return {std::min(x0, other.x0), std::min(y0, other.y0), std::max(x1, other.x1),
            std::max(y1, other.y1)};
  }
  Box intersected(const Box& other) const {
    return {std::max(x0, other.x0), std::max(y0, other.y0), std::min(x1, other.x1),
            std::min(y1, other.y1)};
  }
  double area() const { return empty() ? 0.0 : width() * height(); }

  friend bool operator==(const Box&, const Box&) = default;
};

// Share of `inner`'s area that lies inside `outer` (0 when `inner` is empty).
inline double overlap_ratio(const Box& inner, const Box& outer) {
  const double a = inner.area();
  return a > 0 ? inner.intersected(outer).area() / a : 0.0;
}

}  // namespace tally::core
