// SPDX-License-Identifier: GPL-2.0-or-later
// LD_PRELOAD shim: copies the process's own /proc/self/smaps to
// $VMA_EXPLORER_START when it starts (after ld.so has loaded everything) and
// to $VMA_EXPLORER_END when it exits. Plain system calls only, so the copy
// itself maps nothing: the strace log shows exactly the program's own calls
// between the two openat("/proc/self/smaps") lines.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static void copy_smaps(const char *env)
{
	const char *to = getenv(env);
	static char buf[1 << 16];
	ssize_t n;
	int in, out;

	if (!to)
		return;
	in = open("/proc/self/smaps", O_RDONLY);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in >= 0 && out >= 0)
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n)
				break;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
}

__attribute__((constructor)) static void at_start(void) { copy_smaps("VMA_EXPLORER_START"); }
__attribute__((destructor)) static void at_end(void) { copy_smaps("VMA_EXPLORER_END"); }
