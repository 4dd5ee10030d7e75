/* shell.c - line editor and commands of the console. A line whose first
 * non-blank character is '/' is a command; any other line is a prompt the
 * model continues. */
#include "shell.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../hw/bootrom.h"
#include "console.h"
#include "fmt.h"
#include "info.h"
#include "llm.h"
#include "parse.h"

#define LINE_MAX LLM_PROMPT_MAX
#define CTRL_C 0x03
#define BACKSPACE 0x08
#define CTRL_U 0x15
#define CTRL_W 0x17
#define ESC 0x1B
#define DELETE 0x7F
#define MAX_VALUES 2   /* more than any command takes: enough to see extras */
#define QUOTE_MAX 40   /* bytes of a user's text repeated in a message */

/* Where an escape sequence (arrow keys, function keys: ESC [ ... final,
 * ESC O x, ESC x) has got to: all of it is consumed, none inserted. */
typedef enum { ESCAPE_NONE, ESCAPE_START, ESCAPE_CSI, ESCAPE_SS3 } escape_state;

static struct {
    char line[LINE_MAX + 1];
    uint32_t len;
    bool overflow;  /* more was typed than the line holds */
    char last;      /* to treat CR LF as one Enter */
    escape_state escape;
    llm_settings settings;
} sh;

void shell_init(uint64_t seed)
{
    memset(&sh, 0, sizeof(sh));
    sh.settings = (llm_settings){1.0f, 0.9f, 256, seed, true};
}

void shell_prompt(void) { console_puts("> "); }

void shell_clear_line(void)
{
    sh.len = 0;
    sh.line[0] = '\0';
    sh.overflow = false;
    sh.last = 0;
    sh.escape = ESCAPE_NONE;
}

/* Runs a generation; the user button stops it and starts a new story. */
static void tell(const char *prompt, llm_settings *settings)
{
    if (llm_generate(prompt, settings) != LLM_STOPPED_BY_BUTTON) return;
    while (llm_generate("", &sh.settings) == LLM_STOPPED_BY_BUTTON) {
    }
}

void shell_story(void) { tell("", &sh.settings); }

/* ---- commands ------------------------------------------------------------ */

/* A user's text for a message: at most QUOTE_MAX bytes, cut on a UTF-8
 * character boundary, "..." marking the cut, so the message stays one line. */
static const char *quoted(const char *text)
{
    static char buf[QUOTE_MAX + 4];
    size_t n = strlen(text);
    if (n <= QUOTE_MAX) return text;
    n = QUOTE_MAX;
    while (n > 0 && ((uint8_t)text[n] & 0xC0) == 0x80) n--;
    memcpy(buf, text, n);
    memcpy(buf + n, "...", 4);
    return buf;
}

static void bad_value(const char *cmd, const char *value, const char *expected)
{
    console_printf("error: %s needs %s (got '%s')\n", cmd, expected, quoted(value));
}

static void set_temperature(const char *v)
{
    float f;
    if (parse_float(v, &f)) sh.settings.temperature = f;
    else bad_value("/temp", v, "a number >= 0");
}

static void set_topp(const char *v)
{
    float f;
    if (parse_float(v, &f) && f <= 1) sh.settings.topp = f;
    else bad_value("/topp", v, "a number from 0 to 1");
}

static void set_seed(const char *v)
{
    uint64_t u;
    if (parse_u64(v, &u) && u > 0) {
        sh.settings.seed = u;
        sh.settings.reseed = true;
    } else {
        bad_value("/seed", v, "an integer from 1 to 2^64-1");
    }
}

static void set_steps(const char *v)
{
    uint64_t u;
    if (parse_u64(v, &u) && u <= INT32_MAX) sh.settings.steps = (int32_t)u;
    else bad_value("/steps", v, "an integer from 0 to 2^31-1");
}

static void set_precision(const char *v)
{
    if (llm_set_precision(v)) {
        console_printf("precision %s: %s\n", llm_precision(), llm_status());
    } else {
        char expected[48];
        fmt(expected, sizeof(expected), "one of the precisions in flash (%s)",
            llm_precisions_in_flash());
        bad_value("/precision", v, expected);
    }
}

static void set_cores(const char *v)
{
    uint64_t u;
    if (parse_u64(v, &u) && u >= 1 && u <= (uint64_t)llm_max_cores()) {
        llm_set_cores((int)u);
        console_printf("cores: %d\n", llm_cores());
    } else {
        bad_value("/cores", v, llm_max_cores() > 1 ? "1 or 2" : "1 (core 1 did not start)");
    }
}

static void help(const char *v);

static void bench(const char *v)
{
    (void)v;
    llm_settings b = {1.0f, 0.9f, 256, 42, true};
    tell("", &b);
}

static void story(const char *v)
{
    (void)v;
    shell_story();
}

static void info(const char *v)
{
    (void)v;
    info_print();
}

static void bootsel(const char *v)
{
    (void)v;
    console_puts("rebooting into the USB boot drive\n");
    console_drain(200000);
    rom_reboot_to_bootsel();
}

static void reboot(const char *v)
{
    (void)v;
    console_puts("rebooting\n");
    console_drain(200000);
    rom_reboot();
}

#ifdef PICOLLAMA_TEST_COMMANDS
/* test builds only: an undefined instruction, so that the fault handler's
 * report (boot/fault.c) can be checked on both consoles */
static void deliberate_fault(const char *v)
{
    (void)v;
    __asm volatile("udf #42");
}
#endif

typedef struct {
    const char *name;
    bool takes_value;
    void (*run)(const char *value);
} command;

static const command commands[] = {
    {"/help", false, help},           {"/temp", true, set_temperature},
    {"/topp", true, set_topp},        {"/seed", true, set_seed},
    {"/steps", true, set_steps},      {"/precision", true, set_precision},
    {"/cores", true, set_cores},      {"/story", false, story},
    {"/info", false, info},           {"/bench", false, bench},
    {"/bootsel", false, bootsel},     {"/reboot", false, reboot},
#ifdef PICOLLAMA_TEST_COMMANDS
    {"/fault", false, deliberate_fault},
#endif
};

static void help(const char *v)
{
    (void)v;
    console_puts("Type a prompt and press Enter: the model continues it. Ctrl-C stops it;\n"
                 "Ctrl-J puts a line break into a prompt; Backspace, Ctrl-W (word) and\n"
                 "Ctrl-U (line) edit. A line starting with '/' (spaces before it allowed)\n"
                 "is a command: the name, then its one value if it takes one, separated\n"
                 "by spaces; anything more is an error. Numbers: decimal digits with an\n"
                 "optional '.', at most 15 significant digits.\n"
                 "/help          this list\n"
                 "/temp X        temperature, 0 = greedy (now ");
    console_printf("%.2f)\n/topp X        top-p, 0 to 1 (now %.2f)\n", sh.settings.temperature,
                   sh.settings.topp);
    console_printf("/seed N        seed of the next generation, 1 to 2^64-1\n"
                   "/steps N       positions per generation, 0 = whole context (now %d)\n",
                   (int)sh.settings.steps);
    console_printf("/precision P   the model image in use, of those in flash: %s (now %s)\n"
                   "/cores N       cores that compute, 1 to %d (now %d)\n",
                   llm_precisions_in_flash(), llm_precision(), llm_max_cores(), llm_cores());
    console_puts("/story         a new story from BOS (as the user button, which also\n"
                 "               stops a generation and starts a new story)\n"
                 "/info          board, memory and model\n"
                 "/bench         256 tokens from BOS, t=1.0, p=0.9, seed 42\n"
                 "/bootsel       reboot into the USB boot drive\n"
                 "/reboot        reboot\n");
}

/* Splits line into words at spaces (in place); returns how many, at most
 * max + 1 (so that one too many is seen). */
static int split_words(char *line, char **words, int max)
{
    int n = 0;
    for (char *p = line; *p && n <= max;) {
        while (*p == ' ') p++;
        if (!*p) break;
        words[n++] = p;
        while (*p && *p != ' ') p++;
        if (*p) *p++ = '\0';
    }
    return n;
}

static void run_command(char *line)
{
    char *words[MAX_VALUES + 2];
    int n = split_words(line, words, MAX_VALUES + 1);
    const command *c = NULL;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(words[0], commands[i].name)) c = &commands[i];
    if (!c) {
        console_printf("error: unknown command '%s' (try /help)\n", quoted(words[0]));
    } else if (!c->takes_value && n > 1) {
        console_printf("error: %s takes no value (got '%s')\n", c->name, quoted(words[1]));
    } else if (c->takes_value && n > 2) {
        console_printf("error: %s takes one value (got '%s' after '%s')\n", c->name,
                       quoted(words[2]), quoted(words[1]));
    } else {
        c->run(n > 1 ? words[1] : "");
    }
}

/* ---- the line editor ----------------------------------------------------- */

static void run_line(void)
{
    console_puts("\n");
    const char *start = sh.line;
    while (*start == ' ') start++;
    if (sh.overflow) console_printf("error: line too long (at most %d bytes); ignored\n", LINE_MAX);
    else if (*start == '/') run_command((char *)start);
    else if (sh.len > 0) tell(sh.line, &sh.settings);
    shell_clear_line();
    shell_prompt();
}

static void append(char c)
{
    if (sh.len < LINE_MAX) {
        sh.line[sh.len++] = c;
        sh.line[sh.len] = '\0';
        console_write(&c, 1);
    } else {
        sh.overflow = true; /* keep reading to the end of the line */
    }
}

static bool is_continuation(char c) { return ((uint8_t)c & 0xC0) == 0x80; }

/* Cuts the line back to len bytes, erasing what goes from the screen: one
 * "\b \b" per character (a UTF-8 sequence is one), or, when a line break
 * goes, the line shown again under a new prompt. */
static void cut_line(uint32_t len)
{
    bool crosses_break = memchr(sh.line + len, '\n', sh.len - len) != NULL;
    for (uint32_t i = len; i < sh.len && !crosses_break; i++)
        if (!is_continuation(sh.line[i])) console_puts("\b \b");
    sh.len = len;
    sh.line[len] = '\0';
    if (crosses_break) {
        console_puts("\n");
        shell_prompt();
        console_write(sh.line, sh.len);
    }
}

static uint32_t start_of_last_character(void)
{
    uint32_t i = sh.len > 0 ? sh.len - 1 : 0;
    while (i > 0 && is_continuation(sh.line[i])) i--;
    return i;
}

static uint32_t start_of_last_word(void)
{
    uint32_t i = sh.len;
    while (i > 0 && sh.line[i - 1] == ' ') i--;
    while (i > 0 && sh.line[i - 1] != ' ' && sh.line[i - 1] != '\n') i--;
    return i;
}

/* Consumes c if it belongs to an escape sequence. */
static bool in_escape(char c)
{
    switch (sh.escape) {
    case ESCAPE_NONE:
        if (c != ESC) return false;
        sh.escape = ESCAPE_START;
        return true;
    case ESCAPE_START:
        if ((uint8_t)c < 0x20 && c != ESC) break; /* a lone Esc: c counts */
        sh.escape = c == '[' ? ESCAPE_CSI : c == 'O' ? ESCAPE_SS3 : c == ESC ? ESCAPE_START
                                                                              : ESCAPE_NONE;
        return true;
    case ESCAPE_CSI: /* parameters and intermediates 0x20-0x3F, then a final byte */
        if ((uint8_t)c < 0x20) break; /* not a sequence after all: c counts */
        if ((uint8_t)c > 0x3F) sh.escape = ESCAPE_NONE;
        return true;
    case ESCAPE_SS3:
        sh.escape = ESCAPE_NONE;
        return true;
    }
    sh.escape = ESCAPE_NONE;
    return false;
}

void shell_feed(char c)
{
    char last = sh.last;
    sh.last = c;
    if (in_escape(c)) return;
    if (c == '\n' && last == '\r') return; /* second half of CR LF */
    if (c == '\r') {
        run_line();
    } else if (c == '\n') { /* Ctrl-J: a newline inside the prompt */
        append(c);
    } else if (c == CTRL_C) {
        console_puts("^C\n");
        shell_clear_line();
        shell_prompt();
    } else if (sh.overflow) {
        if (c == CTRL_U) { /* the only edit of a line too long to show */
            console_puts("\n");
            shell_clear_line();
            shell_prompt();
        }
    } else if (c == BACKSPACE || c == DELETE) {
        cut_line(start_of_last_character());
    } else if (c == CTRL_U) {
        cut_line(0);
    } else if (c == CTRL_W) {
        cut_line(start_of_last_word());
    } else if ((uint8_t)c >= 0x20) {
        append(c);
    }
}
