/* cli_tokenize.c - `picollama tokenize`: token ids of a text, BOS first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "host_model.h"
#include "hostio.h"

static const char usage[] =
    "Usage: picollama tokenize -z TOKENIZER [--] TEXT\n"
    "\n"
    "Prints the token ids of TEXT (BOS first) on one line, separated by spaces,\n"
    "exactly as llama2.c's encoder produces them.\n";

int cli_tokenize(int argc, char **argv)
{
    const char *tokenizer = NULL, *text = NULL;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--") == 0) {
            if (i + 1 < argc && text)
                return host_error("tokenize: unexpected argument '%s'", argv[i + 1]);
            if (i + 1 < argc) text = argv[++i];
        } else if (strcmp(argv[i], "-z") == 0) {
            if (i + 1 >= argc) return host_error("tokenize: option -z needs a value");
            tokenizer = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return host_error("tokenize: unknown option '%s'", argv[i]);
        } else if (!text) {
            text = argv[i];
        } else {
            return host_error("tokenize: unexpected argument '%s'", argv[i]);
        }
    }
    if (!tokenizer) return host_error("tokenize: missing -z TOKENIZER (see 'picollama tokenize --help')");
    if (!text) return host_error("tokenize: missing TEXT (see 'picollama tokenize --help')");
    host_model m;
    if (!host_tokenizer_open(&m, host_find_model(tokenizer))) return 1;
    size_t cap = strlen(text) + 3;
    int32_t *ids = malloc(cap * sizeof(*ids));
    int32_t n = 0;
    pl_status st = ids ? pl_encode(&m.tokenizer, text, 1, 0, ids, cap, &n) : PL_E_NO_MEMORY;
    int rc = 0;
    if (st != PL_OK) {
        rc = host_error("tokenize: %s", pl_status_message(st));
    } else {
        for (int32_t i = 0; i < n; i++) printf(i ? " %d" : "%d", ids[i]);
        printf("\n");
    }
    free(ids);
    host_model_close(&m);
    return rc;
}
