/* fuzz_config.c: libFuzzer target for gcnrun's configuration: the INI reader and the
 * `--conf SECTION.KEY=VALUE` overrides (drivers/config.c) behind the command-line parser
 * (drivers/cli.c). The input is an INI file, optionally followed by a NUL byte and
 * NUL-separated command-line words: a word starting with '-' is passed as typed (a flag such
 * as --workers=3 or -q), any other word as `--conf WORD`. The INI text goes to an in-memory
 * file that --config names. Words that could name another --config file (an unrelated file
 * of this machine) or hold a newline are dropped. Checked besides the sanitizers: the parser
 * returns a known status, a refused command line leaves one error line, and an accepted one
 * is self-consistent (the checks gcn_config_validate promises hold). */
#include <stddef.h>
#include <stdint.h>

#include "drivers/cli.h"
#include "invariant.h"
#include "memfile.h"

#define MAX_WORDS 24

/* 1 when getopt could read word as --config (or its -c short form). */
static int names_config(const char *w)
{
    if (w[0] != '-')
        return 0;
    if (w[1] == '-') /* long options may be abbreviated: --confi is --config */
        return strncmp(w, "--confi", 7) == 0;
    return strchr(w, 'c') != NULL; /* -c inside a group of short options */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct memfile ini = { -1, "" };
    static struct gcn_cli cli; /* large: paths */
    if (ini.fd < 0)
        memfile_create(&ini, "fuzz_config");

    const uint8_t *nul = memchr(data, '\0', size);
    size_t ini_len = nul ? (size_t)(nul - data) : size;
    memfile_set(&ini, data, ini_len);

    /* the words, each NUL-terminated in a copy of the tail */
    size_t tail_len = nul ? size - ini_len - 1 : 0;
    char *tail = malloc(tail_len + 1);
    REQUIRE(tail != NULL);
    if (tail_len)
        memcpy(tail, nul + 1, tail_len);
    tail[tail_len] = '\0';
    char *argv[3 + 2 * MAX_WORDS + 1];
    int argc = 0;
    argv[argc++] = "gcnrun";
    argv[argc++] = "--config";
    argv[argc++] = ini.path;
    char *w = tail;
    for (int k = 0; k < MAX_WORDS && w < tail + tail_len; k++) {
        size_t wl = strlen(w);
        if (!strchr(w, '\n') && !names_config(w)) {
            if (w[0] != '-')
                argv[argc++] = "--conf";
            argv[argc++] = w;
        }
        w += wl + 1;
    }
    argv[argc] = NULL;

    int st = gcn_cli_parse(&cli, argc, argv);
    REQUIRE(st >= GCN_CLI_RUN && st <= GCN_CLI_CONFIG_ERROR);
    if (st == GCN_CLI_USAGE_ERROR || st == GCN_CLI_CONFIG_ERROR) {
        require_error_line();
        REQUIRE(gcn_cli_exit_code(st) == 2);
    } else if (st == GCN_CLI_RUN) {
        const struct gcn_config *c = &cli.cfg;
        REQUIRE(gcn_config_validate(c) == GCN_OK);
        REQUIRE(c->epochs >= 1 && c->hp.layers >= 1 && c->hp.hidden >= 1);
        REQUIRE(c->workers >= 0 && c->blas_threads >= 1);
        REQUIRE(c->hp.dropout >= 0.0f && c->hp.dropout < 1.0f && c->hp.lr > 0.0f);
        REQUIRE(memchr(c->name, '\0', sizeof c->name) && memchr(c->data, '\0', sizeof c->data));
        if (c->format == GCN_FORMAT_DGL)
            REQUIRE(c->data[0] && c->graph[0]);
        else
            REQUIRE(c->synth.classes <= c->synth.nodes &&
                    c->synth.train_fraction + c->synth.val_fraction < 1.0);
    }
    free(tail);
    return 0;
}
