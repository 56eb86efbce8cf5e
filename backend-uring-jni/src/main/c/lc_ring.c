/*
 * See lc_ring.h. liburing does the ring bookkeeping (mmaps, SQ/CQ head and tail, barriers,
 * registration); this file adds only the batch move between the shared arrays and the ring.
 */
#define _GNU_SOURCE
#include "lc_ring.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#define LC_SQE_SIZE 64
#define LC_CQE_SIZE 16

struct lc_ring {
	struct io_uring ring;
	int wake_fd;
	unsigned sq_entries;
	unsigned cqe_cap;
	unsigned flags;
	int buffers_registered;
	int files_registered;
	unsigned char *stage;
	struct io_uring_cqe *cqes;
	struct lc_ctl *ctl;
};

_Static_assert(sizeof(struct io_uring_sqe) == LC_SQE_SIZE, "struct io_uring_sqe is 64 bytes");
_Static_assert(sizeof(struct io_uring_cqe) == LC_CQE_SIZE, "struct io_uring_cqe is 16 bytes");

static void lc_free_arrays(struct lc_ring *r)
{
	free(r->stage);
	free(r->cqes);
	free(r->ctl);
	r->stage = NULL;
	r->cqes = NULL;
	r->ctl = NULL;
}

int lc_ring_create(unsigned entries, unsigned cq_entries, unsigned flags, unsigned sq_idle_ms,
		   unsigned sq_cpu, struct lc_ring **out, struct lc_ring_info *info)
{
	struct io_uring_params p;
	struct lc_ring *r;
	void *stage = NULL;
	int ret;

	if (!out || !info || entries == 0)
		return -EINVAL;
	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->wake_fd = -1;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.cq_entries = cq_entries;
	p.sq_thread_idle = sq_idle_ms;
	p.sq_thread_cpu = sq_cpu;
	ret = io_uring_queue_init_params(entries, &r->ring, &p);
	if (ret < 0) {
		free(r);
		return ret;
	}
	r->flags = p.flags;
	r->sq_entries = p.sq_entries;
	r->cqe_cap = p.cq_entries;

	r->wake_fd = eventfd(0, EFD_CLOEXEC);
	if (r->wake_fd < 0) {
		ret = -errno;
		goto fail;
	}
	if (posix_memalign(&stage, 64, (size_t)r->sq_entries * LC_SQE_SIZE) != 0) {
		ret = -ENOMEM;
		goto fail;
	}
	r->stage = stage;
	memset(r->stage, 0, (size_t)r->sq_entries * LC_SQE_SIZE);
	r->cqes = calloc(r->cqe_cap, LC_CQE_SIZE);
	r->ctl = calloc(1, sizeof(*r->ctl));
	if (!r->cqes || !r->ctl) {
		ret = -ENOMEM;
		goto fail;
	}
	r->ctl->sq_space = io_uring_sq_space_left(&r->ring);

	info->sq_entries = r->sq_entries;
	info->cq_entries = p.cq_entries;
	info->flags = p.flags;
	info->features = p.features;
	info->cqe_cap = r->cqe_cap;
	info->wake_fd = r->wake_fd;
	info->ring_fd = r->ring.ring_fd;
	info->sqe_stage = r->stage;
	info->cqe_out = r->cqes;
	info->ctl = r->ctl;
	*out = r;
	return 0;

fail:
	if (r->wake_fd >= 0)
		close(r->wake_fd);
	lc_free_arrays(r);
	io_uring_queue_exit(&r->ring);
	free(r);
	return ret;
}

int lc_ring_probe(struct lc_ring *r, uint8_t *ops, unsigned ops_len)
{
	size_t len = sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *probe;
	unsigned i, n = 0;
	int ret;

	if (!r || !ops)
		return -EINVAL;
	memset(ops, 0, ops_len);
	probe = calloc(1, len);
	if (!probe)
		return -ENOMEM;
	ret = io_uring_register_probe(&r->ring, probe, 256);
	if (ret < 0) {
		free(probe);
		return ret;
	}
	for (i = 0; i < probe->ops_len && i < 256 && i < ops_len; i++) {
		unsigned op = probe->ops[i].op;

		if ((probe->ops[i].flags & IO_URING_OP_SUPPORTED) && op < ops_len) {
			ops[op] = 1;
			n++;
		}
	}
	free(probe);
	return (int)n;
}

static int lc_benign(int ret)
{
	return ret == -EINTR || ret == -ETIME || ret == -EAGAIN || ret == -EBUSY;
}

int lc_ring_submit_and_reap(struct lc_ring *r, unsigned n, unsigned min_complete)
{
	struct io_uring *ring = &r->ring;
	struct io_uring_cqe *cqe;
	unsigned i, head, count = 0;
	int ret = 0, entered = 0;

	if (n > r->sq_entries)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe)
			return -EOVERFLOW; /* more than sq_space was staged: nothing past i is taken */
		memcpy(sqe, r->stage + (size_t)i * LC_SQE_SIZE, LC_SQE_SIZE);
	}

	if (min_complete > 0) {
		/* flush, then one enter with GETEVENTS waiting for min_complete */
		ret = io_uring_submit_and_wait(ring, min_complete);
		entered = 1;
	} else if (r->flags & IORING_SETUP_SQPOLL) {
		/* the poll thread submits; enter only to wake it or to flush an overflowed CQ */
		unsigned kf = IO_URING_READ_ONCE(*ring->sq.kflags);

		ret = io_uring_submit(ring);
		entered = (n > 0 && (kf & IORING_SQ_NEED_WAKEUP)) || (kf & IORING_SQ_CQ_OVERFLOW);
	} else if (n > 0 || (r->flags & IORING_SETUP_DEFER_TASKRUN)) {
		/* submit and run deferred completion work without waiting */
		ret = io_uring_submit_and_get_events(ring);
		entered = 1;
	}
	if (entered)
		r->ctl->enters++;
	if (ret < 0 && !lc_benign(ret))
		return ret;

	io_uring_for_each_cqe(ring, head, cqe) {
		memcpy(&r->cqes[count], cqe, LC_CQE_SIZE);
		if (++count == r->cqe_cap)
			break;
	}
	io_uring_cq_advance(ring, count);
	r->ctl->sq_space = io_uring_sq_space_left(ring);
	return (int)count;
}

int lc_ring_register_buffers(struct lc_ring *r, const struct iovec *iov, unsigned n)
{
	int ret;

	if (!r || !iov || n == 0 || r->buffers_registered)
		return -EINVAL;
	ret = io_uring_register_buffers(&r->ring, iov, n);
	if (ret == 0)
		r->buffers_registered = 1;
	return ret;
}

int lc_ring_register_files(struct lc_ring *r, unsigned slots)
{
	int *fds;
	unsigned i;
	int ret;

	if (!r || slots == 0 || r->files_registered)
		return -EINVAL;
	ret = io_uring_register_files_sparse(&r->ring, slots);
	if (ret == -EINVAL) {
		/* before Linux 5.19: a table of -1 entries is sparse too */
		fds = malloc((size_t)slots * sizeof(int));
		if (!fds)
			return -ENOMEM;
		for (i = 0; i < slots; i++)
			fds[i] = -1;
		ret = io_uring_register_files(&r->ring, fds, slots);
		free(fds);
	}
	if (ret == 0)
		r->files_registered = 1;
	return ret;
}

int lc_ring_wake(struct lc_ring *r)
{
	uint64_t one = 1;
	ssize_t w;

	do {
		w = write(r->wake_fd, &one, sizeof(one));
	} while (w < 0 && errno == EINTR);
	if (w == (ssize_t)sizeof(one))
		return 0;
	return w < 0 ? -errno : -EIO;
}

void lc_ring_destroy(struct lc_ring *r)
{
	if (!r)
		return;
	/* Unregister first: the kernel unpins the buffers now rather than in its async ring exit. */
	if (r->buffers_registered)
		io_uring_unregister_buffers(&r->ring);
	if (r->files_registered)
		io_uring_unregister_files(&r->ring);
	io_uring_queue_exit(&r->ring);
	if (r->wake_fd >= 0)
		close(r->wake_fd);
	lc_free_arrays(r);
	free(r);
}

int lc_open(const char *path, int flags, int mode)
{
	int fd;

	if (!path)
		return -EFAULT;
	do {
		fd = open(path, flags, (mode_t)mode);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int lc_close(int fd)
{
	/* Linux frees the descriptor even when close reports EINTR: never retry. */
	if (close(fd) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

int lc_ftruncate(int fd, int64_t length)
{
	int ret;

	do {
		ret = ftruncate(fd, (off_t)length);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

int lc_fallocate(int fd, int mode, int64_t offset, int64_t length)
{
	int ret;

	do {
		ret = fallocate(fd, mode, (off_t)offset, (off_t)length);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

int64_t lc_file_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return (int64_t)st.st_size;
}

#define LC_PUT(name, value)                                                              \
	do {                                                                             \
		int w = snprintf(buf + used, len - used, "%s=%lld;", name, (long long)(value)); \
		if (w < 0 || (unsigned)w >= len - used)                                  \
			return -ENOSPC;                                                  \
		used += (unsigned)w;                                                     \
	} while (0)

int lc_layout(char *buf, unsigned len)
{
	unsigned used = 0;

	if (!buf || len == 0)
		return -EINVAL;
	buf[0] = '\0';
	LC_PUT("sqe.size", sizeof(struct io_uring_sqe));
	LC_PUT("sqe.opcode", offsetof(struct io_uring_sqe, opcode));
	LC_PUT("sqe.flags", offsetof(struct io_uring_sqe, flags));
	LC_PUT("sqe.ioprio", offsetof(struct io_uring_sqe, ioprio));
	LC_PUT("sqe.fd", offsetof(struct io_uring_sqe, fd));
	LC_PUT("sqe.off", offsetof(struct io_uring_sqe, off));
	LC_PUT("sqe.addr", offsetof(struct io_uring_sqe, addr));
	LC_PUT("sqe.len", offsetof(struct io_uring_sqe, len));
	LC_PUT("sqe.rw_flags", offsetof(struct io_uring_sqe, rw_flags));
	LC_PUT("sqe.fsync_flags", offsetof(struct io_uring_sqe, fsync_flags));
	LC_PUT("sqe.open_flags", offsetof(struct io_uring_sqe, open_flags));
	LC_PUT("sqe.user_data", offsetof(struct io_uring_sqe, user_data));
	LC_PUT("sqe.buf_index", offsetof(struct io_uring_sqe, buf_index));
	LC_PUT("sqe.personality", offsetof(struct io_uring_sqe, personality));
	LC_PUT("sqe.file_index", offsetof(struct io_uring_sqe, file_index));
	LC_PUT("sqe.addr3", offsetof(struct io_uring_sqe, addr3));
	LC_PUT("cqe.size", sizeof(struct io_uring_cqe));
	LC_PUT("cqe.user_data", offsetof(struct io_uring_cqe, user_data));
	LC_PUT("cqe.res", offsetof(struct io_uring_cqe, res));
	LC_PUT("cqe.flags", offsetof(struct io_uring_cqe, flags));
	LC_PUT("iovec.size", sizeof(struct iovec));
	LC_PUT("timespec.size", sizeof(struct __kernel_timespec));
	LC_PUT("statx.size", sizeof(struct statx));
	LC_PUT("statx.stx_size", offsetof(struct statx, stx_size));
	LC_PUT("statx.stx_mode", offsetof(struct statx, stx_mode));
	LC_PUT("ctl.size", sizeof(struct lc_ctl));
	LC_PUT("ctl.enters", offsetof(struct lc_ctl, enters));
	LC_PUT("ctl.sq_space", offsetof(struct lc_ctl, sq_space));
	LC_PUT("op.READV", IORING_OP_READV);
	LC_PUT("op.WRITEV", IORING_OP_WRITEV);
	LC_PUT("op.FSYNC", IORING_OP_FSYNC);
	LC_PUT("op.READ_FIXED", IORING_OP_READ_FIXED);
	LC_PUT("op.WRITE_FIXED", IORING_OP_WRITE_FIXED);
	LC_PUT("op.TIMEOUT", IORING_OP_TIMEOUT);
	LC_PUT("op.ASYNC_CANCEL", IORING_OP_ASYNC_CANCEL);
	LC_PUT("op.FALLOCATE", IORING_OP_FALLOCATE);
	LC_PUT("op.OPENAT", IORING_OP_OPENAT);
	LC_PUT("op.CLOSE", IORING_OP_CLOSE);
	LC_PUT("op.FILES_UPDATE", IORING_OP_FILES_UPDATE);
	LC_PUT("op.STATX", IORING_OP_STATX);
	LC_PUT("op.READ", IORING_OP_READ);
	LC_PUT("op.WRITE", IORING_OP_WRITE);
	LC_PUT("iosqe.FIXED_FILE", IOSQE_FIXED_FILE);
	LC_PUT("iosqe.IO_LINK", IOSQE_IO_LINK);
	LC_PUT("fsync.DATASYNC", IORING_FSYNC_DATASYNC);
	LC_PUT("setup.SQPOLL", IORING_SETUP_SQPOLL);
	LC_PUT("setup.SQ_AFF", IORING_SETUP_SQ_AFF);
	LC_PUT("setup.CQSIZE", IORING_SETUP_CQSIZE);
	LC_PUT("setup.SUBMIT_ALL", IORING_SETUP_SUBMIT_ALL);
	LC_PUT("setup.COOP_TASKRUN", IORING_SETUP_COOP_TASKRUN);
	LC_PUT("setup.SINGLE_ISSUER", IORING_SETUP_SINGLE_ISSUER);
	LC_PUT("setup.DEFER_TASKRUN", IORING_SETUP_DEFER_TASKRUN);
	LC_PUT("at.FDCWD", AT_FDCWD);
	LC_PUT("at.EMPTY_PATH", AT_EMPTY_PATH);
	LC_PUT("statx.SIZE", STATX_SIZE);
	LC_PUT("o.WRONLY", O_WRONLY);
	LC_PUT("o.RDWR", O_RDWR);
	LC_PUT("o.CREAT", O_CREAT);
	LC_PUT("o.EXCL", O_EXCL);
	LC_PUT("o.TRUNC", O_TRUNC);
	LC_PUT("o.DSYNC", O_DSYNC);
	LC_PUT("o.DIRECT", O_DIRECT);
	LC_PUT("o.CLOEXEC", O_CLOEXEC);
	return (int)used;
}
