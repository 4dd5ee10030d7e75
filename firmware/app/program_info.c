/* program_info.c - what `picotool info -a` shows for pico_llama.uf2 or a
 * board running it: name, version, description, web site, features (the
 * consoles, the reboot paths built in, the models embedded), the fixed
 * pins, board, build date and type. The build writes build_info.h
 * (firmware/cmake/build_info.cmake): git describe, the build type and the
 * model images embedded. Entry layouts: boot/binary_info.h. */
#include "../boot/binary_info.h"
#include "../hw/pins.h"
#include "../hw/regs/io_bank0.h"
#include "build_info.h"
#include "version.h"

/* our own tag for the group of embedded models ('P','L'; the group ID is
 * an arbitrary number, as the SDK asks for its users' groups) */
#define TAG_PICO_LLAMA BINARY_INFO_MAKE_TAG('P', 'L')
#define GROUP_ID_MODELS 0x4d6f646cu

#define RP_STRING(name, id, text)                                                                  \
    static const bi_id_and_string name = {{BINARY_INFO_TYPE_ID_AND_STRING, BINARY_INFO_TAG_RASPBERRY_PI}, \
                                          (id), (text)};                                           \
    BI_DECLARE(name)

#define FEATURE(name, text) RP_STRING(name, BINARY_INFO_ID_RP_PROGRAM_FEATURE, text)

RP_STRING(program_name, BINARY_INFO_ID_RP_PROGRAM_NAME, "pico_llama");
RP_STRING(program_version, BINARY_INFO_ID_RP_PROGRAM_VERSION_STRING,
          VERSION " (git " PICOLLAMA_GIT_DESCRIBE ")");
RP_STRING(program_description, BINARY_INFO_ID_RP_PROGRAM_DESCRIPTION,
          "Llama-2 inference (llama2.c models) telling stories over USB serial");
RP_STRING(program_url, BINARY_INFO_ID_RP_PROGRAM_URL, PICOLLAMA_PROGRAM_URL);
/* as the SDK does (pico_standard_binary_info): the compiler's date */
RP_STRING(program_build_date, BINARY_INFO_ID_RP_PROGRAM_BUILD_DATE_STRING, __DATE__);
RP_STRING(program_build_type, BINARY_INFO_ID_RP_PROGRAM_BUILD_ATTRIBUTE, PICOLLAMA_BUILD_TYPE);
RP_STRING(pico_board, BINARY_INFO_ID_RP_PICO_BOARD, "pimoroni_pico_plus2_w_rp2350");

FEATURE(feature_usb_console, "USB CDC console");
FEATURE(feature_uart_console, "UART console (UART0, 115200 8N1)");
#if PICOLLAMA_USB_RESET_INTERFACE
FEATURE(feature_reset_interface, "USB reset interface (picotool reboot -f, load -f)");
#endif
#if PICOLLAMA_USB_BAUD_TOUCH
FEATURE(feature_baud_touch, "1200-baud touch reboots into BOOTSEL");
#endif

/* the flash end of the image (the code and the .data copied to SRAM) */
extern const uint8_t __flash_end[];
static const bi_id_and_int binary_end = {
    {BINARY_INFO_TYPE_ID_AND_INT, BINARY_INFO_TAG_RASPBERRY_PI}, BINARY_INFO_ID_RP_BINARY_END,
    (int32_t)__flash_end};
BI_DECLARE(binary_end);

static const bi_named_group models_group = {
    {BINARY_INFO_TYPE_NAMED_GROUP, BINARY_INFO_TAG_RASPBERRY_PI}, BINARY_INFO_ID_RP_PROGRAM_FEATURE,
    0, TAG_PICO_LLAMA, GROUP_ID_MODELS, "embedded models"};
BI_DECLARE(models_group);
#define MODEL(n, text)                                                                             \
    static const bi_id_and_string model_##n = {{BINARY_INFO_TYPE_ID_AND_STRING, TAG_PICO_LLAMA},   \
                                               GROUP_ID_MODELS, (text)};                           \
    BI_DECLARE(model_##n);
PICOLLAMA_EMBEDDED_MODELS(MODEL)

/* pins: bits 0-2 the encoding, 3-7 the function, then one byte per pin,
 * the last one repeated to end a short list */
#define PINS2_WITH_FUNC(p0, p1, func)                                                              \
    (BI_PINS_ENCODING_MULTI | (uint64_t)(func) << 3 | (uint64_t)(p0) << 8 | (uint64_t)(p1) << 16 | \
     (uint64_t)(p1) << 24)
#define PIN1_WITH_FUNC(p0, func)                                                                   \
    (BI_PINS_ENCODING_MULTI | (uint64_t)(func) << 3 | (uint64_t)(p0) << 8 | (uint64_t)(p0) << 16)

static const bi_pins64_with_func uart_pins = {
    {BINARY_INFO_TYPE_PINS64_WITH_FUNC, BINARY_INFO_TAG_RASPBERRY_PI},
    PINS2_WITH_FUNC(UART0_TX_PIN, UART0_RX_PIN, GPIO_FUNC_UART)};
BI_DECLARE(uart_pins);
static const bi_pins64_with_func psram_cs_function = {
    {BINARY_INFO_TYPE_PINS64_WITH_FUNC, BINARY_INFO_TAG_RASPBERRY_PI},
    PIN1_WITH_FUNC(PSRAM_CS_PIN, GPIO_FUNC_XIP_CS1)};
BI_DECLARE(psram_cs_function);
static const bi_pins64_with_name named_pins = {
    {BINARY_INFO_TYPE_PINS64_WITH_NAME, BINARY_INFO_TAG_RASPBERRY_PI},
    1ull << USER_BUTTON_PIN | 1ull << PSRAM_CS_PIN, "User button (new story)|PSRAM CS"};
BI_DECLARE(named_pins);
