#include "collectors/api_version.h"

#include <gtest/gtest.h>
