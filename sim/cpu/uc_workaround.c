/* uc_workaround.c - speeds up guest stores on Unicorn 2.0.x.
 *
 * Why: in Unicorn 2.0.x every store to RAM takes QEMU's "not dirty" slow
 * path (the dirty-memory bitmap is stubbed out, so TLB entries never become
 * writable fast-path entries), and that path calls page_collection_lock(),
 * which builds and frees a GTree on every single store. Unicorn's page locks
 * are no-ops, so the collection has no effect beyond the allocations; upstream
 * made both functions empty in 2.1.0 (commit 75d26b77 "Ignore
 * page_collection_lock", PR #1838). Unicorn calls them between its own source
 * files through the PLT, so the definitions below, exported by the
 * executable, take their place: the same change as upstream, applied to the
 * Debian 2.0.1 library. It roughly doubles the speed of store-heavy guest
 * code (inference). Only the ARM target's symbols are replaced, and the file
 * is only built against Unicorn < 2.1 (sim/CMakeLists.txt).
 *
 * The remaining cost of a store in 2.0.x (the slow-path helper and the
 * per-page translated-code check) stays; it is fixed upstream in 2.1.0 by
 * commit d0103576, which cannot be applied from outside the library. */
#include <stdint.h>

struct uc_struct;
struct page_collection;

/* the signatures of qemu/accel/tcg/translate-all.h, ARM target */
struct page_collection *page_collection_lock_arm(struct uc_struct *uc, uint64_t start,
                                                 uint64_t end);
void page_collection_unlock_arm(struct page_collection *set);

struct page_collection *page_collection_lock_arm(struct uc_struct *uc, uint64_t start,
                                                 uint64_t end)
{
    (void)uc;
    (void)start;
    (void)end;
    return 0;   /* nothing is locked: Unicorn runs one vCPU per engine */
}

void page_collection_unlock_arm(struct page_collection *set)
{
    (void)set;
}
