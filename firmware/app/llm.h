/* llm.h - the model on the board: finding the images in the flash model
 * slot, placing one and the engine's buffers in memory, the precision and
 * core settings, and running generations on the console. */
#ifndef PICOLLAMA_FW_LLM_H
#define PICOLLAMA_FW_LLM_H

#include <stdbool.h>
#include <stdint.h>


#define MODEL_SLOT_FLASH_OFFSET 0x80000u
#define LLM_PROMPT_MAX 255 /* bytes of a prompt: the console's line */

typedef struct {
    float temperature;
    float topp;
    int32_t steps;      /* 0 = the whole context */
    uint64_t seed;
    bool reseed;        /* /seed was given: the next generation starts from it */
} llm_settings;

/* Starts core 1, finds the images in the model slot and prepares the
 * engine for the fastest. flash_size bounds the slot; copies go to the
 * memory pools (memory.h), PSRAM included once it passed its test. */
void llm_init(uint32_t flash_size);
/* One line: why there is no model, or the model's shape and precision. */
const char *llm_status(void);
/* The memory map lines of the banner / info. */
void llm_print_memory_map(void);

/* /precision: switches to the image of that precision ("f32", "q8", "q4");
 * false when flash holds none. The KV cache starts empty. */
bool llm_set_precision(const char *name);
const char *llm_precision(void);
/* The precisions flash holds, space-separated ("none" without a model). */
const char *llm_precisions_in_flash(void);
/* /cores: 1 up to llm_max_cores() (2 unless core 1 did not start). */
void llm_set_cores(int n);
int llm_cores(void);
int llm_max_cores(void);

typedef enum {
    LLM_FINISHED,
    LLM_STOPPED_BY_CTRL_C,
    LLM_STOPPED_BY_BUTTON, /* the caller starts a new story */
    LLM_FAILED,            /* no model, or the prompt does not fit: said on the console */
} llm_end;

/* Generates from prompt (NULL or "" = a story from BOS) on the console and
 * ends with "--- N tokens in X.X ms = Y.Y tok/s ---". Ctrl-C or the user
 * button stops it. */
llm_end llm_generate(const char *prompt, llm_settings *settings);

#endif
