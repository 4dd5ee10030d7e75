/* chipid.c - CHIPID0..3 from OTP (SDK regs/otp_data.h), most significant
 * row first; the package from SYSINFO. */
#include "chipid.h"

#include "regs/otp.h"
#include "regs/resets.h"
#include "regs/sysinfo.h"
#include "resets.h"

void chipid_string(char out[17])
{
    static const char hex[] = "0123456789ABCDEF";
    for (int row = 3, k = 0; row >= 0; row--) {
        uint16_t v = otp_read_row(OTP_DATA_CHIPID0_ROW + (uint32_t)row);
        for (int shift = 12; shift >= 0; shift -= 4) out[k++] = hex[(v >> shift) & 15];
    }
    out[16] = '\0';
}

bool chip_is_rp2350b(void)
{
    unreset_block_wait(RESETS_RESET_SYSINFO);
    return (sysinfo_hw->package_sel & SYSINFO_PACKAGE_SEL_QFN60) == 0;
}
