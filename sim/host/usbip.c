/* usbip.c - the USB/IP server of picollama-sim --usbip (see usbip.h). */
#include "usbip.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "simtime.h"

/* Linux's errno values, which RET_SUBMIT and RET_UNLINK carry whatever the
 * host's own are */
enum { LINUX_ENODEV = 19, LINUX_EINVAL = 22, LINUX_EPIPE = 32, LINUX_EPROTO = 71,
       LINUX_EOVERFLOW = 75, LINUX_ECONNRESET = 104, LINUX_EREMOTEIO = 121 };

#define MAX_CONNS 4
#define IMPORT_WAIT_MS 10000   /* an import waits this long for the device to enumerate */
#define IDLE_OP_MS 30000       /* a connection that never finishes its request is closed */
#define MAX_PACE_WAIT_NS 50000000L
#define USB_SPEED_FULL 2       /* enum usb_device_speed */

/* ---- the wire format ---- */

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static int malformed(char *why, size_t whylen, const char *msg, uint32_t value)
{
    snprintf(why, whylen, msg, (unsigned)value);
    return -1;
}

int usbip_decode_op(const uint8_t *buf, size_t len, usbip_op *op, char *why, size_t whylen)
{
    if (len < USBIP_OP_HEADER_LEN) return 0;
    uint16_t version = get16(buf);
    memset(op, 0, sizeof(*op));
    op->code = get16(buf + 2);
    if (version != USBIP_VERSION)
        return malformed(why, whylen, "USB/IP version 0x%04x (this server speaks 0x0111)", version);
    if (op->code == USBIP_OP_REQ_DEVLIST) return USBIP_OP_HEADER_LEN;
    if (op->code != USBIP_OP_REQ_IMPORT)
        return malformed(why, whylen, "unknown operation 0x%04x (OP_REQ_DEVLIST 0x8005 and "
                         "OP_REQ_IMPORT 0x8003 are known)", op->code);
    if (len < USBIP_OP_HEADER_LEN + 32) return 0;
    memcpy(op->busid, buf + USBIP_OP_HEADER_LEN, 31);
    op->busid[31] = '\0';
    return USBIP_OP_HEADER_LEN + 32;
}

int usbip_decode_cmd(const uint8_t *buf, size_t len, usbip_cmd *c, char *why, size_t whylen)
{
    if (len < USBIP_HEADER_LEN) return 0;
    memset(c, 0, sizeof(*c));
    c->command = get32(buf);
    c->seqnum = get32(buf + 4);
    c->devid = get32(buf + 8);
    c->direction = get32(buf + 12);
    c->ep = get32(buf + 16);
    if (c->command == USBIP_CMD_UNLINK) {
        c->unlink_seqnum = get32(buf + 20);
        return USBIP_HEADER_LEN;
    }
    if (c->command != USBIP_CMD_SUBMIT)
        return malformed(why, whylen, "unknown command %u (CMD_SUBMIT 1 and CMD_UNLINK 2 are "
                         "known)", c->command);
    c->flags = get32(buf + 20);
    c->length = get32(buf + 24);
    c->start_frame = get32(buf + 28);
    c->npackets = (int32_t)get32(buf + 32);
    c->interval = get32(buf + 36);
    memcpy(c->setup, buf + 40, 8);
    if (c->direction > 1) return malformed(why, whylen, "CMD_SUBMIT with direction %u", c->direction);
    if (c->ep > 15) return malformed(why, whylen, "CMD_SUBMIT to endpoint %u (0-15 exist)", c->ep);
    if (c->length > USBIP_MAX_TRANSFER)
        return malformed(why, whylen, "CMD_SUBMIT of %u bytes (at most 65536 are accepted)", c->length);
    if (c->npackets > USBIP_MAX_ISO_PACKETS || c->npackets < -1)
        return malformed(why, whylen, "CMD_SUBMIT with %u isochronous packets", (uint32_t)c->npackets);
    /* an OUT carries its data, an isochronous URB its packet descriptors */
    size_t need = USBIP_HEADER_LEN + (c->direction == 0 ? c->length : 0) +
                  (c->npackets > 0 ? (size_t)c->npackets * 16 : 0);
    if (len < need) return 0;
    c->payload = buf + USBIP_HEADER_LEN;
    return (int)need;
}

const char *usbip_parse_address(const char *spec, char *host, size_t hostlen, int *port)
{
    static char why[160];
    const char *colon = strrchr(spec, ':');
    const char *p = colon ? colon + 1 : spec;
    size_t hl = colon ? (size_t)(colon - spec) : 0;
    char *end;
    errno = 0;
    long v = *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : -1;
    if (v < 0 || *end || errno || v > 65535) {
        snprintf(why, sizeof(why), "--usbip: bad port '%s' in '%s' (want [ADDR:]PORT, PORT 0-65535)",
                 p, spec);
        return why;
    }
    if (colon && hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']') {   /* [IPv6] */
        spec++;
        hl -= 2;
    }
    if (colon && hl == 0) {
        snprintf(why, sizeof(why), "--usbip: no address before the ':' in '%s'", spec);
        return why;
    }
    if (hl >= hostlen) {
        snprintf(why, sizeof(why), "--usbip: address too long in '%s'", spec);
        return why;
    }
    if (colon) {
        memcpy(host, spec, hl);
        host[hl] = '\0';
    } else {
        snprintf(host, hostlen, "%s", USBIP_DEFAULT_ADDRESS);
    }
    *port = (int)v;
    return NULL;
}

/* ---- connections ---- */

enum { C_FREE = 0, C_OP, C_WAIT_DEVICE, C_IMPORTED, C_CLOSING };

typedef struct {
    uint8_t *p;
    size_t len, cap;
} bytes;

typedef struct {
    int fd;
    int state;
    bytes in, out;
    char peer[80];
    uint64_t since_ps;            /* when it connected or asked to import */
} conn;

/* a URB in the host controller and what its reply needs */
typedef struct {
    usb_urb urb;                  /* first: the controller hands this back */
    uint32_t flags;
    int32_t npackets;
    uint8_t data[];
} pending_urb;

struct usbip_server {
    int listen_fd;
    char where[96];
    usb_hc *hc;
    conn c[MAX_CONNS];
    int importer;                 /* index in c[], or -1 */
    uint64_t now_ps;
    int anchored;                 /* the pacing: modelled time at a wall time */
    uint64_t anchor_ps;
    struct timespec anchor_wall;
};

static void put_bytes(bytes *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) abort();
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void drop_bytes(bytes *b, size_t n)
{
    memmove(b->p, b->p + n, b->len - n);
    b->len -= n;
}

/* writes what can go now; 0 if the connection broke */
static int flush_out(conn *c)
{
    while (c->out.len) {
        ssize_t n = send(c->fd, c->out.p, c->out.len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 1;
        if (n <= 0) return 0;
        drop_bytes(&c->out, (size_t)n);
    }
    return 1;
}

static void close_conn(usbip_server *s, int i)
{
    conn *c = &s->c[i];
    if (c->state == C_FREE) return;
    close(c->fd);
    free(c->in.p);
    free(c->out.p);
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    if (s->importer == i) {
        s->importer = -1;
        sim_note("USB/IP: the importer went away; bus id %s is free again", USBIP_BUSID);
        usb_hc_release(s->hc);   /* its URBs come back cancelled (done frees them) */
    }
}

static void drop_conn(usbip_server *s, int i, const char *why)
{
    sim_warn("USB/IP: %s from %s: connection closed", why, s->c[i].peer);
    close_conn(s, i);
}

/* ---- replies ---- */

static void op_header(uint8_t *h, uint16_t code, uint32_t status)
{
    put16(h, USBIP_VERSION);
    put16(h + 2, code);
    put32(h + 4, status);
}

/* struct usbip_usb_device for the board's port */
static void device_record(const usb_hc *hc, uint8_t d[USBIP_DEVICE_LEN])
{
    const uint8_t *dd = hc->devdesc;
    memset(d, 0, USBIP_DEVICE_LEN);
    snprintf((char *)d, 256, "/sys/devices/platform/picollama-sim/usb1/%s", USBIP_BUSID);
    snprintf((char *)d + 256, 32, "%s", USBIP_BUSID);
    put32(d + 288, 1);                        /* busnum */
    put32(d + 292, (uint32_t)hc->addr);       /* devnum */
    put32(d + 296, USB_SPEED_FULL);
    put16(d + 300, (uint16_t)(dd[8] | dd[9] << 8));
    put16(d + 302, (uint16_t)(dd[10] | dd[11] << 8));
    put16(d + 304, (uint16_t)(dd[12] | dd[13] << 8));
    d[306] = dd[4];
    d[307] = dd[5];
    d[308] = dd[6];
    d[309] = (uint8_t)hc->configuration;
    d[310] = dd[17];
    d[311] = hc->cfg_len > 4 ? hc->cfg[4] : 0;
}

/* the interface triples OP_REP_DEVLIST lists after the device */
static void interface_records(const usb_hc *hc, bytes *out)
{
    int want = hc->cfg_len > 4 ? hc->cfg[4] : 0, n = 0;
    for (int off = 0; off + 9 <= hc->cfg_len && hc->cfg[off] >= 2 && n < want; off += hc->cfg[off]) {
        const uint8_t *d = hc->cfg + off;
        if (d[1] != 4 || d[3] != 0) continue;   /* interfaces, alternate setting 0 */
        uint8_t rec[4] = {d[5], d[6], d[7], 0};
        put_bytes(out, rec, 4);
        n++;
    }
    for (; n < want; n++) put_bytes(out, "\0\0\0\0", 4);
}

static void reply_devlist(usbip_server *s, conn *c)
{
    uint8_t h[12], d[USBIP_DEVICE_LEN];
    int ready = usb_hc_ready(s->hc);
    op_header(h, USBIP_OP_REP_DEVLIST, USBIP_ST_OK);
    put32(h + 8, ready ? 1 : 0);
    put_bytes(&c->out, h, sizeof(h));
    if (ready) {
        device_record(s->hc, d);
        put_bytes(&c->out, d, sizeof(d));
        interface_records(s->hc, &c->out);
    }
}

static void reply_import(usbip_server *s, conn *c, uint32_t status)
{
    uint8_t h[USBIP_OP_HEADER_LEN], d[USBIP_DEVICE_LEN];
    op_header(h, USBIP_OP_REP_IMPORT, status);
    put_bytes(&c->out, h, sizeof(h));
    if (status != USBIP_ST_OK) return;
    device_record(s->hc, d);
    put_bytes(&c->out, d, sizeof(d));
}

static void ret_header(uint8_t *h, uint32_t command, uint32_t seqnum, int32_t status)
{
    memset(h, 0, USBIP_HEADER_LEN);
    put32(h, command);
    put32(h + 4, seqnum);
    put32(h + 20, (uint32_t)status);
}

static int32_t linux_status(const pending_urb *p)
{
    const usb_urb *u = &p->urb;
    switch (u->status) {
    case URB_OK:
        return u->in && (p->flags & USBIP_URB_SHORT_NOT_OK) && u->actual < u->length
                   ? -LINUX_EREMOTEIO : 0;
    case URB_STALL: return -LINUX_EPIPE;
    case URB_BABBLE: return -LINUX_EOVERFLOW;
    case URB_NO_DEVICE: return -LINUX_ENODEV;
    case URB_CANCELLED: return -LINUX_ECONNRESET;
    case URB_INVALID: return -LINUX_EINVAL;
    default: return -LINUX_EPROTO;
    }
}

/* the host controller hands a URB back */
static void urb_done(void *ctx, usb_urb *u)
{
    usbip_server *s = ctx;
    pending_urb *p = (pending_urb *)u;
    if (s->importer >= 0 && u->status != URB_CANCELLED) {
        conn *c = &s->c[s->importer];
        uint8_t h[USBIP_HEADER_LEN];
        ret_header(h, USBIP_RET_SUBMIT, u->tag, linux_status(p));
        put32(h + 24, (uint32_t)u->actual);
        put32(h + 32, (uint32_t)p->npackets);
        put_bytes(&c->out, h, sizeof(h));
        if (u->in && u->actual) put_bytes(&c->out, u->data, (size_t)u->actual);
    }
    free(p);
}

static void device_gone(void *ctx, const char *why)
{
    usbip_server *s = ctx;
    if (s->importer < 0) return;
    int i = s->importer;
    sim_note("USB/IP: the board's USB device left the bus (%s): the importer's connection is "
             "closed", why);
    flush_out(&s->c[i]);
    close_conn(s, i);
}

/* ---- requests ---- */

static int handle_input(usbip_server *s, int i);

static void import(usbip_server *s, int i, const usbip_op *op)
{
    conn *c = &s->c[i];
    if (strcmp(op->busid, USBIP_BUSID) != 0) {
        sim_warn("USB/IP: %s asked to import bus id '%s': only %s is exported", c->peer, op->busid,
                 USBIP_BUSID);
        reply_import(s, c, USBIP_ST_NODEV);
        c->state = C_CLOSING;
        return;
    }
    if (s->importer >= 0) {
        sim_warn("USB/IP: %s asked to import bus id %s, which %s has imported: refused (one "
                 "importer at a time)", c->peer, USBIP_BUSID, s->c[s->importer].peer);
        reply_import(s, c, USBIP_ST_DEV_BUSY);
        c->state = C_CLOSING;
        return;
    }
    c->state = C_WAIT_DEVICE;
    c->since_ps = s->now_ps;
}

/* an import waiting for the device: answered once it is enumerated */
static void finish_import(usbip_server *s, int i)
{
    conn *c = &s->c[i];
    if (usb_hc_ready(s->hc) && s->importer < 0) {
        s->importer = i;
        c->state = C_IMPORTED;
        reply_import(s, c, USBIP_ST_OK);
        sim_note("USB/IP: %s imported bus id %s", c->peer, USBIP_BUSID);
        if (c->in.len) handle_input(s, i);   /* requests that came with the import */
        return;
    }
    if (s->now_ps - c->since_ps < IMPORT_WAIT_MS * PS_PER_MS) return;
    sim_warn("USB/IP: %s asked to import bus id %s, but the board's USB device has not enumerated "
             "in %d ms (%s): refused", c->peer, USBIP_BUSID, IMPORT_WAIT_MS, usb_hc_status(s->hc));
    reply_import(s, c, USBIP_ST_DEV_ERR);
    c->state = C_CLOSING;
}

static void submit(usbip_server *s, const usbip_cmd *cmd)
{
    size_t n = cmd->length;
    pending_urb *p = malloc(sizeof(*p) + (n ? n : 1));
    if (!p) abort();
    memset(p, 0, sizeof(*p));
    usb_urb *u = &p->urb;
    u->tag = cmd->seqnum;
    u->ep = (int)cmd->ep;
    u->in = cmd->direction == 1;
    memcpy(u->setup, cmd->setup, 8);
    u->zero_packet = (cmd->flags & USBIP_URB_ZERO_PACKET) != 0;
    u->interval = (int)cmd->interval;
    u->data = p->data;
    u->length = (int)n;
    if (!u->in && n) memcpy(p->data, cmd->payload, n);
    p->flags = cmd->flags;
    p->npackets = cmd->npackets;
    if (cmd->npackets > 0) {   /* isochronous: the board has no such endpoint */
        u->status = URB_INVALID;
        urb_done(s, u);
        return;
    }
    usb_hc_submit(s->hc, u);
}

static void unlink_urb(usbip_server *s, conn *c, const usbip_cmd *cmd)
{
    usb_urb *u = usb_hc_unlink(s->hc, cmd->unlink_seqnum);
    uint8_t h[USBIP_HEADER_LEN];
    /* -ECONNRESET: taken back, no RET_SUBMIT follows; 0: it had completed */
    ret_header(h, USBIP_RET_UNLINK, cmd->seqnum, u ? -LINUX_ECONNRESET : 0);
    put_bytes(&c->out, h, sizeof(h));
    free(u);   /* pending_urb starts with the urb */
}

/* handles the complete messages in c's input; 0 if the connection must go */
static int handle_input(usbip_server *s, int i)
{
    conn *c = &s->c[i];
    char why[200];
    for (;;) {
        int n;
        if (c->state == C_OP) {
            usbip_op op;
            n = usbip_decode_op(c->in.p, c->in.len, &op, why, sizeof(why));
            if (n > 0) {
                if (op.code == USBIP_OP_REQ_DEVLIST) {
                    reply_devlist(s, c);
                    c->state = C_CLOSING;
                } else {
                    import(s, i, &op);
                }
            }
        } else if (c->state == C_IMPORTED) {
            usbip_cmd cmd;
            n = usbip_decode_cmd(c->in.p, c->in.len, &cmd, why, sizeof(why));
            if (n > 0) {
                if (cmd.command == USBIP_CMD_SUBMIT) submit(s, &cmd);
                else unlink_urb(s, c, &cmd);
            }
        } else {
            /* nothing is expected before the reply; after a final one,
             * whatever comes is ignored */
            if (c->state == C_CLOSING) c->in.len = 0;
            return 1;
        }
        if (n < 0) {
            drop_conn(s, i, why);
            return 0;
        }
        if (n == 0) return 1;
        drop_bytes(&c->in, (size_t)n);
    }
}

static void read_conn(usbip_server *s, int i)
{
    conn *c = &s->c[i];
    uint8_t buf[16384];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n <= 0) {
            if (c->in.len && c->state != C_CLOSING)
                sim_warn("USB/IP: %s closed the connection in the middle of a message (%zu bytes "
                         "of it came)", c->peer, c->in.len);
            close_conn(s, i);
            return;
        }
        put_bytes(&c->in, buf, (size_t)n);
        if (!handle_input(s, i)) return;
    }
}

static void accept_conn(usbip_server *s)
{
    struct sockaddr_storage a;
    socklen_t alen = sizeof(a);
    int fd = accept(s->listen_fd, (struct sockaddr *)&a, &alen);
    if (fd < 0) return;
    char host[64] = "?", serv[16] = "?";
    getnameinfo((struct sockaddr *)&a, alen, host, sizeof(host), serv, sizeof(serv),
                NI_NUMERICHOST | NI_NUMERICSERV);
    int i = 0;
    while (i < MAX_CONNS && s->c[i].state != C_FREE) i++;
    if (i == MAX_CONNS) {
        sim_warn("USB/IP: a connection from %s:%s is closed: %d are open already", host, serv,
                 MAX_CONNS);
        close(fd);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    conn *c = &s->c[i];
    memset(c, 0, sizeof(*c));
    c->fd = fd;
    c->state = C_OP;
    c->since_ps = s->now_ps;
    snprintf(c->peer, sizeof(c->peer), "%s:%s", host, serv);
    sim_info("USB/IP: connection from %s", c->peer);
}

/* ---- the server ---- */

usbip_server *usbip_open(const char *host, int port, usb_hc *hc, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    int rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "--usbip: cannot use address '%s': %s", host, gai_strerror(rc));
        return NULL;
    }
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    int one = 1;
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, MAX_CONNS) != 0) {
        int e = errno;
        snprintf(err, errlen, "--usbip: cannot listen on %s:%d: %s%s", host, port, strerror(e),
                 e == EADDRINUSE ? " (another picollama-sim --usbip or a usbipd has that port; "
                                   "pick another with --usbip ADDR:PORT)" : "");
        if (fd >= 0) close(fd);
        freeaddrinfo(res);
        return NULL;
    }
    freeaddrinfo(res);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    usbip_server *s = calloc(1, sizeof(*s));
    if (!s) abort();
    s->listen_fd = fd;
    s->hc = hc;
    s->importer = -1;
    for (int i = 0; i < MAX_CONNS; i++) s->c[i].fd = -1;
    struct sockaddr_storage a;
    socklen_t alen = sizeof(a);
    char h[64] = "?", serv[16] = "?";
    if (getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
        getnameinfo((struct sockaddr *)&a, alen, h, sizeof(h), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(s->where, sizeof(s->where), strchr(h, ':') ? "[%s]:%s" : "%s:%s", h, serv);
    usb_hc_set_client(hc, (usb_hc_client){s, urb_done, device_gone});
    return s;
}

const char *usbip_where(const usbip_server *s) { return s->where; }

/* how long to wait for the wall clock to catch up with modelled time (ns) */
static long pace(usbip_server *s, uint64_t now_ps)
{
    struct timespec w;
    clock_gettime(CLOCK_MONOTONIC, &w);
    if (!s->anchored || now_ps < s->anchor_ps) {
        s->anchored = 1;
        s->anchor_ps = now_ps;
        s->anchor_wall = w;
        return 0;
    }
    int64_t wall_ns = (int64_t)(w.tv_sec - s->anchor_wall.tv_sec) * 1000000000 +
                      (w.tv_nsec - s->anchor_wall.tv_nsec);
    int64_t modelled_ns = (int64_t)((now_ps - s->anchor_ps) / 1000);
    if (modelled_ns <= wall_ns) {   /* behind: run as fast as we can, from here */
        s->anchor_ps = now_ps;
        s->anchor_wall = w;
        return 0;
    }
    int64_t ahead = modelled_ns - wall_ns;
    return ahead > MAX_PACE_WAIT_NS ? MAX_PACE_WAIT_NS : (long)ahead;
}

static void serve_waiting(usbip_server *s)
{
    for (int i = 0; i < MAX_CONNS; i++) {
        conn *c = &s->c[i];
        if (c->state == C_WAIT_DEVICE) finish_import(s, i);
        if ((c->state == C_OP || c->state == C_CLOSING) &&
            s->now_ps - c->since_ps > IDLE_OP_MS * PS_PER_MS) {
            drop_conn(s, i, c->state == C_OP ? "no complete request in 30 s" :
                                               "the reply was not read in 30 s");
            continue;
        }
        if (c->state != C_FREE && c->out.len && !flush_out(c)) {
            close_conn(s, i);
            continue;
        }
        /* a DEVLIST or a refused IMPORT: the connection ends with the reply */
        if (c->state == C_CLOSING && !c->out.len) close_conn(s, i);
    }
}

void usbip_poll(usbip_server *s, uint64_t now_ps)
{
    s->now_ps = now_ps;
    long wait_ns = pace(s, now_ps);
    struct pollfd fds[MAX_CONNS + 1];
    int idx[MAX_CONNS + 1], n = 0;
    fds[n] = (struct pollfd){s->listen_fd, POLLIN, 0};
    idx[n++] = -1;
    for (int i = 0; i < MAX_CONNS; i++) {
        if (s->c[i].state == C_FREE) continue;
        fds[n] = (struct pollfd){s->c[i].fd, (short)(POLLIN | (s->c[i].out.len ? POLLOUT : 0)), 0};
        idx[n++] = i;
    }
    struct timespec ts = {0, wait_ns};
    int r = ppoll(fds, (nfds_t)n, &ts, NULL);
    if (r > 0) {
        for (int k = 1; k < n; k++)
            if (fds[k].revents && s->c[idx[k]].state != C_FREE) read_conn(s, idx[k]);
        if (fds[0].revents & POLLIN) accept_conn(s);
    }
    serve_waiting(s);
}

void usbip_close(usbip_server *s)
{
    if (!s) return;
    for (int i = 0; i < MAX_CONNS; i++) {
        if (s->c[i].state == C_FREE) continue;
        flush_out(&s->c[i]);
        close_conn(s, i);
    }
    close(s->listen_fd);
    usb_hc_set_client(s->hc, (usb_hc_client){NULL, NULL, NULL});
    free(s);
}
