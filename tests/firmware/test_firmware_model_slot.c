/* test_firmware_model_slot.c - the chain of model images in the flash slot
 * after a second UF2: the firmware UF2 puts stories260K there as f32 then
 * q8; a model UF2 with the f32 image alone, dropped on top, must leave the
 * firmware with f32 only. The boot ROM erases only the sectors a UF2
 * touches, so the old q8 image is still intact on the 4 KB boundary after
 * the new f32 one: only the end-of-chain page the host tools write there
 * keeps the firmware (which prefers q8) from running the stale model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"
#include "proc.h"
#include "testenv.h"

static void run_tool(const char *const *argv)
{
    proc_result r = session_tool(argv);
    proc_free(&r);
}

/* Boots the firmware UF2 with model_uf2 dropped on top, stops the boot
 * story and asks for q8; the board must have f32 alone. */
static void boots_f32_alone(const char *model_uf2)
{
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, model_uf2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "120000");
    session_skip_boot_story(&s);
    session_line(&s, "/precision q8");
    proc_result r = session_run(&s, 300);
    session_expect_ok(&r);
    session_assert_output(&r, "model: dim 64, hidden 172, 5 layers, 8 heads \\(4 kv\\), vocab 512, "
                      "context 512, f32\n");
    session_assert_output(&r, "error: /precision needs one of the precisions in flash \\(f32\\) "
                      "\\(got 'q8'\\)\n");
    session_free(&s);
    proc_free(&r);
}

/* `picollama pack -q f32 -o X.uf2`: the model UF2 a user makes. */
static void packed_f32_uf2_replaces_both_images(void **state)
{
    (void)state;
    const char *checkpoint = testenv_model("stories260K.bin"), *tok = testenv_model("tok512.bin");
    assert_non_null(checkpoint);
    assert_non_null(tok);
    const char *uf2 = testenv_tmp("f32-only-packed.uf2");
    const char *argv[] = {PICOLLAMA_BIN, "pack", checkpoint, tok, "-q", "f32", "-o", uf2, NULL};
    run_tool(argv);
    boots_f32_alone(uf2);
}

/* `picollama uf2 IMAGE@0x10080000`: the same image wrapped by the UF2 tool. */
static void wrapped_f32_uf2_replaces_both_images(void **state)
{
    (void)state;
    const char *uf2 = testenv_tmp("f32-only-wrapped.uf2");
    char input[4200];
    snprintf(input, sizeof(input), "%s@0x10080000", FIRMWARE_F32_IMAGE);
    const char *argv[] = {PICOLLAMA_BIN, "uf2", input, "-o", uf2, NULL};
    run_tool(argv);
    boots_f32_alone(uf2);
}

int main(void)
{
    if (session_model_missing()) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(packed_f32_uf2_replaces_both_images),
        cmocka_unit_test(wrapped_f32_uf2_replaces_both_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
