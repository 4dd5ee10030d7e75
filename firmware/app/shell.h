/* shell.h - the interactive console: line editing, prompts, commands. */
#ifndef PICOLLAMA_FW_SHELL_H
#define PICOLLAMA_FW_SHELL_H

#include <stdint.h>

/* seed: the first stories' seed (varies per boot unless /seed is used). */
void shell_init(uint64_t seed);
/* Feeds one received byte (echo, editing, Enter runs the line). */
void shell_feed(char c);
void shell_prompt(void);
/* A new story from BOS with the current settings. */
void shell_story(void);

#endif
