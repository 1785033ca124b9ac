// SPDX-License-Identifier: GPL-2.0-or-later
// The launcher of `vma-explorer record`: runs one command under ptrace and
// stops it twice, to copy its /proc/PID/smaps when execve has built the new
// image and again when it starts to exit (PTRACE_EVENT_EXIT comes before
// do_exit() tears the address space down). It writes a trace_marker line at
// each stop, so that the recording can tell the kernel's events of execve
// from the program's own.
//
//   launcher MARKER START_SMAPS END_SMAPS CMD ARGS...
//
// Control: fd 3 (to the driver) gets `P PID` once the child is stopped before
// its execve, and `X STATUS` or `S SIGNAL` when it is gone; the launcher
// waits for one byte on fd 4 (from the driver, once it follows PID in
// tracefs) before letting the child exec. Its own errors, and the child's
// failure to exec, go to fd 3 too, as `E MESSAGE`: stderr is the command's.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	dprintf(3, "E %s: %s\n", what, strerror(errno));
	exit(2);
}

static void mark(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("open trace_marker");
	if (write(fd, text, strlen(text)) < 0)
		die("write trace_marker");
	close(fd);
}

/** Copies /proc/PID/smaps to `to`, whole. */
static void copy_smaps(pid_t pid, const char *to)
{
	char path[64], buf[65536];
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die(path);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		die(to);
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0)
			die(path);
		if (n == 0)
			break;
		if (write(out, buf, n) != n)
			die(to);
	}
	close(in);
	close(out);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		dprintf(3, "E usage: launcher MARKER START END CMD ARGS...\n");
		return 2;
	}
	const char *marker = argv[1], *start = argv[2], *end = argv[3];
	// The control pipes stay ours: the command never sees them.
	if (fcntl(3, F_SETFD, FD_CLOEXEC) < 0 || fcntl(4, F_SETFD, FD_CLOEXEC) < 0)
		die("control fds 3 and 4");
	FILE *ctl = fdopen(3, "w");
	if (!ctl)
		die("fdopen 3");

	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			die("PTRACE_TRACEME");
		raise(SIGSTOP);
		execvp(argv[4], argv + 4);
		dprintf(3, "E cannot run %s: %s\n", argv[4], strerror(errno));
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		dprintf(3, "E the child did not stop before execve\n");
		return 2;
	}
	long options = PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)options) < 0)
		die("PTRACE_SETOPTIONS");
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
		if (waitpid(pid, &status, __WALL) < 0)
			die("waitpid");
		if (WIFEXITED(status)) {
			fprintf(ctl, "X %d\n", WEXITSTATUS(status));
			break;
		}
		if (WIFSIGNALED(status)) {
			fprintf(ctl, "S %d\n", WTERMSIG(status));
			break;
		}
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status), event = status >> 16;
		if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
			mark(marker, "vmx record exec");
			copy_smaps(pid, start);
			sig = 0;
		} else if (sig == SIGTRAP && event == PTRACE_EVENT_EXIT) {
			mark(marker, "vmx record exit");
			copy_smaps(pid, end);
			sig = 0;
		}
		// Any other stop is a signal for the command: deliver it.
		if (ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig) < 0 && errno != ESRCH)
			die("PTRACE_CONT");
	}
	fflush(ctl);
	return 0;
}
