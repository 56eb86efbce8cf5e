/*
 * The native core of the uring-jni provider: one io_uring (through liburing) plus the few system
 * calls around it, with no JNI in it, so that a plain C driver can run it under AddressSanitizer
 * and UndefinedBehaviorSanitizer (src/test/c/lc_ring_driver.c).
 *
 * The engine (Java) writes 64-byte SQEs into a staging array and reads 16-byte CQEs from an
 * output array; both are allocated here and shared by address. One call moves a whole batch.
 * Every function returns -errno on failure; none aborts or prints.
 */
#ifndef LC_RING_H
#define LC_RING_H

#include <stdint.h>
#include <sys/uio.h>

/* Shared with Java (read after every call): see NativeRing. */
struct lc_ctl {
	uint64_t enters;   /* io_uring_enter system calls made so far */
	uint32_t sq_space; /* SQEs the engine may stage for the next call */
	uint32_t reserved;
};

struct lc_ring_info {
	uint32_t sq_entries;
	uint32_t cq_entries;
	uint32_t flags;    /* params.flags as the kernel left them */
	uint32_t features; /* params.features */
	uint32_t cqe_cap;  /* CQEs one call copies at most */
	int32_t wake_fd;
	int32_t ring_fd;
	void *sqe_stage;   /* sq_entries * 64 bytes */
	void *cqe_out;     /* cqe_cap * 16 bytes */
	struct lc_ctl *ctl;
};

struct lc_ring;

int lc_ring_create(unsigned entries, unsigned cq_entries, unsigned flags, unsigned sq_idle_ms,
		   unsigned sq_cpu, struct lc_ring **out, struct lc_ring_info *info);
/* ops[i] = 1 if opcode i is supported (i < 256); returns how many, or -errno (-EINVAL: no probe). */
int lc_ring_probe(struct lc_ring *r, uint8_t *ops, unsigned ops_len);
/* Stages n SQEs, enters once (waiting for min_complete), copies ready CQEs; returns their count. */
int lc_ring_submit_and_reap(struct lc_ring *r, unsigned n, unsigned min_complete);
int lc_ring_register_buffers(struct lc_ring *r, const struct iovec *iov, unsigned n);
int lc_ring_register_files(struct lc_ring *r, unsigned slots);
int lc_ring_wake(struct lc_ring *r);
void lc_ring_destroy(struct lc_ring *r);

/* Blocking fallbacks: >= 0 or -errno. */
int lc_open(const char *path, int flags, int mode);
int lc_close(int fd);
int lc_ftruncate(int fd, int64_t length);
int lc_fallocate(int fd, int mode, int64_t offset, int64_t length);
int64_t lc_file_size(int fd);

/* "name=value;" pairs of sizeof/offsetof/ABI constants into buf; the length, or -ENOSPC. */
int lc_layout(char *buf, unsigned len);

#endif
