/* machine_compat_xip.h - TRANSITIONAL (issue 15, item 2): the QMI, XIP,
 * XIP cache and boot ROM models now take their own state, not the machine;
 * the files not yet converted (cpu/cpu.c, cpu/profile.c, bus/bus.c,
 * devices/dev_dma.c, dev_gpio.c, dev_sio.c, tests/sim/test_sim_units.c)
 * still pass the machine. These macros map those calls onto the new
 * functions with the machine's instances, exactly as before (a macro does
 * not expand inside its own replacement). Included by machine.h only;
 * machine.c opts out (SIM_NO_XIP_COMPAT). Delete once no file includes
 * machine.h to call them. */
#ifndef SIM_MACHINE_COMPAT_XIP_H
#define SIM_MACHINE_COMPAT_XIP_H

#define xip_bus_read(m, ...) xip_bus_read(&((machine *)(m))->xip, __VA_ARGS__)
#define xip_bus_write(m, ...) xip_bus_write(&((machine *)(m))->xip, __VA_ARGS__)
#define xip_prot_write(m, ...) xip_prot_write(&((machine *)(m))->xip, __VA_ARGS__)
#define xip_remap(m) machine_remap_xip(m)
#define xip_window_mapped(m, ...) xip_window_mapped(&((machine *)(m))->xip, __VA_ARGS__)
#define xip_map_fixed(m, core) xip_map_fixed(&((machine *)(m))->xip, core)
#define xip_describe_fault(m, addr)                                                        \
    xip_describe_fault(&((machine *)(m))->xip,                                              \
                       ((machine *)(m))->cur_core >= 0 ? ((machine *)(m))->cur_core : 0, addr)
#define xip_stream_ready(m, t) xip_stream_ready(&((machine *)(m))->xip, t)
#define xip_stream_due(m) xip_stream_due(&((machine *)(m))->xip)
#define xip_request_remap(m) xip_request_remap(&((machine *)(m))->xip)
#define xc_fetch(m, ...) xc_fetch(&((machine *)(m))->xc, __VA_ARGS__)
#define xc_read(m, ...) xc_read(&((machine *)(m))->xc, __VA_ARGS__)
#define xc_write(m, ...) xc_write(&((machine *)(m))->xc, __VA_ARGS__)
#define xc_stats_reset(m) xc_stats_reset(&((machine *)(m))->xc)
#define xc_transfer_cycles(m, ...) xc_transfer_cycles(&((machine *)(m))->xc, __VA_ARGS__)
#define bootrom_stub(m, c, addr) bootrom_stub(&((machine *)(m))->bootrom, (c)->id, addr)
#define bootrom_core1_poll(m) bootrom_core1_poll(&((machine *)(m))->bootrom)

#endif
