/* main.c - Pico LLaMA firmware: boot the board, then serve the console.
 *
 * Boot order: clocks (everything else needs them), UART console, flash XIP,
 * PSRAM and its memory test, the model; only then does USB connect, so the
 * host never waits on a device busy with slow boot steps. Then the main
 * loop: each new USB terminal session (DTR) gets the banner and a story;
 * typed lines go to the shell; the user button starts a new story. Both
 * start with an empty line: a half-typed one is forgotten.
 */
#include <stdbool.h>
#include <stdint.h>

#include "../hw/chipid.h"
#include "../hw/clocks.h"
#include "../hw/flash.h"
#include "../hw/psram.h"
#include "button.h"
#include "console.h"
#include "info.h"
#include "llm.h"
#include "memory.h"
#include "selftest.h"
#include "shell.h"
#include "version.h"

#ifndef PICOLLAMA_USB_VID
#define PICOLLAMA_USB_VID 0x2E8A /* Raspberry Pi */
#endif
#ifndef PICOLLAMA_USB_PID
#define PICOLLAMA_USB_PID 0x0009 /* the Pico SDK's USB serial console on RP2350 */
#endif

static flash_info flash;
static psram_info psram;
static char chip_id[17];

static void banner(void)
{
    console_puts("\nPico LLaMA " VERSION ": Llama-2 stories on the RP2350\n");
    info_print();
    console_puts("type /help for commands\n\n");
}

static void boot(void)
{
    clocks_init();
    chipid_string(chip_id);
    console_init(PICOLLAMA_USB_VID, PICOLLAMA_USB_PID, chip_id);
    console_puts("\nPico LLaMA " VERSION " booting\n");
    flash_init(&flash);
    memory_init();
    psram_init(&psram);
    if (psram.present) {
        console_printf("psram: testing %u MB...\n", (unsigned)(psram.size_bytes >> 20));
        psram_test(&psram);
        if (psram.test_passed) memory_add_psram(psram.size_bytes);
    }
    selftest_run();
    console_printf("%s\n", selftest_status());
    console_puts("model: checking the flash slot...\n");
    llm_init(flash.size_bytes);
    info_set(&flash, &psram, chip_id);
    button_init();
    console_connect_usb();
    banner(); /* for UART users; USB sessions get their own */
    shell_init(time_us() ^ 0x9E3779B97F4A7C15ull);
    shell_prompt();
}

int main(void)
{
    boot();
    uint32_t sessions = 0;
    for (;;) {
        console_poll();
        uint32_t s = console_usb_sessions();
        if (s != sessions) { /* a terminal opened the port */
            sessions = s;
            shell_clear_line();
            banner();
            shell_story();
            shell_prompt();
        }
        int c = console_getc();
        if (c >= 0) shell_feed((char)c);
        button_sample();
        if (button_take_press()) {
            console_puts("\n");
            shell_clear_line();
            shell_story();
            shell_prompt();
        }
    }
}
