/* cli.h - the picollama subcommands (one file each), called by main. */
#ifndef PICOLLAMA_CLI_H
#define PICOLLAMA_CLI_H

int cli_run(int argc, char **argv);
int cli_tokenize(int argc, char **argv);
int cli_uf2(int argc, char **argv);
int cli_pack(int argc, char **argv);
int cli_eval(int argc, char **argv);

/* True for -h / --help. */
int cli_is_help(const char *arg);

#endif
