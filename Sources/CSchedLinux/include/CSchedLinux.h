// CSchedLinux: Linux APIs that Swift's Glibc module does not expose, for SchedRuntime/Platform.
//
// Design note
// - Wrapper-only, with one exception: `csl_launch`, the job launcher (fork → setsid → reset signals →
//   stdio → drop privileges → chdir → execve). `posix_spawn` cannot change user or groups, and forking
//   from Swift is unsafe (the child of a multi-threaded process may only make async-signal-safe calls),
//   so that one path is written in C.
// - Functions that need `_GNU_SOURCE` (pipe2, accept4, struct ucred, GNU strerror_r) are declared here and
//   defined in CSchedLinux.c, which defines `_GNU_SOURCE` before any include. The header itself is parsed
//   by Swift's importer, where glibc's headers have already been configured without it.
// - Every descriptor these functions create is close-on-exec.
#ifndef CSCHEDLINUX_H
#define CSCHEDLINUX_H

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// MARK: - Constants Swift cannot import (macros built from expressions or enums)

static inline int csl_EPOLLIN(void) { return EPOLLIN; }
static inline int csl_EPOLLOUT(void) { return EPOLLOUT; }
static inline int csl_EPOLLERR(void) { return EPOLLERR; }
static inline int csl_EPOLLHUP(void) { return EPOLLHUP; }
static inline int csl_EPOLL_CLOEXEC(void) { return EPOLL_CLOEXEC; }
static inline int csl_EPOLL_CTL_ADD(void) { return EPOLL_CTL_ADD; }
static inline int csl_EPOLL_CTL_DEL(void) { return EPOLL_CTL_DEL; }
static inline int csl_EPOLL_CTL_MOD(void) { return EPOLL_CTL_MOD; }
static inline int csl_TFD_CLOEXEC(void) { return TFD_CLOEXEC; }
static inline int csl_TFD_NONBLOCK(void) { return TFD_NONBLOCK; }
static inline int csl_TFD_TIMER_ABSTIME(void) { return TFD_TIMER_ABSTIME; }
static inline int csl_TFD_TIMER_CANCEL_ON_SET(void) { return TFD_TIMER_CANCEL_ON_SET; }
static inline int csl_SFD_CLOEXEC(void) { return SFD_CLOEXEC; }
static inline int csl_SFD_NONBLOCK(void) { return SFD_NONBLOCK; }
static inline int csl_EFD_CLOEXEC(void) { return EFD_CLOEXEC; }
static inline int csl_EFD_NONBLOCK(void) { return EFD_NONBLOCK; }

// MARK: - epoll

static inline int csl_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/// Registers `fd` for `events`, carrying `token` back in each event (the packed `epoll_event` stays in C).
static inline int csl_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = token;
    return epoll_ctl(epfd, op, fd, &ev);
}

/// One ready event in an unpacked layout Swift can index safely.
typedef struct csl_ready_event {
    uint32_t events;
    uint64_t token;
} csl_ready_event;

/// Waits up to `timeout_ms` (-1 = forever) and unpacks at most `capacity` events into `out`.
static inline int csl_epoll_wait(int epfd, csl_ready_event *out, int capacity, int timeout_ms) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int n = epoll_wait(epfd, events, capacity, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].events = events[i].events;
        out[i].token = events[i].data.u64;
    }
    return n;
}

// MARK: - timerfd

static inline int csl_timerfd_create(int clock_id) {
    return timerfd_create(clock_id, TFD_CLOEXEC | TFD_NONBLOCK);
}

/// Arms `fd` to expire once at `seconds`/`nanoseconds` (absolute when `flags` has TFD_TIMER_ABSTIME);
/// all zero disarms it.
static inline int csl_timerfd_settime(int fd, int flags, int64_t seconds, int64_t nanoseconds) {
    struct itimerspec spec;
    spec.it_interval.tv_sec = 0;
    spec.it_interval.tv_nsec = 0;
    spec.it_value.tv_sec = (time_t)seconds;
    spec.it_value.tv_nsec = (long)nanoseconds;
    return timerfd_settime(fd, flags, &spec, NULL);
}

// MARK: - signalfd and signal masks

/// A signalfd for the signals in `mask` (which must also be blocked to be delivered here).
static inline int csl_signalfd(const sigset_t *mask) {
    return signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

static inline size_t csl_signalfd_siginfo_size(void) { return sizeof(struct signalfd_siginfo); }

/// The signal number in a `struct signalfd_siginfo` read from a signalfd.
static inline int csl_signalfd_siginfo_signo(const void *info) {
    return (int)((const struct signalfd_siginfo *)info)->ssi_signo;
}

// MARK: - eventfd (cross-thread wake-ups of the loop)

static inline int csl_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

// MARK: - pidfd

/// `pidfd_open(2)` through `syscall`, since glibc 2.36's wrapper is not in every libc we may meet.
/// Returns -1 with errno ENOSYS on kernels before 5.3.
static inline int csl_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

// MARK: - wait status macros

static inline int csl_WIFEXITED(int status) { return WIFEXITED(status); }
static inline int csl_WEXITSTATUS(int status) { return WEXITSTATUS(status); }
static inline int csl_WIFSIGNALED(int status) { return WIFSIGNALED(status); }
static inline int csl_WTERMSIG(int status) { return WTERMSIG(status); }
static inline int csl_WNOHANG(void) { return WNOHANG; }

// MARK: - _GNU_SOURCE functions (defined in CSchedLinux.c)

/// `pipe2(fds, O_CLOEXEC | extra_flags)`.
int csl_pipe_cloexec(int fds[2], int extra_flags);

/// `accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)`.
int csl_accept_cloexec(int fd);

/// The connected peer's credentials (`SO_PEERCRED`).
int csl_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/// Copies the thread-safe, non-localised message for `errnum` into `buffer` (NUL-terminated).
void csl_strerror(int errnum, char *buffer, size_t size);

/// Fixes glibc's mmap threshold at 128 KiB. By default it rises to the size of the largest block freed,
/// so after one 10,000-job reload or `list` response every later large buffer comes from the heap,
/// which fragments and never shrinks; fixed, buffers that large are mapped and unmapped on free.
void csl_tune_allocator(void);

/// Returns free heap memory to the kernel (malloc_trim); worth it after a burst of large allocations.
void csl_release_free_memory(void);

// MARK: - Job launcher

/// The step of `csl_launch` that failed in the child.
typedef enum csl_launch_step {
    CSL_STEP_NONE = 0,
    CSL_STEP_FORK = 1,
    CSL_STEP_SIGNALS = 2,
    CSL_STEP_SETSID = 3,
    CSL_STEP_STDIO = 4,
    CSL_STEP_SETGROUPS = 5,
    CSL_STEP_SETGID = 6,
    CSL_STEP_SETUID = 7,
    CSL_STEP_CHDIR = 8,
    CSL_STEP_EXEC = 9,
    CSL_STEP_STATUS_PIPE = 10,
} csl_launch_step;

/// Everything the child needs, prepared by the parent before fork (the child must not allocate).
typedef struct csl_launch_request {
    /// Paths to try with execve, in order (NULL-terminated): one for a path with '/', else one per
    /// $PATH directory. ENOENT/ENOTDIR/EACCES move on to the next, as execvp does.
    const char *const *candidates;
    const char *const *argv;  ///< NULL-terminated.
    const char *const *envp;  ///< NULL-terminated; exactly the job's environment.
    const char *working_directory;  ///< NULL keeps the daemon's.
    int stdin_fd;   ///< Becomes fd 0 (normally /dev/null).
    int stdout_fd;  ///< Becomes fd 1.
    int stderr_fd;  ///< Becomes fd 2.
    int change_identity;  ///< Non-zero: setgroups(groups) + setgid(gid) + setuid(uid).
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    size_t group_count;
} csl_launch_request;

/// Why a launch failed: the step and its errno.
typedef struct csl_launch_failure {
    int step;
    int error;
} csl_launch_failure;

/// Forks and execs `request` in a new session (so a new process group whose id is the pid).
///
/// Returns 0 and sets `*pid_out` once execve succeeded (the CLOEXEC status pipe reached EOF). Returns -1
/// and fills `*failure` when fork failed or the child reported a failing step; a child that failed has
/// already been reaped. Blocks only for the fork-to-exec window.
int csl_launch(const csl_launch_request *request, pid_t *pid_out, csl_launch_failure *failure);

#endif
