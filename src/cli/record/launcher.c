// SPDX-License-Identifier: GPL-2.0-or-later
// One long file (over 400 lines): the recorder compiles one C source, and
// its ptrace loop, seccomp filter and markers read best together.
// The launcher of `vma-explorer record`: runs one command under ptrace,
// follows all its tasks (threads, vfork children and, with FOLLOW 1, forked
// children with address spaces of their own), and tells the trace which
// address space ("space") each task uses, by lines written to trace_marker,
// so that the trace orders them with the kernel's events:
//
//   vmx space N exec TID         space N begins: TID's execve built it
//   vmx space N fork TID PARENT  space N begins: PARENT's fork copied its own
//   vmx task TID N PARENT        TID (a thread or CLONE_VM child of PARENT)
//                                joins space N
//   vmx exec TID                 TID's execve succeeded: it leaves its space (a
//                                thread's execve goes on as the leader's tid)
//   vmx exit TID                 TID starts to exit: it leaves its space
//   vmx end N exit|exec          space N ended: its last task exits, or execs
//   vmx fd TID FD SIZE PATH      TID's last open* (or memfd_create) returned FD,
//                                a file of SIZE bytes (`-` if not regular) at PATH
//   vmx unlink TID PATH          TID's last unlink* unlinked PATH (absolute)
//
// It copies /proc/TID/smaps to DIR/start-N.smaps when space N begins (at the
// exec stop, or at a forked child's first stop, before its code runs: its
// parent waits in the fork meanwhile) and to DIR/end-N.smaps when it ends:
// at its last task's PTRACE_EVENT_EXIT (before do_exit() tears it down), or
// at the seccomp stop of the execve that replaces it (before it runs). A seccomp
// filter installed before the command's execvp stops every open, openat,
// openat2, memfd_create, unlink, unlinkat, execve and execveat; an open* is
// then followed to its syscall-exit stop to read the fd it returned, and an
// unlink* (its name resolved at entry) to learn whether it unlinked. Which space a new task uses is told by
// kcmp(KCMP_VM) against its parent.
//
//   launcher MARKER DIR FOLLOW CMD ARGS...
//
// Control: fd 3 (to the driver) gets `P PID` once the child is stopped before
// its execve, and `X STATUS` or `S SIGNAL` when the command's process is gone;
// the launcher waits for one byte on fd 4 (from the driver, once it follows
// PID in tracefs) before letting the child exec, and returns when every task
// it traces has exited. Its own errors, and the child's failure to exec, go
// to fd 3 too, as `E MESSAGE`: stderr is the command's.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kcmp.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __x86_64__
#error "the launcher reads x86-64 registers and system call numbers"
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif

static void die(const char *what)
{
	dprintf(3, "E %s: %s\n", what, strerror(errno));
	exit(2);
}

enum state {
	STOPPED_EARLY, // stopped before its parent's fork event told who it is
	NEW,	       // its parent stopped at the fork event, its own first stop to come
	RUNNING,
	OPENING, // resumed with PTRACE_SYSCALL after an open* seccomp stop
	UNLINKING, // resumed with PTRACE_SYSCALL after an unlink* seccomp stop
	EXITING, // past PTRACE_EVENT_EXIT: it has left its space
};

struct task {
	pid_t tid, tgid;
	int space; // -1: not recorded
	enum state state;
	pid_t parent; // NEW: the parent, held at its fork event until this task stops
	int parent_space;
	char unlinking[PATH_MAX]; // UNLINKING: the name, resolved at the call's entry
};

struct space {
	int live; // tasks in it
	int ended;
};

static struct task *tasks;
static int ntasks, captasks;
static struct space *spaces;
static int nspaces, capspaces;
static int marker_fd;
static const char *dir;
static int follow;
static pid_t command;

static void mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mark(const char *fmt, ...)
{
	char text[PATH_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(text) - 1)
		n = sizeof(text) - 2;
	text[n++] = '\n';
	// kernel/trace/trace.c: tracing_mark_write() fails with EBADF when the
	// buffer has no room (a full one drops the newest). The marker is lost,
	// and the driver, which counts the events dropped, reports the overflow.
	if (write(marker_fd, text, n) < 0 && errno != EBADF)
		die("write trace_marker");
}

static struct task *find(pid_t tid)
{
	for (int i = 0; i < ntasks; i++)
		if (tasks[i].tid == tid)
			return &tasks[i];
	return NULL;
}

static struct task *add(pid_t tid, enum state state)
{
	if (ntasks == captasks) {
		captasks = captasks ? 2 * captasks : 64;
		tasks = realloc(tasks, captasks * sizeof(*tasks));
		if (!tasks)
			die("realloc");
	}
	struct task *t = &tasks[ntasks++];
	*t = (struct task){ .tid = tid, .tgid = tid, .space = -1, .state = state };
	return t;
}

static void drop(struct task *t)
{
	*t = tasks[--ntasks];
}

static int new_space(void)
{
	if (nspaces == capspaces) {
		capspaces = capspaces ? 2 * capspaces : 16;
		spaces = realloc(spaces, capspaces * sizeof(*spaces));
		if (!spaces)
			die("realloc");
	}
	spaces[nspaces] = (struct space){ .live = 1 };
	return nspaces++;
}

/** The thread group of `tid`, from /proc/TID/status; `tid` if it cannot be read. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	pid_t tgid = tid;
	if (!f)
		return tgid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/** Copies /proc/TID/smaps to DIR/KIND-N.smaps, whole; false when it cannot be read. */
static int copy_smaps(pid_t tid, const char *kind, int n)
{
	char path[64], to[PATH_MAX], buf[65536];
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)tid);
	snprintf(to, sizeof(to), "%s/%s-%d.smaps", dir, kind, n);
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return 0;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		die(to);
	ssize_t got;
	while ((got = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, got) != got)
			die(to);
	close(in);
	close(out);
	if (got < 0)
		unlink(to);
	return got == 0;
}

/** Tasks of space `n` other than `t` and its thread group (which its execve kills). */
static int others(const struct task *t, int n)
{
	int count = 0;
	for (int i = 0; i < ntasks; i++)
		if (tasks[i].space == n && tasks[i].state != EXITING && tasks[i].tgid != t->tgid)
			count++;
	return count;
}

/** `t` leaves its space by exiting; the space ends with its last task. */
static void leave_by_exit(struct task *t, int can_copy)
{
	int n = t->space;
	t->space = -1;
	t->state = EXITING;
	if (n < 0 || spaces[n].ended)
		return;
	mark("vmx exit %d", (int)t->tid);
	if (--spaces[n].live > 0)
		return;
	if (can_copy)
		copy_smaps(t->tid, "end", n);
	spaces[n].ended = 1;
	mark("vmx end %d exit", n);
}

/**
 * A new task `tid` of `parent` (in space `n`), both stopped: which space it
 * uses. Its first stop comes after the kernel's own start of it
 * (schedule_tail() writes its set_child_tid), and before any of its code.
 */
static void adopt(pid_t parent, int n, pid_t tid)
{
	struct task *child = find(tid);
	child->tgid = tgid_of(tid);
	child->state = RUNNING;
	if (n >= 0 && syscall(SYS_kcmp, parent, tid, KCMP_VM, 0, 0) == 0) {
		child->space = n;
		spaces[n].live++;
		mark("vmx task %d %d %d", (int)tid, n, (int)parent);
	} else if (n >= 0 && follow) {
		child->space = new_space();
		copy_smaps(tid, "start", child->space);
		mark("vmx space %d fork %d %d", child->space, (int)tid, (int)parent);
	}
}

/** Resumes `tid` from a stop, without a signal. */
static void resume(pid_t tid)
{
	if (ptrace(PTRACE_CONT, tid, 0, 0) < 0 && errno != ESRCH)
		die("PTRACE_CONT");
}

/** An open* returned: names the file it opened. */
static void opened(struct task *t)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) < 0)
		return;
	long fd = (long)regs.rax;
	if (fd < 0)
		return;
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", (int)t->tid, fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return;
	path[n] = 0;
	struct stat st;
	if (stat(link, &st) == 0 && S_ISREG(st.st_mode))
		mark("vmx fd %d %ld %lld %s", (int)t->tid, fd, (long long)st.st_size, path);
	else
		mark("vmx fd %d %ld - %s", (int)t->tid, fd, path);
}

/**
 * The absolute name `t` gives unlink(2) or unlinkat(2) at `addr`, relative to
 * `dirfd` (AT_FDCWD: its working directory), in `out`; 0 when it cannot be read.
 */
static int unlink_name(struct task *t, long dirfd, unsigned long addr, char *out, size_t size)
{
	char mem[64], name[PATH_MAX], base[PATH_MAX];
	snprintf(mem, sizeof(mem), "/proc/%d/mem", (int)t->tid);
	int fd = open(mem, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = pread(fd, name, sizeof(name) - 1, (off_t)addr);
	close(fd);
	if (n <= 0)
		return 0;
	name[n] = 0;
	if (strnlen(name, (size_t)n) == (size_t)n)
		return 0; // no end within PATH_MAX
	if (name[0] == '/')
		return snprintf(out, size, "%s", name) < (int)size;
	char link[64];
	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)t->tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%ld", (int)t->tid, dirfd);
	ssize_t b = readlink(link, base, sizeof(base) - 1);
	if (b < 0)
		return 0;
	base[b] = 0;
	return snprintf(out, size, "%s/%s", strcmp(base, "/") ? base : "", name) < (int)size;
}

/** An unlink* returned: names what it unlinked, when it did. */
static void unlinked(struct task *t)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) < 0 || (long)regs.rax != 0)
		return;
	mark("vmx unlink %d %s", (int)t->tid, t->unlinking);
}

/** A seccomp stop: an open*, memfd_create, unlink* or execve* is about to run. How to resume. */
static int seccomp_stop(struct task *t)
{
	struct user_regs_struct regs;
	if (t->space < 0 || ptrace(PTRACE_GETREGS, t->tid, 0, &regs) < 0)
		return PTRACE_CONT;
	long nr = (long)regs.orig_rax;
	if (nr == __NR_unlink || nr == __NR_unlinkat) {
		// unlinkat(..., AT_REMOVEDIR) removes a directory: no file's name.
		if (nr == __NR_unlinkat && (regs.rdx & AT_REMOVEDIR))
			return PTRACE_CONT;
		int named = nr == __NR_unlink
				    ? unlink_name(t, AT_FDCWD, regs.rdi, t->unlinking, sizeof(t->unlinking))
				    : unlink_name(t, (long)(int)regs.rdi, regs.rsi, t->unlinking,
						  sizeof(t->unlinking));
		if (!named)
			return PTRACE_CONT;
		t->state = UNLINKING;
		return PTRACE_SYSCALL;
	}
	if (nr == __NR_execve || nr == __NR_execveat) {
		// The space ends with this execve unless another process shares it (vfork).
		if (!others(t, t->space))
			copy_smaps(t->tid, "end", t->space);
		return PTRACE_CONT;
	}
	t->state = OPENING;
	return PTRACE_SYSCALL;
}

/** PTRACE_EVENT_EXEC: `t`, which was `former` until then, left its space for a new one. */
static void exec_stop(struct task *t, pid_t former)
{
	int old = t->space;
	t->tgid = t->tid;
	if (old >= 0) {
		mark("vmx exec %d", (int)former);
		spaces[old].live--;
		if (!others(t, old)) {
			spaces[old].ended = 1;
			mark("vmx end %d exec", old);
		}
	}
	t->space = -1;
	if (follow || t->tgid == command) {
		t->space = new_space();
		copy_smaps(t->tid, "start", t->space);
		mark("vmx space %d exec %d", t->space, (int)t->tid);
	}
}

static void install_seccomp(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_memfd_create, 8, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unlink, 7, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unlinkat, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_open, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat2, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return;
	// Without CAP_SYS_ADMIN a filter needs no_new_privs.
	if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		dprintf(3, "E seccomp: %s\n", strerror(errno));
		_exit(127);
	}
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		dprintf(3, "E usage: launcher MARKER DIR FOLLOW CMD ARGS...\n");
		return 2;
	}
	dir = argv[2];
	follow = strcmp(argv[3], "1") == 0;
	// The control pipes stay ours: the command never sees them.
	if (fcntl(3, F_SETFD, FD_CLOEXEC) < 0 || fcntl(4, F_SETFD, FD_CLOEXEC) < 0)
		die("control fds 3 and 4");
	FILE *ctl = fdopen(3, "w");
	if (!ctl)
		die("fdopen 3");
	marker_fd = open(argv[1], O_WRONLY | O_CLOEXEC);
	if (marker_fd < 0)
		die("open trace_marker");

	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			die("PTRACE_TRACEME");
		raise(SIGSTOP);
		install_seccomp();
		execvp(argv[4], argv + 4);
		dprintf(3, "E cannot run %s: %s\n", argv[4], strerror(errno));
		_exit(127);
	}
	command = pid;
	int status;
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		dprintf(3, "E the child did not stop before execve\n");
		return 2;
	}
	long options = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		       PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP |
		       PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)options) < 0)
		die("PTRACE_SETOPTIONS");
	add(pid, RUNNING);
	fprintf(ctl, "P %d\n", (int)pid);
	fflush(ctl);
	char go;
	if (read(4, &go, 1) != 1) {
		kill(pid, SIGKILL);
		dprintf(3, "E the driver went away\n");
		return 2;
	}
	if (ptrace(PTRACE_CONT, pid, 0, 0) < 0)
		die("PTRACE_CONT");
	for (;;) {
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == ECHILD)
				break;
			if (errno == EINTR)
				continue;
			die("waitpid");
		}
		struct task *t = find(tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid == command) {
				if (WIFEXITED(status))
					fprintf(ctl, "X %d\n", WEXITSTATUS(status));
				else
					fprintf(ctl, "S %d\n", WTERMSIG(status));
				fflush(ctl);
			}
			if (t && t->state == NEW)
				resume(t->parent); // killed before its first stop
			if (t) {
				leave_by_exit(t, 0);
				drop(t);
			}
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!t && WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_EXEC)
			t = add(tid, RUNNING); // a leader reappearing for a thread's execve
		if (!t) {
			// A new task that stopped before its parent's fork event: wait for that.
			add(tid, STOPPED_EARLY);
			continue;
		}
		int sig = WSTOPSIG(status), event = status >> 16;
		int how = t->state == OPENING || t->state == UNLINKING ? PTRACE_SYSCALL : PTRACE_CONT;
		if (sig == SIGTRAP && (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
				       event == PTRACE_EVENT_VFORK)) {
			unsigned long msg;
			if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) < 0)
				continue; // killed meanwhile
			pid_t child = (pid_t)msg;
			struct task *c = find(child);
			if (!c) {
				// The parent waits in its fork for the child's first stop.
				c = add(child, NEW);
				c->parent = tid;
				c->parent_space = find(tid)->space;
				continue;
			}
			adopt(tid, t->space, child);
			resume(child);
			t = find(tid); // add() may have moved the table
			sig = 0;
		} else if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
			unsigned long former = tid;
			ptrace(PTRACE_GETEVENTMSG, tid, 0, &former);
			if ((pid_t)former != tid && find((pid_t)former)) {
				// A thread other than the leader exec'd: it takes the leader's
				// tid, and the leader is gone (execve's de_thread()).
				leave_by_exit(t, 0);
				drop(t);
				t = find((pid_t)former);
				t->tid = tid;
			}
			exec_stop(t, (pid_t)former);
			sig = 0;
		} else if (sig == SIGTRAP && event == PTRACE_EVENT_EXIT) {
			leave_by_exit(t, 1);
			sig = 0;
		} else if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
			how = seccomp_stop(t);
			sig = 0;
		} else if (sig == (SIGTRAP | 0x80)) {
			if (t->state == OPENING)
				opened(t);
			else if (t->state == UNLINKING)
				unlinked(t);
			t->state = RUNNING;
			how = PTRACE_CONT;
			sig = 0;
		} else if (t->state == NEW && sig == SIGSTOP) {
			// The first stop of a new task: it and its parent run from here.
			pid_t parent = t->parent;
			adopt(parent, t->parent_space, tid);
			resume(parent);
			sig = 0;
		} else {
			siginfo_t info;
			// A group-stop (no siginfo) is not a signal to deliver.
			if (ptrace(PTRACE_GETSIGINFO, tid, 0, &info) < 0)
				sig = 0;
		}
		if (ptrace(how, tid, 0, (void *)(long)sig) < 0 && errno != ESRCH)
			die("ptrace resume");
	}
	fflush(ctl);
	return 0;
}
