/* test_sim_cpu_bus.c - the bus (bus/bus.c) and a core (cpu/cpu.c) driven
 * alone through their interfaces, with no machine: what they reach outside
 * themselves comes from the fakes below (board services, the RESETS probe,
 * the XIP route, the core's environment), so a test sees exactly what they
 * ask of the board. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bus.h"
#include "cpu.h"
#include "log.h"

/* ---- a fake board: records what the bus and the core ask of it ---- */

static struct {
    int stopped;                /* STOP_* */
    char stop_msg[1024];
    int bad_accesses;
    int bad_master, bad_write, bad_size;
    uint32_t bad_addr;
    char bad_why[200];
} board;

static uint64_t fake_zero(void *b) { (void)b; return 0; }
static uint64_t fake_cycles_to_ps(void *b, uint64_t n) { (void)b; return n; }
static uint64_t fake_clk_hz(void *b, int clk) { (void)b; (void)clk; return 150000000u; }
static void fake_end_slice(void *b) { (void)b; }

static void fake_stop(void *b, int stop, int code, const char *msg)
{
    (void)b;
    (void)code;
    if (board.stopped) return;
    board.stopped = stop;
    snprintf(board.stop_msg, sizeof(board.stop_msg), "%s", msg);
}

static void fake_bad_access(void *b, int master, uint32_t addr, int is_write, int size,
                            const char *why)
{
    (void)b;
    board.bad_accesses++;
    board.bad_master = master;
    board.bad_addr = addr;
    board.bad_write = is_write;
    board.bad_size = size;
    snprintf(board.bad_why, sizeof(board.bad_why), "%s", why);
}

static const board_services fake_svc = {NULL, fake_zero, fake_zero, fake_cycles_to_ps,
                                        fake_clk_hz, fake_end_slice, fake_stop, fake_bad_access};

/* ---- the bus with one fake device where UART0 is ---- */

static uint8_t rom[0x8000], sram[0x1000];
static uint32_t held_mask;           /* RESETS.RESET as the probe reports it */
static struct {
    int calls;
    bus_access last;
    uint32_t last_value;
    uint32_t read_value;
    int result;                      /* BUS_* the handlers return */
} uart;
static struct {
    int reads, writes;
    uint32_t addr;
} xip;

static int uart_read(void *st, bus_access *a, uint32_t *v)
{
    (void)st;
    uart.calls++;
    uart.last = *a;
    *v = uart.read_value;
    return uart.result;
}

static int uart_write(void *st, bus_access *a, uint32_t v)
{
    (void)st;
    uart.calls++;
    uart.last = *a;
    uart.last_value = v;
    return uart.result;
}

static uint32_t probe_held(void *ctx, int n)
{
    (void)ctx;
    (void)n;
    return held_mask;
}

static int xip_read(void *ctx, int master, uint32_t addr, int size, uint32_t *v)
{
    (void)ctx;
    (void)master;
    (void)size;
    xip.reads++;
    xip.addr = addr;
    *v = 0x5A5A5A5Au;
    return 1;
}

static int xip_write(void *ctx, int master, uint32_t addr, int size, uint32_t v)
{
    (void)ctx;
    (void)master;
    (void)size;
    (void)v;
    xip.writes++;
    xip.addr = addr;
    return 1;
}

static uint32_t fake_access_pc(void *ctx, int core, uint32_t addr, int is_write, int size,
                               int *exact)
{
    (void)ctx;
    (void)core;
    (void)addr;
    (void)is_write;
    (void)size;
    *exact = 1;
    return 0x10000100u;
}

static sim_bus bus;
static sim_device uart_dev;

static int bus_alone_setup(void **state)
{
    (void)state;
    sim_log_set_level(SIM_LOG_QUIET);
    memset(&board, 0, sizeof(board));
    memset(&uart, 0, sizeof(uart));
    memset(&xip, 0, sizeof(xip));
    held_mask = 0;
    bus_init(&bus);
    bus.rom = (bus_memory){rom, 0x00000000u, sizeof(rom)};
    bus.sram = (bus_memory){sram, 0x20000000u, sizeof(sram)};
    bus.svc = &fake_svc;
    bus.xip = (bus_master_port){NULL, xip_read, xip_write};
    bus.access_pc = (bus_access_pc){NULL, fake_access_pc};
    probe_connect(&bus.held_in_reset, probe_held, NULL, 0);
    bus_dev_setup(&uart_dev, "UART0", 0x40070000u, 0x4000, 1, 26, &uart, uart_read, uart_write);
    bus_add_device(&bus, &uart_dev);
    return 0;
}

static int bus_alone_teardown(void **state)
{
    (void)state;
    bus_free(&bus);
    return 0;
}

static void bus_alone_decodes_aliases_and_narrow_accesses(void **state)
{
    (void)state;
    assert_true(bus_master_write(&bus, BUS_MASTER_CORE0, 0x40072024u, 4, 0x8001));   /* SET */
    assert_int_equal(uart.last.offset, 0x24);
    assert_int_equal(uart.last.alias, BUS_ALIAS_SET);
    assert_int_equal(uart.last.master, BUS_MASTER_CORE0);
    assert_int_equal(uart.last_value, 0x8001);
    assert_true(bus_master_write(&bus, BUS_MASTER_SIM, 0x40070025u, 1, 0xA5));
    assert_int_equal(uart.last.offset, 0x24);
    assert_int_equal(uart.last_value, 0xA5A5A5A5u);   /* replicated across the word */
    uart.read_value = 0x11223344u;
    uint32_t v = 0;
    assert_true(bus_master_read(&bus, BUS_MASTER_SIM, 0x40070019u, 1, &v));
    assert_int_equal(uart.last.offset, 0x18);
    assert_int_equal(v, 0x33);
    assert_int_equal(board.bad_accesses, 0);
}

static void bus_alone_block_held_in_reset_is_not_called(void **state)
{
    (void)state;
    held_mask = 1u << 26;
    uint32_t v = 0;
    assert_true(bus_master_read(&bus, BUS_MASTER_SIM, 0x40070018u, 4, &v));
    assert_int_equal(v, 0x90);   /* UARTFR's reset value (regtable) */
    assert_true(bus_master_write(&bus, BUS_MASTER_SIM, 0x40070024u, 4, 1));
    assert_int_equal(uart.calls, 0);
    held_mask = 1u << 25;        /* another block: UART0 answers again */
    assert_true(bus_master_read(&bus, BUS_MASTER_SIM, 0x40070018u, 4, &v));
    assert_int_equal(uart.calls, 1);
}

static void bus_alone_hole_is_a_bad_access(void **state)
{
    (void)state;
    uart.result = BUS_HOLE;
    uint32_t v = 0;
    assert_false(bus_master_read(&bus, BUS_MASTER_CORE1, 0x40070100u, 4, &v));
    assert_int_equal(board.bad_accesses, 1);
    assert_int_equal(board.bad_master, BUS_MASTER_CORE1);
    assert_int_equal(board.bad_addr, 0x40070100u);
    assert_int_equal(board.bad_write, 0);
    assert_string_equal(board.bad_why, "UART0: no register at offset 0x100");
    /* nothing at all there: the sim is stopped, the DMA only gets a bus error */
    assert_false(bus_master_write(&bus, BUS_MASTER_SIM, 0x40000000u, 4, 0));
    assert_int_equal(board.bad_accesses, 2);
    assert_int_equal(board.bad_write, 1);
    assert_false(bus_master_write(&bus, BUS_MASTER_DMA, 0x40000000u, 4, 0));
    assert_int_equal(board.bad_accesses, 2);
}

static void bus_alone_routes_memories_and_the_xip_space(void **state)
{
    (void)state;
    uint32_t v = 0;
    assert_true(bus_master_write(&bus, BUS_MASTER_DMA, 0x20000010u, 4, 0xCAFEF00Du));
    assert_int_equal(sram[0x10], 0x0D);
    assert_true(bus_master_read(&bus, BUS_MASTER_DMA, 0x20000012u, 2, &v));
    assert_int_equal(v, 0xCAFE);
    rom[0x104] = 0x42;
    assert_true(bus_master_read(&bus, BUS_MASTER_SIM, 0x104u, 1, &v));
    assert_int_equal(v, 0x42);
    assert_true(bus_master_read(&bus, BUS_MASTER_DMA, 0x10000004u, 4, &v));
    assert_int_equal(xip.reads, 1);
    assert_int_equal(xip.addr, 0x10000004u);
    assert_int_equal(v, 0x5A5A5A5Au);
    assert_true(bus_master_write(&bus, BUS_MASTER_DMA, 0x15000000u, 4, 0));
    assert_int_equal(xip.writes, 1);
    /* past the end of this bus's SRAM: nothing there */
    assert_false(bus_master_read(&bus, BUS_MASTER_SIM, 0x20001000u, 4, &v));
    assert_int_equal(board.bad_accesses, 1);
    assert_string_equal(board.bad_why, "SRAM");
}

/* ---- a core with a fake environment ---- */

static timing_cache tcache;
static profiler prof;                  /* off */
static xip_cache xcache;
static uint32_t xip_ctrl;              /* the cache is off */
static uint32_t cpacr;             /* the PPB's CPACR of the core */
static int sev_edges;

static uint32_t no_wait(void *ctx, int core, uint32_t line, uint64_t now)
{
    (void)ctx;
    (void)core;
    (void)line;
    (void)now;
    return 0;
}

static uint32_t no_read_wait(void *ctx, int core, uint32_t addr, int size, uint64_t now)
{
    (void)ctx;
    (void)core;
    (void)addr;
    (void)size;
    (void)now;
    return 0;
}

static int not_handled(void *ctx, int core, uint32_t addr, int size, uint64_t value)
{
    (void)ctx;
    (void)core;
    (void)addr;
    (void)size;
    (void)value;
    return 0;
}

static int no_remap(void *ctx) { (void)ctx; return 0; }
static void remap(void *ctx) { (void)ctx; }

static int window_unmapped(void *ctx, int core, uint32_t addr)
{
    (void)ctx;
    (void)core;
    (void)addr;
    return 0;
}

static int map_nothing(void *ctx, int core) { (void)ctx; (void)core; return 1; }
static const char *no_xip_reason(void *ctx, uint32_t addr) { (void)ctx; (void)addr; return NULL; }

static void count_sev(void *ctx, int n, uint32_t value)
{
    (void)ctx;
    (void)n;
    if (value) sev_edges++;
}

static sim_core core;

static int core_alone_setup(void **state)
{
    bus_alone_setup(state);
    timing_cache_init(&tcache);
    memset(&prof, 0, sizeof(prof));
    memset(&xcache, 0, sizeof(xcache));
    cpacr = 0;
    sev_edges = 0;
    core_env env = {
        .svc = &fake_svc,
        .stopped = &board.stopped,
        .bus = &bus,
        .tcache = &tcache,
        .prof = &prof,
        .xip = {NULL, &xip_ctrl, &xcache, no_wait, no_read_wait, not_handled, no_remap, remap,
                window_unmapped, map_nothing, no_xip_reason},
        .ppb = {&cpacr},
        .rom = {NULL, 0, 0, NULL},
    };
    if (!core_init(&core, 0, &env) || !core_map_fixed(&core)) return -1;
    signal_connect(&core.sev, count_sev, NULL, 0);
    return 0;
}

static int core_alone_teardown(void **state)
{
    core_free(&core);
    timing_cache_free(&tcache);
    return bus_alone_teardown(state);
}

/* the program (Thumb halfwords) at the start of SRAM, the core on it */
static void load(const uint16_t *code, size_t n)
{
    memcpy(sram, code, n * sizeof(code[0]));
    core_flush_code(&core, 0x20000000u, sizeof(sram));
    core_reset(&core);
    core_set_reg(&core, UC_ARM_REG_SP, 0x20001000u);
    core_set_reg(&core, UC_ARM_REG_PC, 0x20000001u);   /* a Thumb address, as a vector holds */
}

static void core_alone_sev_is_a_signal(void **state)
{
    (void)state;
    const uint16_t prog[] = {0xBF40, 0xE7FE};   /* sev; b . */
    load(prog, 2);
    assert_int_equal(core_run_slice(&core, 100), 0);
    assert_int_equal(sev_edges, 1);
    assert_true(core.cycles >= 100);
    assert_int_equal(board.stopped, STOP_NONE);
}

static void core_alone_fpu_needs_cpacr_cp10(void **state)
{
    (void)state;
    const uint16_t prog[] = {0xEE00, 0x0A10, 0xE7FE};   /* vmov s0, r0; b . */
    cpacr = 0x00C00000u;   /* CP11 full access, CP10 none */
    load(prog, 3);
    /* NOCP, and a core without an NVIC cannot take it: a lockup, with the
     * report the board prints when it stops the run */
    core_run_slice(&core, 100);
    assert_true(core.halted_forever);
    assert_string_equal(core.fault_report,
                        "HardFault: PC=0x20000000 UsageFault NOCP: floating-point instruction on "
                        "core 0 while CPACR.CP10 does not grant access (CPACR=0x00c00000; each "
                        "core must enable CP10/CP11 before using the FPU)");
    /* granted: it runs */
    board.stopped = STOP_NONE;
    cpacr = 0x00F00000u;   /* CP10 and CP11 full access, as the SDK sets it */
    load(prog, 3);
    assert_int_equal(core_run_slice(&core, 100), 0);
    assert_int_equal(board.stopped, STOP_NONE);
}

static void core_alone_bad_access_names_what_the_bus_has(void **state)
{
    (void)state;
    /* ldr r0, [r1]; b .  with r1 in the APB space where nothing is mapped */
    const uint16_t prog[] = {0x6808, 0xE7FE};
    load(prog, 2);
    core.strict_access = 1;   /* --strict-access: the run stops at the access */
    core_set_reg(&core, UC_ARM_REG_R1, 0x40000000u);
    assert_int_equal(core_run_slice(&core, 100), -1);
    assert_int_equal(board.stopped, STOP_FAULT);
    assert_string_equal(board.stop_msg, "bad access: PC=0x20000000 addr=0x40000000 (read: APB "
                                        "peripheral space: no peripheral at this address)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bus_alone_decodes_aliases_and_narrow_accesses,
                                        bus_alone_setup, bus_alone_teardown),
        cmocka_unit_test_setup_teardown(bus_alone_block_held_in_reset_is_not_called,
                                        bus_alone_setup, bus_alone_teardown),
        cmocka_unit_test_setup_teardown(bus_alone_hole_is_a_bad_access, bus_alone_setup,
                                        bus_alone_teardown),
        cmocka_unit_test_setup_teardown(bus_alone_routes_memories_and_the_xip_space,
                                        bus_alone_setup, bus_alone_teardown),
        cmocka_unit_test_setup_teardown(core_alone_sev_is_a_signal, core_alone_setup,
                                        core_alone_teardown),
        cmocka_unit_test_setup_teardown(core_alone_fpu_needs_cpacr_cp10,
                                        core_alone_setup, core_alone_teardown),
        cmocka_unit_test_setup_teardown(core_alone_bad_access_names_what_the_bus_has,
                                        core_alone_setup, core_alone_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
