/* status.h - error codes shared by every engine function.
 *
 * The engine does no I/O, so it reports failures as a code plus a fixed
 * message; callers add the context (file name, values) when they print it.
 */
#ifndef PICOLLAMA_STATUS_H
#define PICOLLAMA_STATUS_H

typedef enum {
    PL_OK = 0,
    PL_E_ARG,            /* a caller passed an invalid argument */
    PL_E_TRUNCATED,      /* data ends before what its header announces */
    PL_E_TRAILING,       /* data continues past what its header announces */
    PL_E_CONFIG,         /* model dimensions are zero, negative or inconsistent */
    PL_E_TOO_LARGE,      /* a size computed from the header overflows */
    PL_E_ALIGN,          /* weights are not 4-byte aligned in memory */
    PL_E_NO_MEMORY,      /* the memory handed to the engine is too small */
    PL_E_TOKENIZER,      /* tokenizer data is malformed */
    PL_E_VOCAB_MISMATCH, /* tokenizer and model disagree on the vocabulary size */
    PL_E_ENCODE,         /* text cannot be encoded with this vocabulary */
    PL_E_PROMPT_TOO_LONG,/* the prompt has more tokens than the context holds */
    PL_E_TOKEN,          /* a token id outside the vocabulary */
    PL_E_FORMAT,         /* a model image is malformed */
    PL_E_CHECKSUM,       /* a model image fails its CRC */
    PL_E_UNSUPPORTED,    /* a valid feature this build does not implement */
    PL_STATUS_COUNT
} pl_status;

/* One line of English for a status code (never NULL). */
const char *pl_status_message(pl_status status);

#endif
