/* info.c - what the firmware found at boot, printed as the banner. */
#include "info.h"

#include "../hw/clocks.h"
#include "console.h"
#include "llm.h"
#include "selftest.h"

#ifndef PICOLLAMA_USB_RESET_INTERFACE
#define PICOLLAMA_USB_RESET_INTERFACE 1
#endif
#ifndef PICOLLAMA_USB_BAUD_TOUCH
#define PICOLLAMA_USB_BAUD_TOUCH 1
#endif

static const flash_info *flash;
static const psram_info *psram;
static const char *chip;

void info_set(const flash_info *f, const psram_info *p, const char *chip_id)
{
    flash = f;
    psram = p;
    chip = chip_id;
}

/* "8 MB APS6404L (EID 0x26)"; an EID whose density code is not decoded
 * is said so, with the size the firmware found by probing */
static void print_psram_part(void)
{
    if (psram->eid_known)
        console_printf("%u MB APS6404L (EID 0x%02x)", (unsigned)(psram->size_bytes >> 20),
                       psram->eid);
    else
        console_printf("%u MB (unknown EID 0x%02x: size found by probing)",
                       (unsigned)(psram->size_bytes >> 20), psram->eid);
}

static void print_psram(void)
{
    if (!psram->present) {
        console_printf("psram: none found on QMI CS1 (GPIO47): Read ID gave KGD 0x%02x\n",
                       psram->kgd);
        return;
    }
    console_puts("psram: ");
    print_psram_part();
    if (!psram->test_passed) {
        console_printf(" FAILED the memory test at offset 0x%x; not used\n",
                       (unsigned)psram->test_fail_offset);
    } else {
        console_printf(" at %u MHz QPI, memory test passed: write %.1f MB/s, read %.1f MB/s\n",
                       (unsigned)(psram->sck_hz / 1000000), psram->write_kbps / 1024.0,
                       psram->read_kbps / 1024.0);
    }
}

/* the reboot paths a host may use, as built (PICOLLAMA_USB_RESET_INTERFACE,
 * PICOLLAMA_USB_BAUD_TOUCH) */
static void print_usb(void)
{
    console_printf("usb: serial console; %s; %s\n",
                   PICOLLAMA_USB_RESET_INTERFACE
                       ? "reset interface on (picotool reboot -f, load -f)"
                       : "reset interface off",
                   PICOLLAMA_USB_BAUD_TOUCH ? "1200-baud touch on (reboots into BOOTSEL)"
                                            : "1200-baud touch off");
}

void info_print(void)
{
    console_printf("board: %s, chip ID %s\n",
                   psram->present ? "Pimoroni Pico Plus 2 W (RP2350 + PSRAM)"
                                  : "RP2350 board without PSRAM (e.g. Raspberry Pi Pico 2)",
                   chip);
    console_printf("clocks: clk_sys %u MHz, clk_peri %u MHz, clk_usb %u MHz\n",
                   (unsigned)(clock_sys_hz() / 1000000), (unsigned)(clock_peri_hz() / 1000000),
                   (unsigned)(USB_CLK_HZ / 1000000));
    print_usb();
    console_printf("flash: %u MB (JEDEC %02x %02x %02x), %s at %u MHz\n",
                   (unsigned)(flash->size_bytes >> 20), flash->jedec[0], flash->jedec[1],
                   flash->jedec[2], flash->fast_xip ? "quad XIP" : "XIP as the boot ROM left it",
                   (unsigned)(flash->sck_hz / 1000000));
    print_psram();
    console_printf("%s\n", selftest_status());
    console_printf("model: %s\n", llm_status());
    llm_print_memory_map();
}
