// ocr/: reads what the text layer cannot give. Placeholder until the OCR stage lands.
#pragma once

namespace tally::ocr {}
