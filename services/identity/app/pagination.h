#pragma once

#include "platform/paging/paging.h"
