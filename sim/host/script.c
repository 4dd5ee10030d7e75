/* script.c - the scripted session's steps (see script.h). */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "log.h"
#include "machine.h"
#include "simtime.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int script_unescape(const char *in, char *out, size_t *len)
{
    size_t k = 0;
    for (const char *p = in; *p; p++) {
        if (*p != '\\') {
            out[k++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'n': out[k++] = '\n'; break;
        case 'r': out[k++] = '\r'; break;
        case 't': out[k++] = '\t'; break;
        case 'e': out[k++] = 0x1B; break;
        case '0': out[k++] = '\0'; break;
        case '\\': case '"': out[k++] = *p; break;
        case 'x': {
            int h1 = hexval(p[1]), h2 = h1 >= 0 ? hexval(p[2]) : -1;
            if (h1 < 0) return 0;
            if (h2 < 0) { out[k++] = (char)h1; p += 1; break; }
            out[k++] = (char)(h1 * 16 + h2);
            p += 2;
            break;
        }
        default: return 0; /* a typo (or a lone backslash at the end): not sent as something else */
        }
    }
    out[k] = '\0';
    *len = k;
    return 1;
}

/* --expect patterns may write control bytes as \r \n \t \e \xHH; every
 * other backslash sequence is left to the regular expression */
static char *expect_escapes(const char *in)
{
    char *out = malloc(strlen(in) + 1);
    size_t k = 0;
    for (const char *p = in; *p; p++) {
        if (p[0] == '\\' && (p[1] == 'r' || p[1] == 'n' || p[1] == 't' || p[1] == 'e')) {
            out[k++] = p[1] == 'r' ? '\r' : p[1] == 'n' ? '\n' : p[1] == 't' ? '\t' : 0x1B;
            p++;
        } else if (p[0] == '\\' && p[1] == 'x' && hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
            out[k++] = (char)(hexval(p[2]) * 16 + hexval(p[3]));
            p += 3;
        } else {
            out[k++] = *p;
        }
    }
    out[k] = '\0';
    return out;
}

/* every step and the command-line option that adds it */
static const struct {
    const char *option;
    int kind, takes_value;
} step_options[] = {
    {"--expect", STEP_EXPECT, 1},          {"--send", STEP_SEND, 1},
    {"--host-stall-ms", STEP_HOST_STALL, 1}, {"--wait-ms", STEP_WAIT, 1},
    {"--suspend-ms", STEP_SUSPEND, 1},     {"--close-port", STEP_CLOSE_PORT, 0},
    {"--open-port", STEP_OPEN_PORT, 0},    {"--profile-reset", STEP_PROFILE_RESET, 0},
    {"--press-button", STEP_PRESS_BUTTON, 0}, {"--clear-halt", STEP_CLEAR_HALT, 0},
    {"--bus-reset", STEP_BUS_RESET, 0},    {"--debug-reset", STEP_DEBUG_RESET, 0},
    {"--touch-1200", STEP_TOUCH_1200, 0},  {"--reset-request", STEP_RESET_REQUEST, 1},
    {"--ms-os-20", STEP_MS_OS_20, 0},
};
#define STEP_OPTIONS (sizeof(step_options) / sizeof(step_options[0]))

int script_step_of(const char *option, int *takes_value)
{
    for (size_t i = 0; i < STEP_OPTIONS; i++) {
        if (strcmp(option, step_options[i].option)) continue;
        *takes_value = step_options[i].takes_value;
        return step_options[i].kind;
    }
    return -1;
}

static const char *option_of(int kind)
{
    for (size_t i = 0; i < STEP_OPTIONS; i++)
        if (step_options[i].kind == kind) return step_options[i].option;
    return "?";
}

static int step_takes_value(int kind)
{
    for (size_t i = 0; i < STEP_OPTIONS; i++)
        if (step_options[i].kind == kind) return step_options[i].takes_value;
    return 0;
}

/* step i as the command line gave it, for messages: "--expect 'REGEX'
 * (step 2 of 5)", "--wait-ms 3000 (step 3 of 5)", "--open-port (...)" */
static const char *describe_step(const script *s, int i)
{
    static char buf[300];
    const script_step *st = &s->steps[i];
    if (st->kind == STEP_EXPECT)
        snprintf(buf, sizeof(buf), "--expect '%s' (step %d of %d)", st->arg, i + 1, s->count);
    else if (step_takes_value(st->kind))
        snprintf(buf, sizeof(buf), "%s %s (step %d of %d)", option_of(st->kind), st->arg, i + 1,
                 s->count);
    else
        snprintf(buf, sizeof(buf), "%s (step %d of %d)", option_of(st->kind), i + 1, s->count);
    return buf;
}

const char *script_add(script *s, int kind, const char *arg)
{
    static char err[300];
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->steps = realloc(s->steps, (size_t)s->cap * sizeof(*s->steps));
        if (!s->steps) abort();
    }
    script_step *st = &s->steps[s->count];
    memset(st, 0, sizeof(*st));
    st->kind = kind;
    st->arg = arg;
    if (kind == STEP_EXPECT) {
        st->text = expect_escapes(arg);
        int rc = regcomp(&st->re, st->text, REG_EXTENDED);
        if (rc) {
            char msg[200];
            regerror(rc, &st->re, msg, sizeof(msg));
            snprintf(err, sizeof(err), "bad --expect pattern '%s': %s", arg, msg);
            return err;
        }
    } else if (kind == STEP_SEND) {
        st->text = malloc(strlen(arg) + 1);
        if (!script_unescape(arg, st->text, &st->len)) {
            free(st->text);
            st->text = NULL;
            snprintf(err, sizeof(err), "bad escape in --send '%s' (known: \\n \\r \\t \\\\ \\\" "
                     "\\e \\0 \\xHH)", arg);
            return err;
        }
    } else if (!arg) { /* a step without a value: named for messages */
        st->arg = option_of(kind);
    } else if (kind == STEP_RESET_REQUEST) { /* bootsel, bootsel=WVALUE or flash */
        char *end = NULL;
        unsigned long v = 0;
        st->bootsel = !strncmp(arg, "bootsel", 7);
        if (st->bootsel && arg[7] == '=') v = strtoul(arg + 8, &end, 0);
        if (!(st->bootsel ? !arg[7] || (end && end != arg + 8 && !*end && v <= 0xFFFF)
                          : !strcmp(arg, "flash"))) {
            snprintf(err, sizeof(err), "bad --reset-request value '%s' (bootsel, bootsel=WVALUE "
                     "or flash)", arg);
            return err;
        }
        st->ms = (uint32_t)v;
    } else {
        char *end;
        errno = 0;
        long long v = strtoll(arg, &end, 10);
        if (end == arg || *end || v < 0 || v > UINT32_MAX || errno == ERANGE) {
            snprintf(err, sizeof(err), "bad %s value '%s'", option_of(kind), arg);
            return err;
        }
        st->ms = (uint32_t)v;
    }
    s->count++;
    return NULL;
}

void script_free(script *s)
{
    for (int i = 0; i < s->count; i++) {
        if (s->steps[i].kind == STEP_EXPECT) regfree(&s->steps[i].re);
        free(s->steps[i].text);
    }
    free(s->steps);
    memset(s, 0, sizeof(*s));
}

/* searches the unmatched output, NULs included (REG_STARTEND) */
static int match(console *c, regex_t *re)
{
    if (c->match_pos >= c->out_len) return 0;
    regmatch_t mt[1];
    mt[0].rm_so = (regoff_t)c->match_pos;
    mt[0].rm_eo = (regoff_t)c->out_len;
    if (regexec(re, c->out, 1, mt, REG_STARTEND) != 0) return 0;
    c->match_pos = (size_t)mt[0].rm_eo;
    return 1;
}

int script_run(machine *m, script *s)
{
    while (s->next < s->count) {
        script_step *st = &s->steps[s->next];
        if (st->kind == STEP_EXPECT) {
            if (!m->con || !match(m->con, &st->re)) return 0;
        } else if (st->kind == STEP_SEND) {
            if (m->con) console_send(m->con, (const uint8_t *)st->text, st->len);
        } else if (st->kind == STEP_WAIT) {
            if (machine_now_ps(m) - s->step_started_ps < (uint64_t)st->ms * PS_PER_MS) return 0;
        } else if (st->kind == STEP_CLOSE_PORT || st->kind == STEP_OPEN_PORT) {
            const char *why = usb_host_set_dtr(&m->host, st->kind == STEP_OPEN_PORT);
            if (why) { /* stop here rather than wait for output that cannot come */
                machine_stop(m, STOP_TIMEOUT, SIM_EXIT_TIMEOUT, "script: %s cannot run: %s",
                             describe_step(s, s->next), why);
                return 0;
            }
        } else if (st->kind == STEP_PROFILE_RESET) {
            machine_profile_restart(m);
        } else if (st->kind == STEP_PRESS_BUTTON) {
            s->press_button = 1;
        } else if (st->kind == STEP_CLEAR_HALT) {
            usb_host_clear_halt(&m->host);
        } else if (st->kind == STEP_SUSPEND) {
            usb_host_suspend(&m->host, st->ms);
        } else if (st->kind == STEP_BUS_RESET) {
            usb_host_bus_reset(&m->host);
        } else if (st->kind == STEP_TOUCH_1200) {
            usb_host_touch_1200(&m->host);
        } else if (st->kind == STEP_RESET_REQUEST) {
            usb_host_reset_request(&m->host, st->bootsel, (uint16_t)st->ms);
        } else if (st->kind == STEP_MS_OS_20) {
            usb_host_ms_os_20(&m->host);
        } else if (st->kind == STEP_DEBUG_RESET) {
            m->reboot = REBOOT_DEBUG;
            machine_kick(m);
        } else {
            usb_host_stall(&m->host, st->ms);
        }
        s->next++;
        s->step_started_ps = machine_now_ps(m);
    }
    return 1;
}

const char *script_waiting_for(const script *s)
{
    return s->next < s->count ? describe_step(s, s->next) : NULL;
}
