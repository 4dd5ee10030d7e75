/* picollama.c - host command line: dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hostio.h"

static const char usage[] =
    "Usage: picollama COMMAND [ARGS]\n"
    "\n"
    "Llama-2 inference (llama2.c models) with the engine that runs on the RP2350.\n"
    "\n"
    "Commands:\n"
    "  run MODEL [options]      generate text, as llama2.c's run does\n"
    "  pack CKPT TOK -q TYPE -o OUT   pack a model image (.img) or model UF2\n"
    "  eval REF CANDIDATE       compare a quantized model with its reference\n"
    "  tokenize -z TOK TEXT     print the token ids of TEXT\n"
    "  uf2 IN.bin -o OUT.uf2    wrap a flash binary into a UF2 for the boot drive\n"
    "\n"
    "Run 'picollama COMMAND --help' for a command's options.\n";

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

static int run_command(int argc, char **argv)
{
    if (argc < 2) return host_error("missing command (try 'picollama --help')");
    const char *cmd = argv[1];
    if (cli_is_help(cmd)) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "run") == 0) return cli_run(argc - 2, argv + 2);
    if (strcmp(cmd, "tokenize") == 0) return cli_tokenize(argc - 2, argv + 2);
    if (strcmp(cmd, "uf2") == 0) return cli_uf2(argc - 2, argv + 2);
    if (strcmp(cmd, "pack") == 0) return cli_pack(argc - 2, argv + 2);
    if (strcmp(cmd, "eval") == 0) return cli_eval(argc - 2, argv + 2);
    return host_error("unknown command '%s' (try 'picollama --help')", cmd);
}

int main(int argc, char **argv)
{
    int rc = run_command(argc, argv);
    /* a full disk must not pass for a finished story or table */
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = host_error("cannot write to standard output");
    return rc;
}
