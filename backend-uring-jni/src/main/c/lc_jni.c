/*
 * JNI glue over lc_ring.c: argument marshalling only. Every entry point returns -errno rather
 * than throwing; Java turns that into a RingException or a DiskIoException with the errno's name.
 * The hot entry point (submitAndReap) takes and returns only primitives: one JNI crossing per
 * batch, the SQEs and CQEs travel through the shared arrays.
 */
#include "dev_logcore_io_uring_jni_Native.h"
#include "lc_ring.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define RING(h) ((struct lc_ring *)(intptr_t)(h))

JNIEXPORT jlong JNICALL Java_dev_logcore_io_uring_jni_Native_create(JNIEnv *env, jclass cls, jint entries,
		jint cq_entries, jint flags, jint sq_idle, jint sq_cpu, jlongArray out)
{
	struct lc_ring_info info;
	struct lc_ring *r = NULL;
	jlong vals[10];
	int ret;

	(void)cls;
	if (!out || (*env)->GetArrayLength(env, out) < 10 || entries <= 0 || cq_entries < 0)
		return -EINVAL;
	ret = lc_ring_create((unsigned)entries, (unsigned)cq_entries, (unsigned)flags, (unsigned)sq_idle,
			     (unsigned)sq_cpu, &r, &info);
	if (ret < 0)
		return ret;
	vals[0] = info.sq_entries;
	vals[1] = info.cq_entries;
	vals[2] = info.flags;
	vals[3] = info.features;
	vals[4] = info.cqe_cap;
	vals[5] = info.wake_fd;
	vals[6] = (jlong)(intptr_t)info.sqe_stage;
	vals[7] = (jlong)(intptr_t)info.cqe_out;
	vals[8] = (jlong)(intptr_t)info.ctl;
	vals[9] = info.ring_fd;
	(*env)->SetLongArrayRegion(env, out, 0, 10, vals);
	if ((*env)->ExceptionCheck(env)) {
		lc_ring_destroy(r);
		return -EFAULT;
	}
	return (jlong)(intptr_t)r;
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_probe(JNIEnv *env, jclass cls, jlong h, jbyteArray ops)
{
	uint8_t buf[256];
	jsize len;
	int ret;

	(void)cls;
	if (!h || !ops)
		return -EINVAL;
	len = (*env)->GetArrayLength(env, ops);
	if (len > 256)
		len = 256;
	ret = lc_ring_probe(RING(h), buf, (unsigned)len);
	if (ret < 0)
		return ret;
	(*env)->SetByteArrayRegion(env, ops, 0, len, (const jbyte *)buf);
	return (*env)->ExceptionCheck(env) ? -EFAULT : ret;
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_submitAndReap(JNIEnv *env, jclass cls, jlong h, jint n,
		jint min_complete)
{
	(void)env;
	(void)cls;
	if (!h || n < 0 || min_complete < 0)
		return -EINVAL;
	return lc_ring_submit_and_reap(RING(h), (unsigned)n, (unsigned)min_complete);
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_registerBuffers(JNIEnv *env, jclass cls, jlong h,
		jlongArray addresses, jlongArray lengths)
{
	struct iovec *iov;
	jlong *a, *l;
	jsize n, i;
	int ret;

	(void)cls;
	if (!h || !addresses || !lengths)
		return -EINVAL;
	n = (*env)->GetArrayLength(env, addresses);
	if (n <= 0 || n != (*env)->GetArrayLength(env, lengths))
		return -EINVAL;
	iov = calloc((size_t)n, sizeof(*iov));
	a = calloc((size_t)n, sizeof(jlong));
	l = calloc((size_t)n, sizeof(jlong));
	if (!iov || !a || !l) {
		ret = -ENOMEM;
		goto out;
	}
	(*env)->GetLongArrayRegion(env, addresses, 0, n, a);
	(*env)->GetLongArrayRegion(env, lengths, 0, n, l);
	if ((*env)->ExceptionCheck(env)) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (a[i] == 0 || l[i] <= 0) {
			ret = -EINVAL;
			goto out;
		}
		iov[i].iov_base = (void *)(intptr_t)a[i];
		iov[i].iov_len = (size_t)l[i];
	}
	ret = lc_ring_register_buffers(RING(h), iov, (unsigned)n);
out:
	free(iov);
	free(a);
	free(l);
	return ret;
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_registerFiles(JNIEnv *env, jclass cls, jlong h, jint slots)
{
	(void)env;
	(void)cls;
	if (!h || slots <= 0)
		return -EINVAL;
	return lc_ring_register_files(RING(h), (unsigned)slots);
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_wake(JNIEnv *env, jclass cls, jlong h)
{
	(void)env;
	(void)cls;
	return h ? lc_ring_wake(RING(h)) : -EINVAL;
}

JNIEXPORT void JNICALL Java_dev_logcore_io_uring_jni_Native_destroy(JNIEnv *env, jclass cls, jlong h)
{
	(void)env;
	(void)cls;
	if (h)
		lc_ring_destroy(RING(h));
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_open(JNIEnv *env, jclass cls, jlong path, jint flags, jint mode)
{
	(void)env;
	(void)cls;
	return lc_open((const char *)(intptr_t)path, flags, mode);
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_close(JNIEnv *env, jclass cls, jint fd)
{
	(void)env;
	(void)cls;
	return lc_close(fd);
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_ftruncate(JNIEnv *env, jclass cls, jint fd, jlong length)
{
	(void)env;
	(void)cls;
	return lc_ftruncate(fd, length);
}

JNIEXPORT jint JNICALL Java_dev_logcore_io_uring_jni_Native_fallocate(JNIEnv *env, jclass cls, jint fd, jint mode,
		jlong offset, jlong length)
{
	(void)env;
	(void)cls;
	return lc_fallocate(fd, mode, offset, length);
}

JNIEXPORT jlong JNICALL Java_dev_logcore_io_uring_jni_Native_fileSize(JNIEnv *env, jclass cls, jint fd)
{
	(void)env;
	(void)cls;
	return lc_file_size(fd);
}

JNIEXPORT jstring JNICALL Java_dev_logcore_io_uring_jni_Native_layout(JNIEnv *env, jclass cls)
{
	char buf[4096];

	(void)cls;
	if (lc_layout(buf, sizeof(buf)) < 0)
		return NULL;
	return (*env)->NewStringUTF(env, buf);
}
