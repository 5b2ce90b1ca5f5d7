#include "test_paths.h"

const char* const kTestSourceDir = MNIST_SOURCE_DIR;
const char* const kTestMnistDataDir = MNIST_DATA_DIR;
const char* const kTestModelsDir = MNIST_MODELS_DIR;
