// docs/ENGINE.md says which kernels run for each workload; this holds it to
// the code. Each workload's plan is built here and must match the table
// under its heading, row for row, and every kernel file in core/kernels/
// must be named in the document. MNIST_PRINT_ENGINE_TABLES=1 prints the
// tables the code makes, to paste when a change is meant.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/model.h"
#include "model/model_spec.h"
#include "test_paths.h"

namespace mnist {
namespace {

struct Workload {
  const char* heading;  // the "### " heading in docs/ENGINE.md
  const char* model;    // preset
  Purpose purpose;
  int batch;
};

const Workload kWorkloads[] = {
    {"A training step of the CNN, batch 250", "cnn", Purpose::train, 250},
    {"A training step of the CNN, batch 64", "cnn", Purpose::train, 64},
    {"A batch prediction with the CNN (evaluation, 128 at a time)", "cnn", Purpose::predict_batch, 128},
    {"One drawing with the CNN", "cnn", Purpose::predict_one, 1},
    {"A training step of the softmax regression, batch 100", "softmax", Purpose::train, 100},
    {"One drawing with the softmax regression", "softmax", Purpose::predict_one, 1},
};

std::string read_doc() {
  std::ifstream in(std::string(kTestSourceDir) + "/docs/ENGINE.md");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A table row as its trimmed cells, backticks dropped: "| `a` | b |  |" -> {a, b, ""}.
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|') {
      const auto first = cell.find_first_not_of(' '), last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
      cell.clear();
    } else if (row[i] != '`') {
      cell += row[i];
    }
  }
  return cells;
}

// The plan's rows: {step, forward kernel, backward kernel or ""}.
std::vector<std::vector<std::string>> rows_of(const Workload& w) {
  auto model = Model::create(preset_spec(w.model).value()).value();
  if (w.purpose == Purpose::predict_one) model->prepare_inference();
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : model->plan(w.purpose, w.batch).describe(model->layer_names())) {
    // "conv1 forward X; backward Y"
    const auto f = line.find(" forward "), b = line.find("; backward ");
    const std::string step = line.substr(0, f);
    const std::string forward = line.substr(f + 9, b == std::string::npos ? std::string::npos : b - f - 9);
    const std::string backward = b == std::string::npos ? "" : line.substr(b + 11);
    rows.push_back({step, forward, backward});
  }
  return rows;
}

// The table rows under a heading, up to the next heading, without the
// column titles and the rule under them.
std::vector<std::vector<std::string>> rows_in_doc(const std::string& doc, const std::string& heading) {
  std::vector<std::vector<std::string>> rows;
  const auto at = doc.find("### " + heading + "\n");
  if (at == std::string::npos) return rows;
  std::istringstream lines(doc.substr(at + heading.size() + 5));
  std::string line;
  bool header = true;
  while (std::getline(lines, line) && line.rfind("#", 0) != 0) {
    if (line.rfind("|", 0) != 0) continue;
    if (header) {
      if (line.find("---") != std::string::npos) header = false;
      continue;
    }
    rows.push_back(cells_of(line));
  }
  return rows;
}

std::string as_table(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& r : rows) out += "| `" + r[0] + "` | " + r[1] + " | " + r[2] + " |\n";
  return out;
}

TEST(EngineDoc, EachWorkloadsTableIsWhatThePlanRuns) {
  const std::string doc = read_doc();
  ASSERT_FALSE(doc.empty()) << "docs/ENGINE.md is missing";
  const bool print = std::getenv("MNIST_PRINT_ENGINE_TABLES") != nullptr;
  for (const Workload& w : kWorkloads) {
    const auto want = rows_of(w);
    if (print) std::printf("### %s\n\n| step | forward | backward |\n|---|---|---|\n%s\n", w.heading, as_table(want).c_str());
    EXPECT_EQ(as_table(rows_in_doc(doc, w.heading)), as_table(want)) << "docs/ENGINE.md, \"" << w.heading << "\"";
  }
}

TEST(EngineDoc, NamesEveryKernelFileAndEveryKernelAPlanCanChoose) {
  const std::string doc = read_doc();
  for (const auto& entry : std::filesystem::directory_iterator(std::string(kTestSourceDir) + "/core/kernels")) {
    std::string name = entry.path().stem().string();
    for (const char* suffix : {"_simd128", "_scalar"}) {
      const auto at = name.rfind(suffix);
      if (at != std::string::npos && at + std::string(suffix).size() == name.size()) name.resize(at);
    }
    EXPECT_NE(doc.find("kernels/" + name), std::string::npos) << "docs/ENGINE.md does not name kernels/" << name;
  }
  for (int k = static_cast<int>(Kernel::none) + 1; k <= static_cast<int>(Kernel::identity); ++k) {
    const std::string name = kernel_name(static_cast<Kernel>(k));
    EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << "docs/ENGINE.md does not explain " << name;
  }
}

}  // namespace
}  // namespace mnist
