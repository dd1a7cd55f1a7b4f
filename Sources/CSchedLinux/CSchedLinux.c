#include "CSchedLinux.h"
