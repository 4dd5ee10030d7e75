/* llm.c - the models in flash, where they run from, and generation on the
 * console.
 *
 * The flash model slot (offset 0x80000) holds one or more model images,
 * each starting on the first 4 KB boundary after the one before (see
 * docs/model-format.md, "Several images in flash"); the build puts
 * stories260K there as f32 and q8. /precision picks the image of a
 * precision; the firmware boots with the fastest (q8 when present).
 *
 * Placement, fastest memory first:
 *  - weights: a quantized image is copied into SRAM when it fits there, so
 *    that nothing in the hot loop touches flash or PSRAM; one that does not
 *    fit (stories15M) stays in flash and its matrices are streamed through
 *    two SRAM tiles by DMA (weight_stream.h); an f32 image is copied to
 *    PSRAM and read through the XIP cache, as the reference firmware does
 *    (without PSRAM, in place from flash);
 *  - run state, sampler and prompt buffers: SRAM;
 *  - KV cache: as many positions as SRAM still holds, the rest in PSRAM.
 * The model's whole context comes first: without PSRAM (a Pico 2), a
 * quantized image whose SRAM copy would leave too little room for the KV
 * cache is streamed from flash instead (slower, the full context); only
 * when even that cannot hold it is the context shortened to what SRAM
 * holds.
 */
#include "llm.h"

#include <string.h>

#include "../../engine/generate.h"
#include "../../engine/image.h"
#include "../hw/clocks.h"
#include "../hw/regs/xip.h"
#include "button.h"
#include "console.h"
#include "cores.h"
#include "fmt.h"
#include "memory.h"
#include "weight_stream.h"

#define PROMPT_TOKEN_CAP PL_ENCODE_CAPACITY(LLM_PROMPT_MAX) /* the longest prompt's encoding */
#define MAX_IMAGES 4
#define IMAGE_CHAIN_ALIGN 4096u
#define STREAM_TILE_BYTES (24u * 1024u) /* per SRAM tile of streamed weights */
/* Long copies go in pieces with the console served in between: the UART's
 * 32-byte FIFO fills in 2.8 ms at 115200 baud, and a 4 KB piece takes well
 * under that from flash. */
#define COPY_PIECE 4096u

typedef struct {
    const uint8_t *flash_addr;
    uint32_t size;
    pl_dtype precision;
} stored_image;

/* Where a buffer went: for /info's memory map. */
typedef struct {
    uintptr_t addr;
    size_t bytes;
    const char *place;
} placement;

static struct {
    stored_image images[MAX_IMAGES];
    int image_count;
    int current; /* index into images; -1 = none usable */
    bool ready;
    char status[160];
    pl_image img;
    pl_transformer t;
    pl_tokenizer tok;
    placement image, state, kv[2];
    bool streamed; /* the weights come through weight_stream */
    uint64_t weights_in_sram; /* streamed: bytes of the matrices copied into SRAM */
    int32_t kv_positions[2]; /* positions in each KV segment */
    int32_t full_context;    /* the model's seq_len, before any shortening */
    pl_prob_index *probindex;
    int32_t *prompt_tokens;
    uint64_t rng_state;
    int cores;
} llm;

static const char *const precision_names[] = {"f32", "q8", "q4"};

static const char *precision_name(pl_dtype d) { return d <= PL_DTYPE_Q4 ? precision_names[d] : "?"; }

static void fail(const char *why)
{
    fmt(llm.status, sizeof(llm.status), "%s", why);
    llm.ready = false;
}

/* ---- the images in the flash slot --------------------------------------- */

/* Walks the chain of images from the slot: each starts on the first 4 KB
 * boundary after the one before, and the chain ends at the first boundary
 * without an image magic. The boot ROM erases only the sectors a UF2
 * touches, so an image an older UF2 left further on is still intact there:
 * a model UF2 therefore writes a zeroed end-of-chain page on the boundary
 * after its last image (docs/model-format.md, "Several images in flash"),
 * and this walk must never look past a boundary that lacks the magic. The
 * last 4 KB sector is never part of an image: dropping a UF2 that starts
 * with the RP2350-E10 block (the firmware's, any picotool makes) erases it
 * (on a 4 MB chip the block wraps into that chip's last sector), and the
 * host tools keep images and end pages out of it.
 * A damaged first image is reported; a damaged later one ends the chain. */
static void find_images(uint32_t flash_size)
{
    uint32_t limit = flash_size > IMAGE_CHAIN_ALIGN ? flash_size - IMAGE_CHAIN_ALIGN : 0;
    uint32_t offset = MODEL_SLOT_FLASH_OFFSET;
    llm.image_count = 0;
    while (llm.image_count < MAX_IMAGES && offset < limit) {
        const uint8_t *at = (const uint8_t *)(XIP_BASE + offset);
        uint32_t room = limit - offset;
        if (!pl_image_is_image(at, room)) break;
        pl_image img;
        const char *why = NULL;
        pl_status st = pl_image_open(&img, at, room, 1, &why);
        if (st != PL_OK) {
            if (llm.image_count == 0)
                fmt(llm.status, sizeof(llm.status),
                    "the model in the flash slot is unusable: %s%s%s%s", pl_status_message(st),
                    why ? " (" : "", why ? why : "", why ? ")" : "");
            break;
        }
        llm.images[llm.image_count++] = (stored_image){at, img.size, pl_image_precision(&img)};
        offset += (img.size + IMAGE_CHAIN_ALIGN - 1) / IMAGE_CHAIN_ALIGN * IMAGE_CHAIN_ALIGN;
    }
    if (llm.image_count == 0 && llm.status[0] == '\0')
        fail("no model in the flash slot at 0x10080000 (flash one made with 'picollama pack -o "
             "model.uf2')");
}

static int image_of_precision(pl_dtype d)
{
    for (int i = 0; i < llm.image_count; i++)
        if (llm.images[i].precision == d) return i;
    return -1;
}

/* ---- placement ----------------------------------------------------------- */

static void *take(memory_pool *pool, size_t bytes, placement *p, const char *place)
{
    void *m = memory_take(pool, bytes);
    if (m) *p = (placement){(uintptr_t)m, bytes, place};
    return m;
}

/* Copies an image piece by piece, the console served in between, and
 * checks that each piece reads back as the original (which find_images
 * checked against its CRC). */
static bool copy_serving_console(uint8_t *to, const uint8_t *from, uint32_t size)
{
    for (uint32_t done = 0; done < size; done += COPY_PIECE) {
        uint32_t n = size - done < COPY_PIECE ? size - done : COPY_PIECE;
        memcpy(to + done, from + done, n);
        if (memcmp(to + done, from + done, n) != 0) return false;
        console_poll();
    }
    return true;
}

/* How use_image may place a model, in the order it tries them. */
typedef enum {
    STREAM_NEVER,    /* a quantized image in SRAM, else PSRAM, else flash in place */
    STREAM_IF_LARGE, /* streamed when its SRAM copy does not fit */
    STREAM_ALWAYS,   /* streamed even when its SRAM copy fits */
} stream_rule;

typedef struct {
    stream_rule stream;
    bool full_context; /* else the context may be shortened to what memory holds */
} placement_plan;

/* The image's bytes where they run from: SRAM for a quantized image that
 * fits (unless the rule streams it); else, when the rule allows, flash in
 * place, streamed (flash is as fast as PSRAM for that, and PSRAM keeps
 * room for the KV cache); else PSRAM, else flash in place. NULL when the
 * copy does not read back. */
static const uint8_t *place_image(const stored_image *s, stream_rule rule)
{
    uint8_t *copy = NULL;
    bool may_stream = rule != STREAM_NEVER;
    llm.streamed = false;
    if (s->precision != PL_DTYPE_F32 && rule != STREAM_ALWAYS)
        copy = take(&sram_pool, s->size, &llm.image, "SRAM");
    if (!copy && s->precision != PL_DTYPE_F32 && may_stream) {
        llm.streamed = true;
    } else if (!copy) {
        copy = take(&psram_pool, s->size, &llm.image, "PSRAM");
    }
    if (!copy) {
        llm.image = (placement){(uintptr_t)s->flash_addr, s->size, "flash (in place)"};
        return s->flash_addr;
    }
    return copy_serving_console(copy, s->flash_addr, s->size) ? copy : NULL;
}

/* The KV cache: SRAM first, then PSRAM, else (unless full_context) a
 * shorter context. */
static bool place_kv(pl_config *cfg, pl_kv_type type, bool full_context, void **kv0,
                     size_t *size0, void **kv1, size_t *size1)
{
    int32_t in_sram = pl_kv_positions(cfg, type, memory_free(&sram_pool));
    int32_t rest = cfg->seq_len - in_sram;
    *kv1 = NULL;
    *size1 = 0;
    if (rest > 0 && memory_free(&psram_pool) >= pl_kv_size(cfg, type, rest)) {
        if (in_sram == 0) { /* all of it in PSRAM */
            in_sram = cfg->seq_len;
            rest = 0;
            *size0 = pl_kv_size(cfg, type, in_sram);
            *kv0 = take(&psram_pool, *size0, &llm.kv[0], "PSRAM");
        } else {
            *size0 = pl_kv_size(cfg, type, in_sram);
            *kv0 = take(&sram_pool, *size0, &llm.kv[0], "SRAM");
            *size1 = pl_kv_size(cfg, type, rest);
            *kv1 = take(&psram_pool, *size1, &llm.kv[1], "PSRAM");
        }
    } else {
        if (in_sram < 1 || (full_context && rest > 0)) return false;
        cfg->seq_len = in_sram; /* no-op when it all fits */
        rest = 0;
        *size0 = pl_kv_size(cfg, type, in_sram);
        *kv0 = take(&sram_pool, *size0, &llm.kv[0], "SRAM");
    }
    llm.kv_positions[0] = in_sram;
    llm.kv_positions[1] = rest;
    return *kv0 && (rest == 0 || *kv1);
}

static bool place_engine(pl_config *cfg, const pl_options *opt, bool full_context)
{
    size_t vocab = (size_t)cfg->vocab_size;
    llm.prompt_tokens = memory_take(&sram_pool, PROMPT_TOKEN_CAP * sizeof(int32_t));
    size_t state_bytes = pl_transformer_state_size(cfg, opt);
    void *state = take(&sram_pool, state_bytes, &llm.state, "SRAM");
    const pl_weight_stream *stream = NULL;
    if (llm.streamed && !(stream = weight_stream_create(STREAM_TILE_BYTES))) return false;
    llm.probindex = memory_take(&sram_pool, vocab * sizeof(pl_prob_index));
    if (!llm.probindex) llm.probindex = memory_take(&psram_pool, vocab * sizeof(pl_prob_index));
    if (!llm.probindex || !llm.prompt_tokens || !state) return false;
    void *kv0, *kv1;
    size_t size0, size1;
    if (!place_kv(cfg, opt->kv, full_context, &kv0, &size0, &kv1, &size1)) return false;
    if (pl_transformer_init_split(&llm.t, cfg, opt, state, state_bytes, kv0, size0, kv1,
                                  size1) != PL_OK)
        return false;
    llm.t.stream = stream;
    return true;
}

/* The longest the forward pass leaves the console alone. USB must be
 * served within ~1 ms (a host gives a device 2 ms to take its new address)
 * and the UART's 32-byte FIFO fills in 2.8 ms at 115200 baud; a matrix
 * product takes far less (stories260K: 16 a token, about 0.16 ms each), so
 * polling at every one would spend 1.6 % of the token on polls that find
 * nothing. */
#define CONSOLE_POLL_US 400u

/* No interrupts here: the forward pass yields to the console between
 * matrix products, and it is polled when CONSOLE_POLL_US have passed. */
static void keep_usb_alive(void *ctx)
{
    static uint32_t polled_us;
    (void)ctx;
    uint32_t now = time_us_low();
    if (now - polled_us < CONSOLE_POLL_US) return;
    polled_us = now;
    console_poll();
    button_sample();
}

static void apply_cores(void)
{
    llm.t.parallel = llm.cores > 1 ? cores_parallel : NULL;
    llm.t.parallel_ctx = NULL;
}

/* One matrix's data and scales copied into SRAM and the tensor pointed at
 * the copy (the stream then uses it in place); false, with nothing
 * changed, when SRAM lacks the room or the copy does not read back. */
static bool copy_to_sram(pl_tensor *w)
{
    const void *data, *scales;
    size_t data_bytes, scale_bytes;
    pl_tensor_rows_span(w, 0, w->rows, &data, &data_bytes, &scales, &scale_bytes);
    if (memory_free(&sram_pool) < data_bytes + scale_bytes + 32) return false;
    uint8_t *data_copy = memory_take(&sram_pool, data_bytes);
    uint8_t *scales_copy = memory_take(&sram_pool, scale_bytes);
    if (!copy_serving_console(data_copy, data, (uint32_t)data_bytes) ||
        !copy_serving_console(scales_copy, scales, (uint32_t)scale_bytes))
        return false;
    w->data = data_copy;
    w->scales = scales_copy;
    llm.weights_in_sram += data_bytes + scale_bytes;
    return true;
}

/* Streamed weights: the quantized matrices that fit in the SRAM left
 * over (a Pico 2 streams stories260K for its full context and has about
 * half of it spare) are copied there, in the forward pass's order, so
 * only the rest crosses the QSPI bus every token. (Picking them spread
 * along the pass instead, so that the bus could fetch while the cores
 * work on kept ones, measured slower: fewer bytes fit.) */
static void keep_weights_in_sram(pl_weights *w, int32_t n_layers)
{
    for (int32_t l = 0; l < n_layers; l++) {
        pl_layer_weights *L = &w->layers[l];
        pl_tensor *all[7] = {&L->wq, &L->wk, &L->wv, &L->wo, &L->w1, &L->w3, &L->w2};
        for (int i = 0; i < 7; i++)
            if (all[i]->dtype != PL_DTYPE_F32) copy_to_sram(all[i]);
    }
    if (w->classifier.dtype != PL_DTYPE_F32) copy_to_sram(&w->classifier);
}

/* Places image s and an engine for it as plan says; false, with
 * llm.status saying why, when memory is short. */
static bool place_model(const stored_image *s, placement_plan plan)
{
    weight_stream_stop(); /* no DMA into memory about to be reused */
    memory_reset();
    memset(&llm.t, 0, sizeof(llm.t));
    memset(llm.kv, 0, sizeof(llm.kv));
    const uint8_t *image = place_image(s, plan.stream);
    if (!image || pl_image_open(&llm.img, image, s->size, 0, NULL) != PL_OK) {
        fail("the model's copy does not read back correctly");
        return false;
    }
    pl_config cfg = llm.img.cfg;
    llm.full_context = cfg.seq_len;
    pl_options opt = pl_image_options(&llm.img);
    opt.parts = 2; /* scratch for both cores, whatever /cores says later */
    if (!place_engine(&cfg, &opt, plan.full_context)) {
        fail("not enough memory for this model's run state");
        return false;
    }
    pl_image_bind_weights(&llm.img, &llm.t.w);
    if (llm.t.stream && pl_stream_min_tile_bytes(&llm.t) > STREAM_TILE_BYTES) {
        fail("this model's rows are too long to stream through the SRAM tiles");
        return false;
    }
    llm.weights_in_sram = 0; /* (keep_weights_in_sram adds what it copies) */
    if (llm.t.stream) keep_weights_in_sram(&llm.t.w, cfg.n_layers);
    return true;
}

/* Makes image i the model: places it and the engine; llm.status says
 * what came of it. */
static void use_image(int i)
{
    llm.current = i;
    llm.ready = false;
    const stored_image *s = &llm.images[i];
    /* the full context first (streaming frees the SRAM the copy would
     * take); streaming needs its SRAM tiles and rows that fit them:
     * without, the weights are read through the XIP cache from PSRAM or
     * flash */
    static const placement_plan plans[] = {
        {STREAM_IF_LARGE, true},
        {STREAM_ALWAYS, true},
        {STREAM_IF_LARGE, false},
        {STREAM_NEVER, false},
    };
    bool placed = false;
    for (size_t p = 0; p < sizeof(plans) / sizeof(plans[0]) && !placed; p++)
        placed = place_model(s, plans[p]);
    if (!placed) return;
    llm.t.yield = keep_usb_alive;
    apply_cores();
    if (pl_image_bind_tokenizer(&llm.img, &llm.tok) != PL_OK) {
        fail("the model's tokenizer is unusable");
        return;
    }
    const pl_config *c = &llm.t.cfg;
    fmt(llm.status, sizeof(llm.status),
        "dim %d, hidden %d, %d layers, %d heads (%d kv), vocab %d, context %d, %s",
        (int)c->dim, (int)c->hidden_dim, (int)c->n_layers, (int)c->n_heads, (int)c->n_kv_heads,
        (int)c->vocab_size, (int)c->seq_len, precision_name(s->precision));
    llm.ready = true;
}

void llm_init(uint32_t flash_size)
{
    memset(&llm, 0, sizeof(llm));
    llm.current = -1;
    llm.cores = cores_start() ? 2 : 1;
    find_images(flash_size);
    if (llm.image_count == 0) return;
    int fastest = image_of_precision(PL_DTYPE_Q8);
    use_image(fastest >= 0 ? fastest : 0);
}

const char *llm_status(void) { return llm.status; }

/* ---- settings ------------------------------------------------------------ */

const char *llm_precisions_in_flash(void)
{
    static char list[4 * MAX_IMAGES + 1];
    size_t n = 0;
    list[0] = '\0';
    for (int i = 0; i < llm.image_count; i++)
        n += fmt(list + n, sizeof(list) - n, "%s%s", i ? " " : "",
                 precision_name(llm.images[i].precision));
    return llm.image_count ? list : "none";
}

bool llm_set_precision(const char *name)
{
    for (int d = PL_DTYPE_F32; d <= PL_DTYPE_Q4; d++) {
        if (strcmp(name, precision_names[d]) != 0) continue;
        int i = image_of_precision((pl_dtype)d);
        if (i < 0) break;
        if (i != llm.current || !llm.ready) use_image(i);
        return true;
    }
    return false;
}

const char *llm_precision(void)
{
    return llm.current >= 0 ? precision_name(llm.images[llm.current].precision) : "none";
}

void llm_set_cores(int n)
{
    llm.cores = n < 1 ? 1 : (n > llm_max_cores() ? llm_max_cores() : n);
    apply_cores();
}

int llm_cores(void) { return llm.cores; }
int llm_max_cores(void) { return cores_available() ? 2 : 1; }

/* ---- /info --------------------------------------------------------------- */

static void print_placement(const char *what, const placement *p)
{
    if (p->bytes)
        console_printf("        %s 0x%08x-0x%08x, %u bytes (%s)\n", what, (unsigned)p->addr,
                       (unsigned)(p->addr + p->bytes), (unsigned)p->bytes, p->place);
}

void llm_print_memory_map(void)
{
    extern uint8_t __flash_end[], __data_start[], __ram_code_end[], __heap_start[];
    console_printf("memory: firmware 0x10000000-0x%08x (flash); SRAM code 0x%08x-0x%08x, data "
                   "and stacks to 0x%08x\n",
                   (unsigned)(uintptr_t)__flash_end, (unsigned)(uintptr_t)__data_start,
                   (unsigned)(uintptr_t)__ram_code_end, (unsigned)(uintptr_t)__heap_start);
    if (llm.current < 0) return;
    print_placement("model image", &llm.image);
    if (llm.streamed)
        console_printf("        weights streamed through 2 x %u KB SRAM tiles (XIP stream + DMA); "
                       "%u bytes of them copied into SRAM\n",
                       (unsigned)(STREAM_TILE_BYTES / 1024), (unsigned)llm.weights_in_sram);
    print_placement("run state  ", &llm.state);
    if (llm.kv[0].bytes) {
        console_printf("        KV cache: %d of %d positions in %s", (int)llm.kv_positions[0],
                       (int)llm.full_context, llm.kv[0].place);
        if (llm.kv_positions[1]) console_printf(", %d in PSRAM", (int)llm.kv_positions[1]);
        if (llm.t.cfg.seq_len < llm.full_context) console_puts(" (context shortened)");
        console_puts("\n");
        print_placement("KV cache   ", &llm.kv[0]);
        print_placement("KV cache   ", &llm.kv[1]);
    }
    console_printf("        SRAM free %u bytes, PSRAM free %u bytes; %d core%s\n",
                   (unsigned)memory_free(&sram_pool), (unsigned)memory_free(&psram_pool),
                   llm.cores, llm.cores > 1 ? "s" : "");
}

/* ---- generation ---------------------------------------------------------- */

typedef struct {
    uint64_t first_us;
    llm_end end;
} emit_state;

static int emit(void *user, const char *text, size_t len)
{
    emit_state *st = user;
    if (len) console_write(text, len);
    else console_poll();
    if (st->first_us == 0) st->first_us = time_us(); /* timed from the first token */
    button_sample();
    if (console_take_ctrl_c()) st->end = LLM_STOPPED_BY_CTRL_C; /* other keys wait for the prompt */
    else if (button_take_press()) st->end = LLM_STOPPED_BY_BUTTON;
    return st->end != LLM_FINISHED;
}

llm_end llm_generate(const char *prompt, llm_settings *s)
{
    if (!llm.ready) {
        console_printf("error: %s\n", llm.status);
        return LLM_FAILED;
    }
    if (s->reseed) {
        llm.rng_state = s->seed;
        s->reseed = false;
    }
    if (llm.rng_state == 0) llm.rng_state = s->seed ? s->seed : 1;
    pl_sampler sampler;
    pl_sampler_init(&sampler, llm.t.cfg.vocab_size, s->temperature, s->topp, llm.rng_state,
                    llm.probindex);
    emit_state st = {0, LLM_FINISHED};
    pl_generation g;
    pl_status rc = pl_generate(&llm.t, &llm.tok, &sampler, prompt, s->steps, llm.prompt_tokens,
                               PROMPT_TOKEN_CAP, emit, &st, &g);
    uint64_t end_us = time_us();
    llm.rng_state = sampler.rng_state; /* the next story continues the sequence */
    if (rc == PL_E_PROMPT_TOO_LONG) {
        console_printf("error: the prompt is %d tokens long; the model's context holds %d\n",
                       (int)g.prompt_tokens, (int)llm.t.cfg.seq_len);
        return LLM_FAILED;
    }
    if (rc != PL_OK) {
        console_printf("\nerror: %s\n", pl_status_message(rc));
        return LLM_FAILED;
    }
    static const char *const endings[] = {"\n", "^C\n", "\n[user button: a new story]\n"};
    console_puts(endings[st.end]);
    int32_t tokens = g.positions > 1 ? g.positions - 1 : 0;
    double ms = st.first_us && tokens ? (double)(end_us - st.first_us) / 1000.0 : 0.0;
    double rate = ms > 0 ? tokens / (ms / 1000.0) : 0.0;
    console_printf("\n--- %d tokens in %.1f ms = %.1f tok/s ---\n", (int)tokens, ms, rate);
    return st.end;
}
