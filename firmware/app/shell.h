/* shell.h - the interactive console: line editing, prompts, commands. */
#ifndef PICOLLAMA_FW_SHELL_H
#define PICOLLAMA_FW_SHELL_H

#include <stdint.h>

/* seed: the first stories' seed (varies per boot unless /seed is used). */
void shell_init(uint64_t seed);
/* Feeds one received byte (echo, editing, Enter runs the line). */
void shell_feed(char c);
void shell_prompt(void);
/* Forgets a half-typed line: a new terminal session or a new story from
 * the user button starts with an empty one. */
void shell_clear_line(void);
/* A new story from BOS with the current settings (the user button stops
 * it and starts another). */
void shell_story(void);

#endif
