/* otp.h - the OTP rows the firmware reads (SDK regs/addressmap.h,
 * regs/otp_data.h): CHIPID0..3, a 64-bit random device identifier, read
 * 16 bits per row through the ECC-corrected data window. */
#ifndef PICOLLAMA_FW_REGS_OTP_H
#define PICOLLAMA_FW_REGS_OTP_H

#include "reg.h"

#define OTP_DATA_BASE 0x40130000u
#define OTP_DATA_CHIPID0_ROW 0u /* rows 0..3, bits 15:0 each */

static inline uint16_t otp_read_row(uint32_t row)
{
    return *(const volatile uint16_t *)(OTP_DATA_BASE + 2u * row);
}

#endif
