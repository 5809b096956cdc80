/* Compiles retort.h as plain C11 with the package, so a header that is not valid C fails the
 * build here rather than in a plugin author's hands. Also pins the published struct sizes. */
#include "retort/retort.h"

_Static_assert(sizeof(retort_version) == 8, "retort_version is a published struct");
_Static_assert(RETORT_ABI_MAJOR == 1, "changing the major ABI needs a host and doc change");
