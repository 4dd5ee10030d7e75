/* uc_memcache.c - a lookup cache in front of Unicorn's memory_mapping()
 * (Unicorn trick, like uc_workaround.c).
 *
 * Why: every access that leaves Unicorn's TLB fast path - every store on
 * Unicorn 2.0.x (see uc_workaround.c), every load from an XIP page the cache
 * model watches (uc_xipwatch.c), every MMIO access - first calls
 * memory_mapping(uc, addr) to find the mapped region (uc.c). That is a
 * binary search over the ~70 regions of the virtual board (a one-entry
 * cache in front of it is never updated by the lookups), and it was the
 * simulator's single most expensive function on the firmware's /bench
 * (12% of the time).
 *
 * How: libunicorn calls memory_mapping between its own source files through
 * its PLT (`memory_mapping@plt` in load_helper/store_helper), so the
 * definition below, exported by the executable, takes its place. It keeps
 * a direct-mapped cache of (engine, 4 KB page) -> region and asks the
 * library's own function (dlsym RTLD_NEXT) on a miss. Every Unicorn mapping
 * is 4 KB aligned (uc_mem_map requires it; MMIO devices are rounded up to
 * 4 KB, cpu.c), so a page never holds two regions and the cached answer is
 * exact while the mappings stay as they are. The virtual board changes its
 * mappings only through cpu.c and dev_xip.c, which call
 * core_memory_changed() after every uc_mem_map*, uc_mmio_map, uc_mem_unmap
 * and uc_close; that empties the cache. "Not mapped" is never cached.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct uc_struct;
struct MemoryRegion;
typedef struct MemoryRegion *(*mapping_fn)(struct uc_struct *, uint64_t);

struct MemoryRegion *memory_mapping(struct uc_struct *uc, uint64_t address);

#define MEMCACHE_BITS 12

static struct {
    struct uc_struct *uc;
    uint64_t page;
    struct MemoryRegion *mr;
} cache[1u << MEMCACHE_BITS];

static mapping_fn real_mapping;

void sim_memcache_flush(void);
void sim_memcache_flush(void) { memset(cache, 0, sizeof(cache)); }

struct MemoryRegion *memory_mapping(struct uc_struct *uc, uint64_t address)
{
    uint64_t page = address >> 12;
    unsigned i = (unsigned)(page ^ ((uintptr_t)uc >> 6)) & ((1u << MEMCACHE_BITS) - 1);
    if (cache[i].uc == uc && cache[i].page == page && cache[i].mr) return cache[i].mr;
    if (!real_mapping) {
        real_mapping = (mapping_fn)dlsym(RTLD_NEXT, "memory_mapping");
        if (!real_mapping) {
            fprintf(stderr, "sim: internal: libunicorn's memory_mapping not found (uc_memcache.c)\n");
            abort();
        }
    }
    struct MemoryRegion *mr = real_mapping(uc, address);
    if (mr) {
        cache[i].uc = uc;
        cache[i].page = page;
        cache[i].mr = mr;
    }
    return mr;
}
