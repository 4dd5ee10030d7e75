/* cli_tokenize.c - `picollama tokenize`: token ids of a text, BOS first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "host_model.h"
#include "hostio.h"

static const char usage[] =
    "Usage: picollama tokenize -z TOKENIZER [--] TEXT\n"
    "       picollama tokenize -z TOKENIZER -f FILE\n"
    "\n"
    "Prints the token ids of TEXT, or of FILE's contents up to its first NUL\n"
    "byte (BOS first), on one line, separated by spaces, exactly as llama2.c's\n"
    "encoder produces them.\n";

int cli_tokenize(int argc, char **argv)
{
    const char *tokenizer = NULL, *text = NULL, *file = NULL;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--") == 0) {
            if (i + 1 < argc && text)
                return host_error("tokenize: unexpected argument '%s'", argv[i + 1]);
            if (i + 1 < argc) text = argv[++i];
        } else if (strcmp(argv[i], "-z") == 0 || strcmp(argv[i], "-f") == 0) {
            if (i + 1 >= argc) return host_error("tokenize: option %s needs a value", argv[i]);
            if (argv[i][1] == 'z') tokenizer = argv[++i];
            else file = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return host_error("tokenize: unknown option '%s'", argv[i]);
        } else if (!text) {
            text = argv[i];
        } else {
            return host_error("tokenize: unexpected argument '%s'", argv[i]);
        }
    }
    if (!tokenizer) return host_error("tokenize: missing -z TOKENIZER (see 'picollama tokenize --help')");
    if (text && file) return host_error("tokenize: TEXT and -f FILE: give one of them");
    if (!text && !file)
        return host_error("tokenize: missing TEXT (see 'picollama tokenize --help')");
    host_file contents = {0};
    if (file && !host_read_file(file, &contents)) return 1;
    if (file) text = (const char *)contents.data; /* NUL-terminated by host_read_file */
    host_model m;
    if (!host_tokenizer_open(&m, host_find_model(tokenizer))) {
        host_free_file(&contents);
        return 1;
    }
    size_t cap = PL_ENCODE_CAPACITY(strlen(text));
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
    host_free_file(&contents);
    return rc;
}
