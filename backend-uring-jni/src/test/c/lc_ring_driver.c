/*
 * Drives the shim's core (lc_ring.c, no JNI) through everything the Java engine does, built by
 * NativeSanitizerTest with -fsanitize=address,undefined (and LeakSanitizer) so that any
 * out-of-bounds access, use after free, leak or undefined behaviour in the native code fails the
 * build. Prints "OK" and exits 0 when every check passed.
 *
 * usage: lc_ring_driver <scratch directory>
 */
#define _GNU_SOURCE
#include "lc_ring.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__);  \
			fprintf(stderr, __VA_ARGS__);                           \
			fprintf(stderr, "\n");                                  \
			failures++;                                             \
		}                                                               \
	} while (0)

struct ring {
	struct lc_ring *r;
	struct lc_ring_info info;
	unsigned n; /* SQEs staged for the next call */
};

static struct io_uring_sqe *stage(struct ring *g)
{
	struct io_uring_sqe *sqe = (struct io_uring_sqe *)((char *)g->info.sqe_stage + (size_t)g->n * 64);

	memset(sqe, 0, sizeof(*sqe));
	g->n++;
	return sqe;
}

/* Submits what is staged and collects completions until `want` arrived; returns them in out. */
static int run(struct ring *g, unsigned want, struct io_uring_cqe *out, unsigned out_len)
{
	unsigned got = 0;
	int guard = 0;

	while (got < want && guard++ < 1000) {
		int c = lc_ring_submit_and_reap(g->r, g->n, want - got);
		struct io_uring_cqe *cq = g->info.cqe_out;

		g->n = 0;
		if (c < 0)
			return c;
		for (int i = 0; i < c && got < out_len; i++)
			out[got++] = cq[i];
	}
	return (int)got;
}

static const struct io_uring_cqe *find(const struct io_uring_cqe *c, int n, uint64_t ud)
{
	for (int i = 0; i < n; i++)
		if (c[i].user_data == ud)
			return &c[i];
	return NULL;
}

static void create_destroy_cycles(void)
{
	unsigned flag_sets[] = {
		0,
		IORING_SETUP_CQSIZE,
		IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN,
		IORING_SETUP_SQPOLL,
	};
	for (int i = 0; i < 200; i++) {
		struct lc_ring *r = NULL;
		struct lc_ring_info info;
		unsigned flags = flag_sets[i % 5];
		int ret = lc_ring_create(8, 32, flags, 10, 0, &r, &info);

		CHECK(ret == 0, "create with flags %#x: %d", flags, ret);
		if (ret == 0) {
			CHECK(info.flags == flags, "asked %#x, kernel kept %#x", flags, info.flags);
			CHECK(info.ctl->sq_space == info.sq_entries, "a new ring has all SQ space");
			lc_ring_destroy(r);
		}
	}
	CHECK(lc_ring_create(0, 0, 0, 0, 0, NULL, NULL) == -EINVAL, "bad arguments are refused");
	lc_ring_destroy(NULL);
}

static void io_round_trip(const char *dir)
{
	struct ring g = {0};
	struct io_uring_cqe cqes[64];
	char path[4096];
	uint8_t ops[256];
	void *pool = NULL;
	char *wbuf, *rbuf, *vbuf;
	struct iovec reg, iov[3];
	struct statx stx;
	uint64_t wake_val = 0;
	int fd, ret, n;

	ret = lc_ring_create(16, 64, IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER |
			     IORING_SETUP_DEFER_TASKRUN, 0, 0, &g.r, &g.info);
	CHECK(ret == 0, "create: %d", ret);
	if (ret)
		return;
	ret = lc_ring_probe(g.r, ops, sizeof(ops));
	CHECK(ret > 0 && ops[IORING_OP_READ] && ops[IORING_OP_WRITE_FIXED], "probe: %d", ret);

	CHECK(posix_memalign(&pool, 4096, 1 << 20) == 0, "pool");
	memset(pool, 0, 1 << 20);
	reg.iov_base = pool;
	reg.iov_len = 1 << 20;
	CHECK(lc_ring_register_buffers(g.r, &reg, 1) == 0, "register buffers");
	CHECK(lc_ring_register_buffers(g.r, &reg, 1) == -EINVAL, "registering twice is refused");
	CHECK(lc_ring_register_files(g.r, 16) == 0, "register files");

	snprintf(path, sizeof(path), "%s/driver-%d.dat", dir, (int)getpid());
	fd = lc_open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0, "open %s: %d", path, fd);
	if (fd < 0)
		goto out;

	/* install the fd in fixed slot 3 */
	{
		int fds[1] = {fd};
		struct io_uring_sqe *s = stage(&g);

		s->opcode = IORING_OP_FILES_UPDATE;
		s->fd = -1;
		s->off = 3;
		s->addr = (uintptr_t)fds;
		s->len = 1;
		s->user_data = 1;
		n = run(&g, 1, cqes, 64);
		CHECK(n == 1 && cqes[0].res == 1, "files update: %d %d", n, n > 0 ? cqes[0].res : 0);
	}

	/* WRITE_FIXED linked to FSYNC(DATASYNC) on the fixed slot */
	wbuf = pool;
	for (int i = 0; i < 4096; i++)
		wbuf[i] = (char)(i * 7);
	{
		struct io_uring_sqe *w = stage(&g), *s;

		w->opcode = IORING_OP_WRITE_FIXED;
		w->flags = IOSQE_FIXED_FILE | IOSQE_IO_LINK;
		w->fd = 3;
		w->addr = (uintptr_t)wbuf;
		w->len = 4096;
		w->buf_index = 0;
		w->user_data = 10;
		s = stage(&g);
		s->opcode = IORING_OP_FSYNC;
		s->flags = IOSQE_FIXED_FILE;
		s->fd = 3;
		s->fsync_flags = IORING_FSYNC_DATASYNC;
		s->user_data = 11;
		n = run(&g, 2, cqes, 64);
		CHECK(n == 2 && find(cqes, n, 10) && find(cqes, n, 10)->res == 4096 && find(cqes, n, 11)
		      && find(cqes, n, 11)->res == 0, "write+fsync: %d", n);
	}

	/* READ (plain) back and compare; WRITEV of three pieces after it */
	rbuf = (char *)pool + 8192;
	vbuf = (char *)pool + 16384;
	for (int i = 0; i < 3; i++) {
		memset(vbuf + i * 100, 'a' + i, 100);
		iov[i].iov_base = vbuf + i * 100;
		iov[i].iov_len = 100;
	}
	{
		struct io_uring_sqe *r = stage(&g), *v;

		r->opcode = IORING_OP_READ;
		r->fd = fd;
		r->addr = (uintptr_t)rbuf;
		r->len = 4096;
		r->user_data = 20;
		v = stage(&g);
		v->opcode = IORING_OP_WRITEV;
		v->fd = fd;
		v->off = 4096;
		v->addr = (uintptr_t)iov;
		v->len = 3;
		v->user_data = 21;
		n = run(&g, 2, cqes, 64);
		CHECK(n == 2 && find(cqes, n, 20) && find(cqes, n, 20)->res == 4096, "read");
		CHECK(n == 2 && find(cqes, n, 21) && find(cqes, n, 21)->res == 300, "writev");
		CHECK(memcmp(rbuf, wbuf, 4096) == 0, "read back what was written");
	}

	/* STATX with AT_EMPTY_PATH on the real fd */
	{
		struct io_uring_sqe *s = stage(&g);

		memset(&stx, 0, sizeof(stx));
		s->opcode = IORING_OP_STATX;
		s->fd = fd;
		s->addr = (uintptr_t)"";
		s->len = STATX_SIZE;
		s->statx_flags = AT_EMPTY_PATH;
		s->off = (uintptr_t)&stx;
		s->user_data = 30;
		n = run(&g, 1, cqes, 64);
		CHECK(n == 1 && cqes[0].res == 0 && stx.stx_size == 4396, "statx size %llu", (unsigned long long)stx.stx_size);
	}

	/* the wake-up read: armed, then completed by lc_ring_wake from outside */
	{
		struct io_uring_sqe *s = stage(&g);

		s->opcode = IORING_OP_READ;
		s->fd = g.info.wake_fd;
		s->addr = (uintptr_t)&wake_val;
		s->len = 8;
		s->user_data = 40;
		ret = lc_ring_submit_and_reap(g.r, g.n, 0);
		g.n = 0;
		CHECK(ret == 0, "nothing completes before the wake: %d", ret);
		CHECK(lc_ring_wake(g.r) == 0, "wake");
		n = run(&g, 1, cqes, 64);
		CHECK(n == 1 && cqes[0].user_data == 40 && cqes[0].res == 8 && wake_val == 1, "wake read: %d", n);
	}

	/* more NOPs than fit in one CQE copy are all delivered, in two calls at most */
	for (int i = 0; i < 16; i++) {
		struct io_uring_sqe *s = stage(&g);

		s->opcode = IORING_OP_NOP;
		s->user_data = 100 + (uint64_t)i;
	}
	n = run(&g, 16, cqes, 64);
	CHECK(n == 16, "16 NOPs: %d", n);

	/* staging more than the SQ holds is refused before anything is touched */
	/* one call waits for all 8 NOPs of its batch */
	for (int i = 0; i < 8; i++) {
		struct io_uring_sqe *s = stage(&g);

		s->opcode = IORING_OP_NOP;
		s->user_data = 200 + (uint64_t)i;
	}
	ret = lc_ring_submit_and_reap(g.r, g.n, 8);
	g.n = 0;
	CHECK(ret == 8, "waiting for 8 NOPs: %d", ret);

	CHECK(lc_ring_submit_and_reap(g.r, g.info.sq_entries + 1, 0) == -EINVAL, "too many SQEs");
	CHECK(g.info.ctl->enters > 0, "enters are counted");

	/* the blocking fallbacks */
	CHECK(lc_ftruncate(fd, 100) == 0, "ftruncate");
	CHECK(lc_file_size(fd) == 100, "size after ftruncate");
	CHECK(lc_fallocate(fd, 0, 0, 8192) == 0, "fallocate");
	CHECK(lc_file_size(fd) == 8192, "size after fallocate");
	CHECK(lc_close(fd) == 0, "close");
	CHECK(lc_close(fd) == -EBADF, "closing twice is EBADF");
	CHECK(lc_file_size(-1) == -EBADF, "fstat(-1)");
	CHECK(lc_open(NULL, O_RDONLY, 0) == -EFAULT, "NULL path");
	CHECK(lc_open("/nonexistent/x", O_RDONLY, 0) == -ENOENT, "ENOENT");
	unlink(path);
out:
	lc_ring_destroy(g.r);
	free(pool);
}

static void layout(void)
{
	char buf[4096], tiny[8];

	CHECK(lc_layout(buf, sizeof(buf)) > 0 && strstr(buf, "sqe.size=64;"), "layout: %s", buf);
	CHECK(lc_layout(tiny, sizeof(tiny)) == -ENOSPC, "a short buffer is refused, not overrun");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <scratch directory>\n", argv[0]);
		return 2;
	}
	layout();
	create_destroy_cycles();
	io_round_trip(argv[1]);
	if (failures) {
		fprintf(stderr, "%d checks failed\n", failures);
		return 1;
	}
	printf("OK\n");
	return 0;
}
