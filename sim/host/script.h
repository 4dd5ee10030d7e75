/* script.h - scripted console sessions: --expect REGEX, --send TEXT,
 * --wait-ms N, host actions (--host-stall-ms N, --close-port, --open-port,
 * --clear-halt, --suspend-ms N, --bus-reset, --touch-1200,
 * --reset-request bootsel[=WVALUE]|flash, --ms-os-20), --press-button,
 * --debug-reset and --profile-reset steps, run in the order given (each --expect waits for
 * its pattern in the output not yet matched). */
#ifndef SIM_SCRIPT_H
#define SIM_SCRIPT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

typedef struct machine machine;

enum { STEP_EXPECT, STEP_SEND, STEP_HOST_STALL, STEP_CLOSE_PORT, STEP_OPEN_PORT, STEP_WAIT,
       STEP_PROFILE_RESET, STEP_PRESS_BUTTON, STEP_CLEAR_HALT, STEP_SUSPEND, STEP_BUS_RESET,
       STEP_DEBUG_RESET, STEP_TOUCH_1200, STEP_RESET_REQUEST, STEP_MS_OS_20 };

typedef struct {
    int kind;
    char *text;               /* pattern (expect) or bytes (send) */
    size_t len;               /* bytes of a send after unescaping */
    regex_t re;
    uint32_t ms;              /* --reset-request: the wValue of a BOOTSEL request */
    int bootsel;              /* --reset-request: 1 bootsel, 0 flash */
    const char *arg;          /* as given on the command line */
} script_step;

typedef struct {
    script_step *steps;
    int count, cap;
    int next;                 /* next step to run */
    uint64_t step_started_ps;
    int press_button;         /* a --press-button step ran: the run loop presses it */
} script;

/* The step kind option adds (-1 if it adds none); *takes_value: whether
 * a value follows it on the command line. */
int script_step_of(const char *option, int *takes_value);
/* adds a step (arg is NULL for the steps without a value); returns an error
 * message or NULL */
const char *script_add(script *s, int kind, const char *arg);
void script_free(script *s);
/* Runs every step that can run now. Returns 1 when all steps are done; a
 * step that can never run (--open-port once the host has gone away) stops
 * the machine (exit 1) with a message naming it. */
int script_run(machine *m, script *s);
/* the step being waited for, as given on the command line (for timeout
 * messages): "--expect 'REGEX' (step 2 of 5)", "--wait-ms 3000 (step ...)" */
const char *script_waiting_for(const script *s);
/* Turns C escapes (\n \r \t \\ \" \xHH \0 \e) into bytes, their number in
 * *len; 0 for any other escape (a lone backslash at the end too). */
int script_unescape(const char *in, char *out, size_t *len);

#endif
