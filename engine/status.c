/* status.c - messages for pl_status codes. */
#include "status.h"

const char *pl_status_message(pl_status status)
{
    static const char *const messages[PL_STATUS_COUNT] = {
        [PL_OK] = "success",
        [PL_E_ARG] = "invalid argument",
        [PL_E_TRUNCATED] = "file is truncated (shorter than its header implies)",
        [PL_E_TRAILING] = "file is larger than its header implies (not a llama2.c checkpoint?)",
        [PL_E_CONFIG] = "invalid model dimensions",
        [PL_E_TOO_LARGE] = "model dimensions are too large",
        [PL_E_ALIGN] = "model data is not 4-byte aligned",
        [PL_E_NO_MEMORY] = "not enough memory for this model",
        [PL_E_TOKENIZER] = "malformed tokenizer file",
        [PL_E_VOCAB_MISMATCH] = "tokenizer and model vocabulary sizes differ",
        [PL_E_ENCODE] = "text cannot be encoded with this vocabulary",
        [PL_E_PROMPT_TOO_LONG] = "prompt is longer than the model's context (seq_len)",
        [PL_E_TOKEN] = "token id outside the vocabulary",
        [PL_E_FORMAT] = "malformed model image",
        [PL_E_CHECKSUM] = "model image checksum mismatch (corrupted)",
        [PL_E_UNSUPPORTED] = "unsupported feature",
    };
    if ((unsigned)status >= PL_STATUS_COUNT) return "unknown error";
    return messages[status];
}
