// The _GNU_SOURCE wrappers declared in CSchedLinux.h and the job launcher.
#define _GNU_SOURCE
#include "CSchedLinux.h"

#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <string.h>
#include <sys/socket.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

// MARK: - _GNU_SOURCE wrappers

int csl_pipe_cloexec(int fds[2], int extra_flags) { return pipe2(fds, O_CLOEXEC | extra_flags); }

int csl_accept_cloexec(int fd) { return accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK); }

int csl_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred cred;
    socklen_t length = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) return -1;
    *pid = cred.pid;
    *uid = cred.uid;
    *gid = cred.gid;
    return 0;
}

void csl_strerror(int errnum, char *buffer, size_t size) {
    if (size == 0) return;
    // GNU strerror_r may return a static string instead of filling `buffer`.
    const char *message = strerror_r(errnum, buffer, size);
    if (message != buffer) {
        strncpy(buffer, message, size - 1);
        buffer[size - 1] = '\0';
    }
}

// MARK: - Allocator

void csl_tune_allocator(void) { (void)mallopt(M_MMAP_THRESHOLD, 128 * 1024); }

void csl_release_free_memory(void) { (void)malloc_trim(0); }

// MARK: - Job launcher (child side: async-signal-safe calls only)

/// Writes the failing step and errno to the status pipe and exits; the parent turns it into a message.
__attribute__((noreturn)) static void report_failure(int status_fd, int step, int error) {
    csl_launch_failure failure = {step, error};
    ssize_t written;
    do {
        written = write(status_fd, &failure, sizeof(failure));
    } while (written < 0 && errno == EINTR);
    _exit(127);
}

/// Moves `fd` above the stdio range so the dup2 calls below cannot overwrite it before it is used.
static int move_above_stdio(int fd) {
    if (fd < 0 || fd > 2) return fd;
    return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/// glibc's sigaction refuses its reserved real-time signals (32, 33) with EINVAL, yet an ignored
/// disposition for them is inherited across exec like any other; reset them with the raw system call.
/// The kernel's struct layout (handler, flags, restorer, mask) is the generic one used by x86_64 and arm64.
static void reset_reserved_signal(int signo) {
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        unsigned long mask;
    } kernel_action = {0};
    kernel_action.handler = (void *)SIG_DFL;
    (void)syscall(SYS_rt_sigaction, signo, &kernel_action, NULL, sizeof(kernel_action.mask));
}

__attribute__((noreturn)) static void run_child(const csl_launch_request *request, int status_fd) {
    // 0. Keep the status pipe out of the way of fds 0-2 (a daemon started with closed stdio gets them).
    status_fd = move_above_stdio(status_fd);
    if (status_fd < 0) _exit(127);

    // 1. Default dispositions for every signal. All signals are still blocked (the parent blocked them
    //    around fork), so no inherited handler can run in between.
    struct sigaction default_action;
    memset(&default_action, 0, sizeof(default_action));
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    for (int signo = 1; signo < NSIG; signo++) {
        if (signo == SIGKILL || signo == SIGSTOP) continue;
        if (sigaction(signo, &default_action, NULL) != 0) reset_reserved_signal(signo);
    }

    // 2. A new session: the child leads its own process group, so the whole job can be signalled at once.
    if (setsid() < 0) report_failure(status_fd, CSL_STEP_SETSID, errno);

    // 3. stdio. Sources are moved above 2 first so dup2 into 0-2 cannot clobber another source.
    int in = move_above_stdio(request->stdin_fd);
    int out = move_above_stdio(request->stdout_fd);
    int err = move_above_stdio(request->stderr_fd);
    if (in < 0 || out < 0 || err < 0) report_failure(status_fd, CSL_STEP_STDIO, errno);
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) report_failure(status_fd, CSL_STEP_STDIO, errno);

    // 4. Identity: groups before gid before uid, since each later step removes the right to do the earlier.
    if (request->change_identity) {
        if (setgroups(request->group_count, request->groups) != 0)
            report_failure(status_fd, CSL_STEP_SETGROUPS, errno);
        if (setgid(request->gid) != 0) report_failure(status_fd, CSL_STEP_SETGID, errno);
        if (setuid(request->uid) != 0) report_failure(status_fd, CSL_STEP_SETUID, errno);
    }

    // 5. Working directory, after dropping privileges so access is checked as the job's user.
    if (request->working_directory != NULL && chdir(request->working_directory) != 0)
        report_failure(status_fd, CSL_STEP_CHDIR, errno);

    // 6. Belt and braces: mark every fd above stdio close-on-exec, in case some library in the daemon
    //    opened one without O_CLOEXEC. Older kernels lack close_range; the CLOEXEC discipline still holds.
#ifdef SYS_close_range
    (void)syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
#endif

    // 7. Empty signal mask: the daemon blocks SIGTERM & co. for its signalfd, and a job that inherited
    //    that mask would never see the SIGTERM that stops it.
    sigset_t empty;
    sigemptyset(&empty);
    (void)sigprocmask(SIG_SETMASK, &empty, NULL);

    // 8. execve each candidate like execvp: a missing or inaccessible candidate moves on to the next;
    //    any other error is final. EACCES wins over ENOENT when nothing was found.
    int exec_error = ENOENT;
    int saw_access_denied = 0;
    for (const char *const *candidate = request->candidates; *candidate != NULL; candidate++) {
        execve(*candidate, (char *const *)request->argv, (char *const *)request->envp);
        int e = errno;
        if (e == EACCES) {
            saw_access_denied = 1;
        } else if (e != ENOENT && e != ENOTDIR) {
            report_failure(status_fd, CSL_STEP_EXEC, e);
        }
    }
    if (saw_access_denied) exec_error = EACCES;
    report_failure(status_fd, CSL_STEP_EXEC, exec_error);
}

// MARK: - Job launcher (parent side)

int csl_launch(const csl_launch_request *request, pid_t *pid_out, csl_launch_failure *failure) {
    int status_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) != 0) {
        failure->step = CSL_STEP_STATUS_PIPE;
        failure->error = errno;
        return -1;
    }

    // Block every signal around fork so the child starts with no handler able to run until it has reset
    // the dispositions; the parent's mask is restored right after.
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    // Without an identity change the child only resets its own signal dispositions, session, stdio,
    // directory and mask, then execs: all per-task state, so vfork is safe and spares copying the
    // daemon's page tables (measured: a burst of 1,000 spawns about twice as fast). setuid & co. go
    // through glibc's multi-thread setxid machinery, which must not run in a child sharing our memory,
    // so those jobs keep fork.
    pid_t pid = request->change_identity ? fork() : vfork();
    if (pid == 0) run_child(request, status_pipe[1]);
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    close(status_pipe[1]);

    if (pid < 0) {
        close(status_pipe[0]);
        failure->step = CSL_STEP_FORK;
        failure->error = fork_error;
        return -1;
    }

    // EOF without data: execve succeeded and closed the CLOEXEC write end.
    csl_launch_failure reported = {CSL_STEP_NONE, 0};
    size_t received = 0;
    while (received < sizeof(reported)) {
        ssize_t n = read(status_pipe[0], (char *)&reported + received, sizeof(reported) - received);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        received += (size_t)n;
    }
    close(status_pipe[0]);
    if (received == 0) {
        *pid_out = pid;
        return 0;
    }

    // The child reported a failure and exits with 127: reap it so no zombie is left.
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (received < sizeof(reported)) {
        reported.step = CSL_STEP_STATUS_PIPE;
        reported.error = EIO;
    }
    *failure = reported;
    return -1;
}
