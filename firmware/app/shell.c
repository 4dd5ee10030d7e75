/* shell.c - line editor and commands of the console. A line starting with
 * '/' is a command; any other line is a prompt the model continues. */
#include "shell.h"

#include <stdbool.h>
#include <string.h>

#include "../hw/bootrom.h"
#include "console.h"
#include "info.h"
#include "llm.h"
#include "parse.h"

#define LINE_MAX 255
#define BACKSPACE 0x08
#define DELETE 0x7F
#define CTRL_C 0x03

static struct {
    char line[LINE_MAX + 1];
    uint32_t len;
    bool overflow;  /* more was typed than the line holds */
    char last;      /* to treat CR LF as one Enter */
    llm_settings settings;
} sh;

void shell_init(uint64_t seed)
{
    memset(&sh, 0, sizeof(sh));
    sh.settings = (llm_settings){1.0f, 0.9f, 256, seed, true};
}

void shell_prompt(void) { console_puts("> "); }

void shell_story(void) { llm_generate("", &sh.settings); }

static void help(void)
{
    console_puts("Type a prompt and press Enter: the model continues it. Ctrl-C stops it;\n"
                 "Ctrl-J puts a line break into a prompt.\n"
                 "/help          this list\n"
                 "/temp X        temperature, 0 = greedy (now ");
    console_printf("%.2f)\n/topp X        top-p in [0,1] (now %.2f)\n", sh.settings.temperature,
                   sh.settings.topp);
    console_printf("/seed N        seed of the next generation (1..2^63)\n"
                   "/steps N       positions per generation, 0 = whole context (now %d)\n",
                   (int)sh.settings.steps);
    console_printf("/precision P   the model image in use: f32 or q8 (now %s)\n"
                   "/cores N       cores that compute, 1 or 2 (now %d)\n",
                   llm_precision(), llm_cores());
    console_puts("/story         a new story from BOS (as the user button)\n"
                 "/info          board, memory and model\n"
                 "/bench         256 tokens from BOS, t=1.0, p=0.9, seed 42\n"
                 "/bootsel       reboot into the USB boot drive\n"
                 "/reboot        reboot\n");
}

static void bad_value(const char *cmd, const char *arg, const char *expected)
{
    console_printf("error: %s needs %s (got '%s')\n", cmd, expected, arg);
}

static void bench(void)
{
    llm_settings b = {1.0f, 0.9f, 256, 42, true};
    llm_generate("", &b);
}

static void command(char *line)
{
    char *arg = strchr(line, ' ');
    if (arg) {
        *arg++ = '\0';
        while (*arg == ' ') arg++;
    } else {
        arg = line + strlen(line);
    }
    float f;
    uint64_t u;
    if (!strcmp(line, "/help")) {
        help();
    } else if (!strcmp(line, "/temp")) {
        if (parse_float(arg, &f)) sh.settings.temperature = f;
        else bad_value(line, arg, "a number >= 0");
    } else if (!strcmp(line, "/topp")) {
        if (parse_float(arg, &f) && f <= 1) sh.settings.topp = f;
        else bad_value(line, arg, "a number in [0,1]");
    } else if (!strcmp(line, "/seed")) {
        if (parse_u64(arg, &u) && u > 0) {
            sh.settings.seed = u;
            sh.settings.reseed = true;
        } else {
            bad_value(line, arg, "an integer >= 1");
        }
    } else if (!strcmp(line, "/steps")) {
        if (parse_u64(arg, &u) && u <= 1000000) sh.settings.steps = (int32_t)u;
        else bad_value(line, arg, "an integer >= 0");
    } else if (!strcmp(line, "/precision")) {
        if (llm_set_precision(arg)) {
            console_printf("precision %s: %s\n", llm_precision(), llm_status());
        } else {
            bad_value(line, arg, "a precision the flash holds");
            llm_print_precisions();
        }
    } else if (!strcmp(line, "/cores")) {
        if (parse_u64(arg, &u) && u >= 1 && u <= (uint64_t)llm_max_cores()) {
            llm_set_cores((int)u);
            console_printf("cores: %d\n", llm_cores());
        } else {
            bad_value(line, arg, llm_max_cores() > 1 ? "1 or 2" : "1 (core 1 did not start)");
        }
    } else if (!strcmp(line, "/story")) {
        shell_story();
    } else if (!strcmp(line, "/info")) {
        info_print();
    } else if (!strcmp(line, "/bench")) {
        bench();
    } else if (!strcmp(line, "/bootsel")) {
        console_puts("rebooting into the USB boot drive\n");
        console_drain(200000);
        rom_reboot_to_bootsel();
    } else if (!strcmp(line, "/reboot")) {
        console_puts("rebooting\n");
        console_drain(200000);
        rom_reboot();
    } else {
        console_printf("error: unknown command '%s' (try /help)\n", line);
    }
}

/* Forgets the line typed so far and asks for the next one. */
static void next_line(void)
{
    sh.len = 0;
    sh.line[0] = '\0';
    sh.overflow = false;
    shell_prompt();
}

static void run_line(void)
{
    console_puts("\n");
    if (sh.overflow) {
        console_printf("error: line too long (at most %d characters); ignored\n", LINE_MAX);
    } else if (sh.line[0] == '/') {
        command(sh.line);
    } else if (sh.len > 0) {
        llm_generate(sh.line, &sh.settings);
    }
    next_line();
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

void shell_feed(char c)
{
    char last = sh.last;
    sh.last = c;
    if (c == '\n' && last == '\r') return; /* second half of CR LF */
    if (c == '\r') {
        run_line();
    } else if (c == '\n') { /* Ctrl-J: a newline inside the prompt */
        append(c);
    } else if (c == BACKSPACE || c == DELETE) {
        if (sh.len > 0 && !sh.overflow) {
            sh.line[--sh.len] = '\0';
            console_puts("\b \b");
        }
    } else if (c == CTRL_C) {
        console_puts("^C\n");
        next_line();
    } else if ((unsigned char)c >= 0x20) {
        append(c);
    }
}
