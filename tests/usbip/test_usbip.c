/* test_usbip.c - the USB/IP side of picollama-sim --usbip without a Linux
 * guest: the decoders against short, malformed and oversized input; the
 * [ADDR:]PORT parser; then a running simulator with the real firmware,
 * driven over TCP as vhci_hcd drives it: the device list, an import, the
 * descriptors, SET_ADDRESS answered by the host controller, the console
 * over bulk IN/OUT, an unlink, a second importer refused, malformed
 * messages closing only their own connection, a re-import after the
 * importer went away, and the command line's errors (bad port, port in
 * use). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "firmware_session.h"
#include "proc.h"
#include "usbip.h"

/* ---- the decoders ---- */

static void be32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void op_request(uint8_t *b, uint16_t version, uint16_t code)
{
    memset(b, 0, 40);
    b[0] = (uint8_t)(version >> 8); b[1] = (uint8_t)version;
    b[2] = (uint8_t)(code >> 8); b[3] = (uint8_t)code;
}

static void decode_op_rejects_what_is_not_a_request(void **state)
{
    (void)state;
    uint8_t b[64];
    usbip_op op;
    char why[200];
    op_request(b, USBIP_VERSION, USBIP_OP_REQ_DEVLIST);
    assert_int_equal(usbip_decode_op(b, 7, &op, why, sizeof(why)), 0);   /* short header: wait */
    assert_int_equal(usbip_decode_op(b, 8, &op, why, sizeof(why)), 8);
    op_request(b, 0x0106, USBIP_OP_REQ_DEVLIST);
    assert_int_equal(usbip_decode_op(b, 8, &op, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "version 0x0106"));
    op_request(b, USBIP_VERSION, 0x8099);
    assert_int_equal(usbip_decode_op(b, 8, &op, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "unknown operation 0x8099"));
    op_request(b, USBIP_VERSION, USBIP_OP_REQ_IMPORT);
    memset(b + 8, 'A', 32);   /* a bus id with no NUL */
    assert_int_equal(usbip_decode_op(b, 39, &op, why, sizeof(why)), 0);
    assert_int_equal(usbip_decode_op(b, 40, &op, why, sizeof(why)), 40);
    assert_int_equal(strlen(op.busid), 31);
}

static void submit_header(uint8_t *b, uint32_t dir, uint32_t ep, uint32_t len, int32_t npackets)
{
    memset(b, 0, USBIP_HEADER_LEN);
    be32(b, USBIP_CMD_SUBMIT);
    be32(b + 4, 7);
    be32(b + 12, dir);
    be32(b + 16, ep);
    be32(b + 24, len);
    be32(b + 32, (uint32_t)npackets);
}

static void decode_cmd_rejects_what_is_not_a_command(void **state)
{
    (void)state;
    static uint8_t b[USBIP_HEADER_LEN + USBIP_MAX_TRANSFER + 64];
    usbip_cmd c;
    char why[200];
    submit_header(b, 0, 2, 6, 0);
    assert_int_equal(usbip_decode_cmd(b, 47, &c, why, sizeof(why)), 0);
    assert_int_equal(usbip_decode_cmd(b, 50, &c, why, sizeof(why)), 0);   /* OUT data not all there */
    assert_int_equal(usbip_decode_cmd(b, 54, &c, why, sizeof(why)), 54);
    submit_header(b, 1, 2, 128, 0);                                       /* IN: no data follows */
    assert_int_equal(usbip_decode_cmd(b, 48, &c, why, sizeof(why)), 48);
    be32(b, 9);
    assert_int_equal(usbip_decode_cmd(b, 48, &c, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "unknown command 9"));
    submit_header(b, 1, 16, 8, 0);
    assert_int_equal(usbip_decode_cmd(b, 48, &c, why, sizeof(why)), -1);
    submit_header(b, 2, 1, 8, 0);
    assert_int_equal(usbip_decode_cmd(b, 48, &c, why, sizeof(why)), -1);
    submit_header(b, 0, 2, USBIP_MAX_TRANSFER + 1, 0);                    /* oversized */
    assert_int_equal(usbip_decode_cmd(b, sizeof(b), &c, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "bytes"));
    submit_header(b, 0, 2, 0xFFFFFFFFu, 0);
    assert_int_equal(usbip_decode_cmd(b, sizeof(b), &c, why, sizeof(why)), -1);
    submit_header(b, 1, 2, 8, 5000);                                      /* iso packets */
    assert_int_equal(usbip_decode_cmd(b, sizeof(b), &c, why, sizeof(why)), -1);
    submit_header(b, 1, 2, 8, 2);                                         /* their descriptors follow */
    assert_int_equal(usbip_decode_cmd(b, 48 + 31, &c, why, sizeof(why)), 0);
    assert_int_equal(usbip_decode_cmd(b, 48 + 32, &c, why, sizeof(why)), 48 + 32);
    memset(b, 0, 48);
    be32(b, USBIP_CMD_UNLINK);
    be32(b + 20, 5);
    assert_int_equal(usbip_decode_cmd(b, 48, &c, why, sizeof(why)), 48);
    assert_int_equal(c.unlink_seqnum, 5);
}

static void address_parser(void **state)
{
    (void)state;
    char host[64];
    int port = -1;
    assert_null(usbip_parse_address("3240", host, sizeof(host), &port));
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 3240);
    assert_null(usbip_parse_address("0.0.0.0:0", host, sizeof(host), &port));
    assert_string_equal(host, "0.0.0.0");
    assert_int_equal(port, 0);
    assert_null(usbip_parse_address("[::1]:3241", host, sizeof(host), &port));
    assert_string_equal(host, "::1");
    assert_non_null(usbip_parse_address("65536", host, sizeof(host), &port));
    assert_non_null(usbip_parse_address("localhost:", host, sizeof(host), &port));
    assert_non_null(usbip_parse_address(":3240", host, sizeof(host), &port));
    assert_non_null(usbip_parse_address("127.0.0.1:32x", host, sizeof(host), &port));
    assert_non_null(strstr(usbip_parse_address("-5", host, sizeof(host), &port), "bad port '-5'"));
}

/* ---- a running simulator ---- */

typedef struct {
    pid_t pid;
    int err_fd;            /* its stderr */
    char err[65536];
    size_t err_len;
    int port;
} sim_proc;

/* reads what the simulator said until it contains text (0 after 60 s) */
static int sim_wait_for(sim_proc *s, const char *text)
{
    time_t end = time(NULL) + 60;
    while (!strstr(s->err, text)) {
        struct pollfd p = {s->err_fd, POLLIN, 0};
        if (time(NULL) > end || poll(&p, 1, 1000) < 0) return 0;
        if (!(p.revents & (POLLIN | POLLHUP))) continue;
        ssize_t n = read(s->err_fd, s->err + s->err_len, sizeof(s->err) - 1 - s->err_len);
        if (n <= 0) return 0;
        s->err_len += (size_t)n;
        s->err[s->err_len] = '\0';
    }
    return 1;
}

static void sim_start(sim_proc *s, const char *address)
{
    memset(s, 0, sizeof(*s));
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        dup2(fds[1], 2);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        close(fds[0]);
        execl(PICOSIM_BIN, PICOSIM_BIN, "-v", "--usbip", address, FIRMWARE_UF2, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    s->err_fd = fds[0];
    if (!sim_wait_for(s, "exported at 127.0.0.1:")) fail_msg("the simulator does not listen:\n%s", s->err);
    s->port = atoi(strstr(s->err, "exported at 127.0.0.1:") + strlen("exported at 127.0.0.1:"));
}

static void sim_stop(sim_proc *s)
{
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    close(s->err_fd);
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    return fd;
}

static void send_all(int fd, const void *p, size_t n) { assert_int_equal(send(fd, p, n, 0), (ssize_t)n); }

/* n bytes within 60 s; 0 if the server closed the connection first */
static int recv_all(int fd, void *p, size_t n)
{
    size_t got = 0;
    time_t end = time(NULL) + 60;
    while (got < n) {
        struct pollfd q = {fd, POLLIN, 0};
        if (time(NULL) > end) fail_msg("no answer in 60 s");
        if (poll(&q, 1, 1000) <= 0) continue;
        ssize_t r = recv(fd, (char *)p + got, n - got, 0);
        if (r <= 0) return 0;
        got += (size_t)r;
    }
    return 1;
}

static uint32_t import_bus(int fd, const char *busid, uint8_t device[USBIP_DEVICE_LEN])
{
    uint8_t b[40], h[8];
    op_request(b, USBIP_VERSION, USBIP_OP_REQ_IMPORT);
    snprintf((char *)b + 8, 32, "%s", busid);
    send_all(fd, b, 40);
    assert_true(recv_all(fd, h, 8));
    uint32_t status = rd32(h + 4);
    if (status == 0) assert_true(recv_all(fd, device, USBIP_DEVICE_LEN));
    return status;
}

static uint32_t seqnum = 100;
static uint8_t is_in[4096];   /* by seqnum: the URB was an IN (its RET_SUBMIT carries data) */

static uint32_t submit(int fd, uint32_t dir, uint32_t ep, const uint8_t setup[8], const void *out,
                       uint32_t len)
{
    uint8_t h[USBIP_HEADER_LEN];
    submit_header(h, dir, ep, len, 0);
    be32(h + 4, ++seqnum);
    be32(h + 8, 0x00010002);
    if (setup) memcpy(h + 40, setup, 8);
    send_all(fd, h, sizeof(h));
    if (dir == 0 && len) send_all(fd, out, len);
    is_in[seqnum % 4096] = dir == 1;
    return seqnum;
}

typedef struct {
    uint32_t command, seqnum;
    int32_t status;
    uint32_t actual;
    uint8_t data[4096];
} reply;

static void next_reply(int fd, reply *r)
{
    uint8_t h[USBIP_HEADER_LEN];
    assert_true(recv_all(fd, h, sizeof(h)));
    r->command = rd32(h);
    r->seqnum = rd32(h + 4);
    r->status = (int32_t)rd32(h + 20);
    r->actual = r->command == USBIP_RET_SUBMIT ? rd32(h + 24) : 0;
    if (r->command == USBIP_RET_SUBMIT && is_in[r->seqnum % 4096] && r->actual) {
        assert_true(r->actual <= sizeof(r->data));
        assert_true(recv_all(fd, r->data, r->actual));
    }
}

/* a control transfer; returns the reply (IN data in r->data) */
static void control(int fd, reply *r, uint8_t type, uint8_t req, uint16_t value, uint16_t index,
                    uint16_t length, const void *out)
{
    const uint8_t setup[8] = {type, req, (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)index,
                              (uint8_t)(index >> 8), (uint8_t)length, (uint8_t)(length >> 8)};
    uint32_t seq = submit(fd, (type & 0x80) ? 1 : 0, 0, setup, out, length);
    next_reply(fd, r);
    assert_int_equal(r->command, USBIP_RET_SUBMIT);
    assert_int_equal(r->seqnum, seq);
}

#define EP_BULK 2   /* the firmware's CDC data endpoints: 0x82 IN, 0x02 OUT */

/* console text read with IN URBs (four kept pending) until it contains
 * text; OUT completions are consumed on the way */
static void read_console_until(int fd, const char *text, char *buf, size_t cap)
{
    static uint32_t pending[4];
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (!pending[i]) pending[i] = submit(fd, 1, EP_BULK, NULL, NULL, 128);
    while (!strstr(buf, text)) {
        reply r;
        next_reply(fd, &r);
        assert_int_equal(r.command, USBIP_RET_SUBMIT);
        for (int i = 0; i < 4; i++)
            if (pending[i] == r.seqnum) {
                assert_int_equal(r.status, 0);
                if (len + r.actual >= cap) len = 0;   /* only the end matters */
                memcpy(buf + len, r.data, r.actual);
                len += r.actual;
                buf[len] = '\0';
                pending[i] = submit(fd, 1, EP_BULK, NULL, NULL, 128);
            }
    }
}

static void server_with_the_firmware(void **state)
{
    (void)state;
    sim_proc s;
    sim_start(&s, "127.0.0.1:0");

    /* a malformed request closes its connection (and only that one) */
    int bad = connect_to(s.port);
    uint8_t b[64];
    op_request(b, 0x0100, USBIP_OP_REQ_DEVLIST);
    send_all(bad, b, 8);
    assert_false(recv_all(bad, b, 1));
    close(bad);
    assert_true(sim_wait_for(&s, "USB/IP version 0x0100 (this server speaks 0x0111) from 127.0.0.1:"));
    bad = connect_to(s.port);
    send_all(bad, b, 5);   /* a short header, then the end */
    shutdown(bad, SHUT_WR);
    assert_false(recv_all(bad, b, 1));
    close(bad);
    assert_true(sim_wait_for(&s, "closed the connection in the middle of a message (5 bytes"));

    /* the import waits for the device to enumerate */
    int fd = connect_to(s.port);
    uint8_t dev[USBIP_DEVICE_LEN];
    assert_int_equal(import_bus(fd, "1-1", dev), USBIP_ST_OK);
    assert_string_equal((char *)dev + 256, "1-1");
    assert_int_equal(rd32(dev + 296), 2);                 /* full speed */
    assert_int_equal(dev[300] << 8 | dev[301], 0x2E8A);   /* idVendor */

    /* a second importer is refused, the first keeps the device */
    int second = connect_to(s.port);
    assert_int_equal(import_bus(second, "1-1", dev), USBIP_ST_DEV_BUSY);
    assert_false(recv_all(second, b, 1));
    close(second);
    assert_true(sim_wait_for(&s, "refused (one importer at a time)"));
    second = connect_to(s.port);
    assert_int_equal(import_bus(second, "2-1", dev), USBIP_ST_NODEV);
    close(second);

    /* enumeration as Linux does it: SET_ADDRESS never reaches the device */
    reply r;
    control(fd, &r, 0x80, 6, 0x0100, 0, 64, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.actual, 18);
    assert_int_equal(r.data[1], 1);
    control(fd, &r, 0x00, 5, 9, 0, 0, NULL);
    assert_int_equal(r.status, 0);
    control(fd, &r, 0x80, 6, 0x0100, 0, 18, NULL);        /* still at the controller's address */
    assert_int_equal(r.actual, 18);
    control(fd, &r, 0x80, 6, 0x0200, 0, 255, NULL);
    assert_true(r.actual > 9 && r.actual == (uint32_t)(r.data[2] | r.data[3] << 8));
    control(fd, &r, 0x00, 9, 1, 0, 0, NULL);              /* SET_CONFIGURATION 1 */
    assert_int_equal(r.status, 0);
    control(fd, &r, 0x80, 6, 0x0600, 0, 10, NULL);        /* DEVICE_QUALIFIER: a full-speed device STALLs */
    assert_int_equal(r.status, -32);
    control(fd, &r, 0x21, 0x22, 3, 0, 0, NULL);           /* SET_CONTROL_LINE_STATE(DTR|RTS) */
    assert_int_equal(r.status, 0);

    /* the console: the banner and the story come in, /help goes out */
    static char console[65536];
    read_console_until(fd, "tok/s ---", console, sizeof(console));
    submit(fd, 0, EP_BULK, NULL, "/help\r", 6);
    read_console_until(fd, "Ctrl-U (line) edit", console, sizeof(console));

    /* an unlinked URB is taken back: RET_UNLINK -ECONNRESET, no RET_SUBMIT */
    uint8_t setup_in[8] = {0};
    uint32_t victim = submit(fd, 1, 1, setup_in, NULL, 16);   /* the notification endpoint: pending */
    uint8_t u[USBIP_HEADER_LEN] = {0};
    be32(u, USBIP_CMD_UNLINK);
    be32(u + 4, ++seqnum);
    be32(u + 20, victim);
    send_all(fd, u, sizeof(u));
    for (;;) {
        next_reply(fd, &r);
        assert_int_not_equal(r.seqnum, victim);
        if (r.command == USBIP_RET_UNLINK) break;
    }
    assert_int_equal(r.seqnum, seqnum);
    assert_int_equal(r.status, -104);

    /* the importer goes away: the device is reset and can be imported again */
    close(fd);
    assert_true(sim_wait_for(&s, "bus id 1-1 is free again"));
    fd = connect_to(s.port);
    assert_int_equal(import_bus(fd, "1-1", dev), USBIP_ST_OK);
    control(fd, &r, 0x80, 6, 0x0100, 0, 18, NULL);
    assert_int_equal(r.actual, 18);
    close(fd);
    sim_stop(&s);
}

static void command_line_errors(void **state)
{
    (void)state;
    sim_proc s;
    sim_start(&s, "127.0.0.1:0");
    char spec[32];
    snprintf(spec, sizeof(spec), "127.0.0.1:%d", s.port);
    char *in_use[] = {PICOSIM_BIN, "--usbip", spec, FIRMWARE_UF2, NULL};
    proc_result r;
    assert_true(proc_run(in_use, NULL, 60, &r));
    assert_int_equal(r.exit_code, 3);
    assert_non_null(strstr(r.err, "Address already in use (another picollama-sim --usbip or a usbipd"));
    proc_free(&r);
    sim_stop(&s);
    char *bad_port[] = {PICOSIM_BIN, "--usbip", "127.0.0.1:70000", FIRMWARE_UF2, NULL};
    assert_true(proc_run(bad_port, NULL, 60, &r));
    assert_int_equal(r.exit_code, 3);
    assert_non_null(strstr(r.err, "--usbip: bad port '70000'"));
    proc_free(&r);
    char *steps[] = {PICOSIM_BIN, "--usbip", "--expect", "x", FIRMWARE_UF2, NULL};
    assert_true(proc_run(steps, NULL, 60, &r));
    assert_int_equal(r.exit_code, 3);
    assert_non_null(strstr(r.err, "--expect and --send have nothing to act on"));
    proc_free(&r);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_op_rejects_what_is_not_a_request),
        cmocka_unit_test(decode_cmd_rejects_what_is_not_a_command),
        cmocka_unit_test(address_parser),
        cmocka_unit_test(server_with_the_firmware),
        cmocka_unit_test(command_line_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
