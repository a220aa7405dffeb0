/* LD_PRELOAD shim: shifts the wall clock (gettimeofday, time, clock_gettime(CLOCK_REALTIME*))
 * by a signed microsecond offset read at every call from the 8-byte file $WALLSHIFT_FILE, so a
 * test can step a process's wall clock while its monotonic clock runs on. It calls the kernel
 * directly (syscall()): no dlsym() and no malloc(), which jemalloc's start-up would re-enter. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int64_t *offset_us;
static int opened;

static int64_t shift_us(void) {
  if (!opened) {
    opened = 1;
    const char *path = getenv("WALLSHIFT_FILE");
    if (path) {
      int fd = (int)syscall(SYS_open, path, O_RDONLY);
      if (fd >= 0) {
        void *p = mmap(0, 8, PROT_READ, MAP_SHARED, fd, 0);
        if (p != MAP_FAILED) offset_us = (volatile int64_t *)p;
        syscall(SYS_close, fd);
      }
    }
  }
  return offset_us ? *offset_us : 0;
}

static void add_us(struct timespec *ts, int64_t us) {
  int64_t ns = (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec + us * 1000LL;
  ts->tv_sec = ns / 1000000000LL;
  ts->tv_nsec = ns % 1000000000LL;
  if (ts->tv_nsec < 0) { ts->tv_nsec += 1000000000LL; ts->tv_sec -= 1; }
}

int clock_gettime(clockid_t clk, struct timespec *ts) {
  int r = (int)syscall(SYS_clock_gettime, clk, ts);
  if (r == 0 && (clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE)) add_us(ts, shift_us());
  return r;
}

int gettimeofday(struct timeval *tv, void *tz) {
  struct timespec ts;
  int r = clock_gettime(CLOCK_REALTIME, &ts);
  if (r == 0 && tv) { tv->tv_sec = ts.tv_sec; tv->tv_usec = ts.tv_nsec / 1000; }
  (void)tz;
  return r;
}

time_t time(time_t *t) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}
