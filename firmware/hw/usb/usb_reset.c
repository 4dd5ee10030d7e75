/* usb_reset.c - the reset interface, its Microsoft OS 2.0 descriptors and
 * the reboots it asks for (see usb_reset.h). Facts: SDK pico_stdio_usb
 * reset_interface.c (requests, wValue, descriptor set), TinyUSB usbd.h (the
 * BOS platform capability), picotool main.cpp reboot_device (what a host
 * sends). */
#include "usb_reset.h"

#include "../bootrom.h"
#include "../regs/bootrom.h"
#include "usb_dcd.h"
#include "usb_device.h"

#define LE16(v) (uint8_t)((v) & 0xFF), (uint8_t)(((v) >> 8) & 0xFF)
#define LE32(v) LE16((v) & 0xFFFF), LE16(((v) >> 16) & 0xFFFF)

/* the bRequest a host uses to fetch the descriptor set (the SDK's: 1) */
#define MS_OS_20_VENDOR_CODE 0x01
#define MS_OS_20_WINDOWS_8_1 0x06030000u
#define MS_OS_20_SET_LEN 166
#define MS_OS_20_FUNCTION_SUBSET_LEN (MS_OS_20_SET_LEN - 10)
#define BOS_LEN (5 + 28)

static const uint8_t bos_descriptor[BOS_LEN] = {
    5, USB_DT_BOS, LE16(BOS_LEN), 1,
    /* platform capability: the Microsoft OS 2.0 UUID
     * {D8DD60DF-4589-4CC7-9CD2-659D9E648A9F}, the Windows version, the
     * descriptor set's length, its vendor code, no alternate enumeration */
    28, USB_DT_DEVICE_CAPABILITY, USB_DEVICE_CAPABILITY_PLATFORM, 0,
    0xDF, 0x60, 0xDD, 0xD8, 0x89, 0x45, 0xC7, 0x4C, 0x9C, 0xD2, 0x65, 0x9D, 0x9E, 0x64, 0x8A, 0x9F,
    LE32(MS_OS_20_WINDOWS_8_1), LE16(MS_OS_20_SET_LEN), MS_OS_20_VENDOR_CODE, 0,
};

#define U16CHAR(c) (c), 0
/* For the reset interface only: WinUSB as its driver, and the interface
 * GUID picotool's Windows build looks for. */
static const uint8_t ms_os_20_set[MS_OS_20_SET_LEN] = {
    LE16(10), LE16(MS_OS_20_SET_HEADER_DESCRIPTOR), LE32(MS_OS_20_WINDOWS_8_1), LE16(MS_OS_20_SET_LEN),
    LE16(8), LE16(MS_OS_20_SUBSET_HEADER_FUNCTION), USB_RESET_INTERFACE_NUMBER, 0,
    LE16(MS_OS_20_FUNCTION_SUBSET_LEN),
    LE16(20), LE16(MS_OS_20_FEATURE_COMPATIBLE_ID), 'W', 'I', 'N', 'U', 'S', 'B', 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, /* sub-compatible ID */
    LE16(128), LE16(MS_OS_20_FEATURE_REG_PROPERTY),
    LE16(1), LE16(40), /* REG_SZ; the name's length in bytes */
    U16CHAR('D'), U16CHAR('e'), U16CHAR('v'), U16CHAR('i'), U16CHAR('c'), U16CHAR('e'),
    U16CHAR('I'), U16CHAR('n'), U16CHAR('t'), U16CHAR('e'), U16CHAR('r'), U16CHAR('f'),
    U16CHAR('a'), U16CHAR('c'), U16CHAR('e'), U16CHAR('G'), U16CHAR('U'), U16CHAR('I'),
    U16CHAR('D'), U16CHAR(0),
    LE16(78), /* the value's length in bytes: 38 characters and the NUL */
    U16CHAR('{'), U16CHAR('b'), U16CHAR('c'), U16CHAR('7'), U16CHAR('3'), U16CHAR('9'),
    U16CHAR('8'), U16CHAR('c'), U16CHAR('1'), U16CHAR('-'), U16CHAR('7'), U16CHAR('3'),
    U16CHAR('c'), U16CHAR('d'), U16CHAR('-'), U16CHAR('4'), U16CHAR('c'), U16CHAR('b'),
    U16CHAR('7'), U16CHAR('-'), U16CHAR('9'), U16CHAR('8'), U16CHAR('b'), U16CHAR('8'),
    U16CHAR('-'), U16CHAR('9'), U16CHAR('1'), U16CHAR('3'), U16CHAR('a'), U16CHAR('8'),
    U16CHAR('f'), U16CHAR('c'), U16CHAR('a'), U16CHAR('7'), U16CHAR('b'), U16CHAR('f'),
    U16CHAR('6'), U16CHAR('}'), U16CHAR(0),
};
_Static_assert(sizeof(ms_os_20_set) == MS_OS_20_SET_LEN, "descriptor set length");

typedef enum { REBOOT_NONE, REBOOT_BOOTSEL, REBOOT_FLASH } reboot_kind;

static struct {
    reboot_kind kind;
    uint32_t flags, gpio;
} pending;

const uint8_t *usb_reset_bos_descriptor(void) { return bos_descriptor; }

void usb_reset_schedule_bootsel(uint32_t flags, uint32_t activity_gpio)
{
    pending.kind = REBOOT_BOOTSEL;
    pending.flags = flags;
    pending.gpio = activity_gpio;
}

#if PICOLLAMA_USB_RESET_INTERFACE
/* The request's wValue, as picotool encodes it (main.cpp reboot_device):
 * bits 0-6 the boot drive's interfaces to leave out (1: the mass-storage
 * drive, which `load -f` asks for), bit 7 the LED is active low, bit 8 an
 * LED is given, bits 9-15 its GPIO. (The SDK reads active-low from bit 9,
 * the GPIO's lowest bit; picotool's bit 7 is what a host sends.) */
static void bootsel_request(uint16_t value)
{
    uint32_t flags = value & (BOOTSEL_FLAG_DISABLE_MSD_INTERFACE |
                              BOOTSEL_FLAG_DISABLE_PICOBOOT_INTERFACE);
    uint32_t gpio = 0;
    if (value & 0x100u) {
        flags |= BOOTSEL_FLAG_GPIO_PIN_SPECIFIED;
        if (value & 0x80u) flags |= BOOTSEL_FLAG_GPIO_PIN_ACTIVE_LOW;
        gpio = value >> 9;
    }
    usb_reset_schedule_bootsel(flags, gpio);
}
#endif

bool usb_reset_request(const usb_setup_packet *s)
{
#if PICOLLAMA_USB_RESET_INTERFACE
    uint8_t type = s->bmRequestType & USB_REQ_TYPE_MASK;
    uint8_t recipient = s->bmRequestType & USB_REQ_RECIPIENT_MASK;
    if (type == USB_REQ_TYPE_VENDOR && recipient == USB_REQ_RECIPIENT_DEVICE &&
        s->bRequest == MS_OS_20_VENDOR_CODE && s->wIndex == MS_OS_20_DESCRIPTOR_INDEX &&
        (s->bmRequestType & USB_DIR_IN)) {
        usb_control_send(ms_os_20_set, sizeof(ms_os_20_set));
        return true;
    }
    /* picotool sends class requests; TinyUSB hands the SDK's interface
     * vendor ones too */
    if (recipient != USB_REQ_RECIPIENT_INTERFACE || s->wIndex != USB_RESET_INTERFACE_NUMBER ||
        (type != USB_REQ_TYPE_CLASS && type != USB_REQ_TYPE_VENDOR))
        return false;
    if (s->bRequest == USB_RESET_REQUEST_BOOTSEL) bootsel_request(s->wValue);
    else if (s->bRequest == USB_RESET_REQUEST_FLASH) pending.kind = REBOOT_FLASH;
    else return false;
    usb_control_ack();
    return true;
#else
    (void)s;
    return false;
#endif
}

/* The host has the answer once EP0 has nothing in flight (the status
 * stage went, or a bus reset dropped it). */
void usb_reset_poll(void)
{
    if (pending.kind == REBOOT_NONE || usb_dcd_ep_busy(0x80)) return;
    if (pending.kind == REBOOT_FLASH) rom_reboot();
    rom_reboot_to_bootsel_with(pending.flags, pending.gpio);
}
