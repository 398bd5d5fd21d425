#pragma once

#include <vector>

#include "collectors/exposition_writer.h"
#include "collectors/snapshot.h"

namespace dce {

/// Appends the host's metric families: `docker_compliance_host_check_passed`,
/// `docker_compliance_host_check_waived` and the host facts. Disabled host
/// checks have no sample. Families are empty, not absent, while the host
/// collector is off, so that the set of names stays the same. The sources
/// refer to `snapshot`, which must outlive them.
void AppendHostFamilies(const Snapshot& snapshot,
                        std::vector<FamilySource>& families);

}  // namespace dce
