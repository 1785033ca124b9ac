// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel judge's runner: executes a scenario's calls as real system calls
 * and prints what the kernel answered. src/cli/judge/runner.ts builds it with
 * the machine's gcc and talks to it; see that file for the protocol.
 *
 * The runner is freestanding (no libc) so that nothing but the scenario maps
 * memory in the window [WINDOW_START, WINDOW_END):
 *
 *  - no libc means no malloc, no TLS block on the heap, no stdio buffers;
 *  - the last PT_LOAD segment (.judge_brk, one page that the driver makes
 *    PROT_NONE) ends exactly at WINDOW_START, so the kernel's ELF loader puts
 *    start_brk, brk and end_data there: brk() grows a real [heap] inside the
 *    window;
 *  - the runner re-executes itself once with ADDR_NO_RANDOMIZE and an
 *    RLIMIT_STACK chosen so that mm->mmap_base is WINDOW_END: mmap(NULL, ...)
 *    and a moving mremap() get addresses at the top of the window, top-down,
 *    exactly as the kernel searches;
 *  - then it unmaps whatever the kernel placed in the window (vvar, vdso).
 *
 * With VMX_TRACE_MARKER=PATH in its environment (npm run judge -- --events),
 * it writes `vmx call N begin` and `vmx call N end` to that tracefs
 * trace_marker around each call, so the driver can tell which call each
 * kernel event belongs to.
 *
 * Compile-time constants (-D): WINDOW_START, WINDOW_END, TIMEOUT_SECONDS.
 *
 * It is one long file on purpose: being freestanding it carries its own
 * system-call wrappers, number and string formatting and /proc reading, and
 * runner.ts builds it with one gcc command and no headers or link step that
 * could pull libc in.
 */

typedef unsigned long u64;
typedef long s64;

#define PAGE 4096UL
/* arch/x86/include/asm/page_64_types.h: DEFAULT_MAP_WINDOW (47-bit). */
#define TASK_SIZE_47 0x7ffffffff000UL
/* mm/mmap.c: stack_guard_gap, 256 pages unless the command line says otherwise. */
#define GUARD_GAP (256UL * PAGE)

#define NR_read 0
#define NR_write 1
#define NR_open 2
#define NR_close 3
#define NR_mmap 9
#define NR_mprotect 10
#define NR_munmap 11
#define NR_brk 12
#define NR_rt_sigaction 13
#define NR_mremap 25
#define NR_madvise 28
#define NR_dup2 33
#define NR_alarm 37
#define NR_ftruncate 77
#define NR_fork 57
#define NR_execve 59
#define NR_wait4 61
#define NR_sigaltstack 131
#define NR_personality 135
#define NR_mlock 149
#define NR_munlock 150
#define NR_mlockall 151
#define NR_munlockall 152
#define NR_prctl 157
#define NR_exit_group 231
#define NR_openat 257
#define NR_prlimit64 302
#define NR_mlock2 325
#define NR_pkey_mprotect 329
#define NR_mseal 462

#define AT_FDCWD (-100)
#define O_WRONLY 1
#define O_RDWR 2
#define RLIMIT_STACK 3
#define ADDR_NO_RANDOMIZE 0x0040000
#define PROT_NONE 0
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define SIGBUS 7
#define SIGSEGV 11
#define SA_RESTORER 0x04000000UL
#define SA_ONSTACK 0x08000000UL
#define SA_NODEFER 0x40000000UL

/* The fd the results go to, away from the low fds a scenario's files get. */
#define OUT_FD 500
/* The tracefs trace_marker, with --events. */
#define MARK_FD 501
/* A descriptor number that is never open: scenario fds the runner does not know. */
#define BAD_FD 0x3fffffff

#define INPUT_MAX (4UL << 20)
#define OUT_MAX 65536
#define SMAPS_CHUNK 65536
#define MAX_FDS 1024

/* ---- system calls ------------------------------------------------------- */

static s64 sys6(s64 n, s64 a, s64 b, s64 c, s64 d, s64 e, s64 f)
{
	register s64 r10 __asm__("r10") = d;
	register s64 r8 __asm__("r8") = e;
	register s64 r9 __asm__("r9") = f;
	s64 ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define sys0(n) sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) sys6(n, (s64)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) sys6(n, (s64)(a), (s64)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (s64)(a), (s64)(b), (s64)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (s64)(a), (s64)(b), (s64)(c), (s64)(d), 0, 0)
#define sys5(n, a, b, c, d, e) sys6(n, (s64)(a), (s64)(b), (s64)(c), (s64)(d), (s64)(e), 0)

/* gcc may emit calls to these even in freestanding code. */
void *memset(void *d, int c, u64 n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, u64 n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

/*
 * The page whose end is the start of the window: being the highest PT_LOAD,
 * it makes the ELF loader set start_brk = brk = end_data = WINDOW_START.
 */
__attribute__((section(".judge_brk"), used, aligned(4096))) const char brk_anchor[PAGE] = { 1 };

/* ---- output --------------------------------------------------------------- */

static char outbuf[OUT_MAX];
static u64 outlen;

static void flush(void)
{
	u64 done = 0;

	while (done < outlen) {
		s64 n = sys3(NR_write, OUT_FD, outbuf + done, outlen - done);

		if (n <= 0)
			sys1(NR_exit_group, 4);
		done += (u64)n;
	}
	outlen = 0;
}

static void put(const char *s, u64 n)
{
	while (n) {
		u64 room = OUT_MAX - outlen;
		u64 k = n < room ? n : room;

		memcpy(outbuf + outlen, s, k);
		outlen += k;
		s += k;
		n -= k;
		if (outlen == OUT_MAX)
			flush();
	}
}

static u64 slen(const char *s)
{
	u64 n = 0;

	while (s[n])
		n++;
	return n;
}

static void puts_(const char *s)
{
	put(s, slen(s));
}

static void put_dec(s64 v)
{
	char b[24];
	int i = sizeof(b);
	u64 u = v < 0 ? -(u64)v : (u64)v;

	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	put(b + i, sizeof(b) - i);
}

static void result_num(s64 v)
{
	puts_("R ");
	put_dec(v);
	puts_("\n");
}

static void result_str(const char *s)
{
	puts_("R ");
	puts_(s);
	puts_("\n");
}

/* A problem the driver reports as a failure of the judge, not of the scenario. */
__attribute__((noreturn)) static void fatal(const char *what, s64 err)
{
	puts_("X ");
	puts_(what);
	if (err) {
		puts_(" ");
		put_dec(err);
	}
	puts_("\n");
	flush();
	sys1(NR_exit_group, 3);
	__builtin_unreachable();
}

/* ---- faults: setjmp/longjmp of our own, on an alternate signal stack ------ */

typedef u64 jmpbuf[8];
int judge_setjmp(jmpbuf b) __attribute__((returns_twice));
__attribute__((noreturn)) void judge_longjmp(jmpbuf b, int v);
void judge_restorer(void);

__asm__(".text\n"
	".globl judge_setjmp\n"
	"judge_setjmp:\n"
	"	mov %rbx, 0(%rdi)\n"
	"	mov %rbp, 8(%rdi)\n"
	"	mov %r12, 16(%rdi)\n"
	"	mov %r13, 24(%rdi)\n"
	"	mov %r14, 32(%rdi)\n"
	"	mov %r15, 40(%rdi)\n"
	"	lea 8(%rsp), %rdx\n"
	"	mov %rdx, 48(%rdi)\n"
	"	mov (%rsp), %rdx\n"
	"	mov %rdx, 56(%rdi)\n"
	"	xor %eax, %eax\n"
	"	ret\n"
	".globl judge_longjmp\n"
	"judge_longjmp:\n"
	"	mov 0(%rdi), %rbx\n"
	"	mov 8(%rdi), %rbp\n"
	"	mov 16(%rdi), %r12\n"
	"	mov 24(%rdi), %r13\n"
	"	mov 32(%rdi), %r14\n"
	"	mov 40(%rdi), %r15\n"
	"	mov 48(%rdi), %rsp\n"
	"	mov %esi, %eax\n"
	"	jmp *56(%rdi)\n"
	".globl judge_restorer\n"
	"judge_restorer:\n"
	"	mov $15, %eax\n"
	"	syscall\n"
	"	hlt\n");

static jmpbuf fault_env;
static volatile int fault_armed;
static char altstack[65536] __attribute__((aligned(16)));

/*
 * SA_NODEFER keeps the signal unblocked, so leaving the handler by longjmp
 * (not sigreturn) leaves the mask as it was and the next fault is caught too.
 */
static void on_fault(int sig)
{
	if (!fault_armed)
		fatal("unexpected signal outside @touch/@read:", sig);
	fault_armed = 0;
	judge_longjmp(fault_env, sig);
}

struct kernel_sigaction {
	void (*handler)(int);
	u64 flags;
	void (*restorer)(void);
	u64 mask;
};

struct stack_t_ {
	void *sp;
	int flags;
	u64 size;
};

static void catch_faults(void)
{
	struct stack_t_ ss = { altstack, 0, sizeof(altstack) };
	struct kernel_sigaction sa = { on_fault, SA_ONSTACK | SA_NODEFER | SA_RESTORER,
				       judge_restorer, 0 };
	s64 r = sys2(NR_sigaltstack, &ss, 0);

	if (r < 0)
		fatal("sigaltstack failed:", r);
	if ((r = sys4(NR_rt_sigaction, SIGSEGV, &sa, 0, 8)) < 0 ||
	    (r = sys4(NR_rt_sigaction, SIGBUS, &sa, 0, 8)) < 0)
		fatal("rt_sigaction failed:", r);
}

/* Writes (a locked read-modify-write that keeps the data) or reads every page. */
static const char *access_range(u64 addr, u64 len, int write)
{
	u64 first, last, p;
	int sig;

	if (len == 0)
		return "0";
	first = addr & ~(PAGE - 1);
	last = (addr + len - 1) & ~(PAGE - 1);
	sig = judge_setjmp(fault_env);
	if (sig)
		return sig == SIGBUS ? "SIGBUS" : "SIGSEGV";
	fault_armed = 1;
	for (p = first;; p += PAGE) {
		if (write)
			__asm__ volatile("lock orb $0, (%0)" : : "r"(p) : "memory");
		else
			__asm__ volatile("movb (%0), %%al" : : "r"(p) : "rax", "memory");
		if (p == last)
			break;
	}
	fault_armed = 0;
	return "0";
}

/* ---- the address space the scenario starts in ---------------------------- */

struct rlimit64_ {
	u64 cur;
	u64 max;
};

__attribute__((noreturn)) static void reexec(char **argv, char **envp, const char *stage)
{
	char *args[] = { argv[0], (char *)stage, 0 };
	s64 r = sys3(NR_execve, "/proc/self/exe", args, envp);

	fatal("re-exec failed:", r);
}

static void set_stack_limit(u64 cur)
{
	struct rlimit64_ old, lim;
	s64 r = sys4(NR_prlimit64, 0, RLIMIT_STACK, 0, &old);

	if (r < 0)
		fatal("getrlimit failed:", r);
	lim.cur = cur;
	lim.max = old.max > cur ? old.max : cur;
	r = sys4(NR_prlimit64, 0, RLIMIT_STACK, &lim, 0);
	if (r < 0)
		fatal("cannot raise RLIMIT_STACK to place mmap_base at the window's end:", r);
}

/*
 * arch/x86/mm/mmap.c: mmap_base() = TASK_SIZE - (RLIMIT_STACK + pad), with no
 * randomisation. Stage 0 sets the limit for the default guard gap; stage 1
 * measures where mmap_base landed and corrects once for another gap.
 */
static void place_address_space(char **argv, char **envp)
{
	const char *stage = argv[1] ? argv[1] : "0";
	struct rlimit64_ lim;
	u64 base, pad;
	s64 p, r;

	if (stage[0] == '0') {
		r = sys1(NR_personality, 0xffffffffUL);
		if (r < 0 || sys1(NR_personality, (u64)r | ADDR_NO_RANDOMIZE) < 0)
			fatal("personality(ADDR_NO_RANDOMIZE) failed:", r);
		set_stack_limit(TASK_SIZE_47 - WINDOW_END - GUARD_GAP);
		reexec(argv, envp, "1");
	}
	/* vvar, vvar_vclock and vdso were placed just below mmap_base. */
	r = sys2(NR_munmap, WINDOW_START, WINDOW_END - WINDOW_START);
	if (r < 0)
		fatal("cannot clear the window:", r);
	if (sys1(NR_brk, 0) != (s64)WINDOW_START)
		fatal("the break does not start at the window's start:", sys1(NR_brk, 0));
	p = sys6(NR_mmap, 0, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p < 0)
		fatal("probe mmap failed:", p);
	sys2(NR_munmap, p, PAGE);
	base = (u64)p + PAGE;
	if (base == WINDOW_END)
		return;
	if (stage[0] != '1')
		fatal("mmap_base is not at the window's end:", (s64)base);
	sys4(NR_prlimit64, 0, RLIMIT_STACK, 0, &lim);
	pad = TASK_SIZE_47 - lim.cur - base;
	set_stack_limit(TASK_SIZE_47 - WINDOW_END - pad);
	reexec(argv, envp, "2");
}

/* ---- input ------------------------------------------------------------------ */

static char input[INPUT_MAX];
static char strbuf[4096 + 1];

static void read_input(void)
{
	u64 len = 0;

	for (;;) {
		s64 n = sys3(NR_read, 0, input + len, INPUT_MAX - 1 - len);

		if (n < 0)
			fatal("cannot read the calls:", n);
		if (n == 0)
			break;
		len += (u64)n;
		if (len == INPUT_MAX - 1)
			fatal("too many calls", 0);
	}
	input[len] = 0;
}

/* Results go to OUT_FD; fds 0, 1 and 2 become /dev/null, as a process has them open. */
static void arrange_fds(void)
{
	s64 null = sys3(NR_open, "/dev/null", O_RDWR, 0);

	if (null < 0)
		fatal("cannot open /dev/null:", null);
	for (int i = 0; i <= 2; i++)
		if (null != i)
			sys2(NR_dup2, null, i);
	if (null > 2)
		sys1(NR_close, null);
}

/* ---- per-call markers (--events) ------------------------------------------- */

static int marking;

/* Opens $VMX_TRACE_MARKER, if set, as MARK_FD: after the re-exec, so only once. */
static void open_marker(char **envp)
{
	static const char key[] = "VMX_TRACE_MARKER=";
	s64 fd;

	for (; *envp; envp++) {
		u64 i = 0;

		while (key[i] && (*envp)[i] == key[i])
			i++;
		if (key[i])
			continue;
		fd = sys3(NR_open, *envp + i, O_WRONLY, 0);
		if (fd < 0)
			fatal("cannot open the trace marker:", fd);
		if (sys2(NR_dup2, fd, MARK_FD) != MARK_FD)
			fatal("cannot move the trace marker's fd", 0);
		sys1(NR_close, fd);
		marking = 1;
		return;
	}
}

/* `vmx call N begin|end`: kernel/trace/trace.c records it as a tracing_mark_write event. */
static void mark(u64 call, const char *what)
{
	char b[64] = "vmx call ";
	char digits[24];
	u64 n = 9, k = sizeof(digits);

	if (!marking)
		return;
	do {
		digits[--k] = (char)('0' + call % 10);
		call /= 10;
	} while (call);
	while (k < sizeof(digits))
		b[n++] = digits[k++];
	b[n++] = ' ';
	while (*what)
		b[n++] = *what++;
	if (sys3(NR_write, MARK_FD, b, n) != (s64)n)
		fatal("cannot write the trace marker", 0);
}

static u64 num(const char *t)
{
	u64 v = 0;

	if (!t)
		fatal("missing argument", 0);
	while (*t >= '0' && *t <= '9')
		v = v * 10 + (u64)(*t++ - '0');
	return v;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	fatal("bad hex string", 0);
}

/* `s` followed by hex digits: a string argument. */
static const char *str(const char *t)
{
	u64 n = 0;

	if (!t || *t != 's')
		fatal("missing string argument", 0);
	for (t++; t[0] && t[1]; t += 2) {
		if (n == sizeof(strbuf) - 1)
			fatal("string argument too long", 0);
		strbuf[n++] = (char)(hexval(t[0]) << 4 | hexval(t[1]));
	}
	strbuf[n] = 0;
	return strbuf;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* ---- descriptors: scenario fd -> real fd ---------------------------------- */

static struct {
	s64 scenario;
	s64 real;
} fds[MAX_FDS];
static int nfds;

static s64 real_fd(u64 arg)
{
	s64 fd = (int)arg;

	if (fd < 0)
		return fd;
	for (int i = 0; i < nfds; i++)
		if (fds[i].scenario == fd)
			return fds[i].real;
	return fd <= 2 ? fd : BAD_FD;
}

static void forget_fd(s64 scenario)
{
	for (int i = 0; i < nfds; i++)
		if (fds[i].scenario == scenario)
			fds[i] = fds[--nfds];
}

static void remember_fd(s64 scenario, s64 real)
{
	forget_fd(scenario);
	if (nfds == MAX_FDS)
		fatal("too many open files", 0);
	fds[nfds].scenario = scenario;
	fds[nfds].real = real;
	nfds++;
}

/* ---- the calls -------------------------------------------------------------- */

static void execute(char **a)
{
	const char *n = a[0];

	if (streq(n, "mmap"))
		result_num(sys6(NR_mmap, num(a[1]), num(a[2]), num(a[3]), num(a[4]),
				real_fd(num(a[5])), num(a[6])));
	else if (streq(n, "munmap"))
		result_num(sys2(NR_munmap, num(a[1]), num(a[2])));
	else if (streq(n, "mprotect"))
		result_num(sys3(NR_mprotect, num(a[1]), num(a[2]), num(a[3])));
	else if (streq(n, "pkey_mprotect"))
		result_num(sys4(NR_pkey_mprotect, num(a[1]), num(a[2]), num(a[3]), (int)num(a[4])));
	else if (streq(n, "mremap"))
		result_num(sys5(NR_mremap, num(a[1]), num(a[2]), num(a[3]), num(a[4]), num(a[5])));
	else if (streq(n, "madvise"))
		result_num(sys3(NR_madvise, num(a[1]), num(a[2]), num(a[3])));
	else if (streq(n, "mlock"))
		result_num(sys2(NR_mlock, num(a[1]), num(a[2])));
	else if (streq(n, "mlock2"))
		result_num(sys3(NR_mlock2, num(a[1]), num(a[2]), num(a[3])));
	else if (streq(n, "munlock"))
		result_num(sys2(NR_munlock, num(a[1]), num(a[2])));
	else if (streq(n, "mlockall"))
		result_num(sys1(NR_mlockall, num(a[1])));
	else if (streq(n, "munlockall"))
		result_num(sys0(NR_munlockall));
	else if (streq(n, "brk"))
		result_num(sys1(NR_brk, num(a[1])));
	else if (streq(n, "mseal"))
		result_num(sys3(NR_mseal, num(a[1]), num(a[2]), num(a[3])));
	else if (streq(n, "prctl"))
		result_num(sys5(NR_prctl, num(a[1]), num(a[2]), num(a[3]), num(a[4]), str(a[5])));
	else if (streq(n, "openat")) {
		/* openat sPATH FLAGS MODE SCENARIO_FD|- */
		s64 fd = sys4(NR_openat, AT_FDCWD, str(a[1]), num(a[2]), num(a[3]));

		if (fd >= 0)
			remember_fd(a[4] && a[4][0] != '-' ? (int)num(a[4]) : fd, fd);
		result_num(fd);
	} else if (streq(n, "ftruncate"))
		result_num(sys2(NR_ftruncate, real_fd(num(a[1])), num(a[2])));
	else if (streq(n, "close")) {
		s64 r = sys1(NR_close, real_fd(num(a[1])));

		if (r == 0)
			forget_fd((int)num(a[1]));
		result_num(r);
	} else if (streq(n, "@touch"))
		result_str(access_range(num(a[1]), num(a[2]), 1));
	else if (streq(n, "@read"))
		result_str(access_range(num(a[1]), num(a[2]), 0));
	else if (streq(n, "@note"))
		result_str("0");
	else
		fatal("unknown call", 0);
}

/* ---- the final address space ------------------------------------------------ */

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static u64 hexnum(const char **s)
{
	u64 v = 0;

	while (is_hex(**s))
		v = v << 4 | (u64)hexval(*(*s)++);
	return v;
}

static char smaps[SMAPS_CHUNK * 2];

/*
 * Prints `M header` and `F VmFlags: ...` for every VMA inside the window; with
 * `all`, `I header`, `J Anonymous: ...` and `J VmFlags: ...` for every VMA of the process (the
 * start the model is given for step parity, read before the first call).
 */
static void dump_smaps(int all)
{
	s64 fd = sys3(NR_open, "/proc/self/smaps", 0, 0);
	u64 have = 0;
	int inside = 0;

	if (fd < 0)
		fatal("cannot open /proc/self/smaps:", fd);
	for (;;) {
		s64 n = sys3(NR_read, fd, smaps + have, sizeof(smaps) - have);
		u64 start = 0;

		if (n < 0)
			fatal("cannot read /proc/self/smaps:", n);
		have += (u64)n;
		for (u64 i = 0; i < have; i++) {
			char *line = smaps + start;
			u64 len = i - start;

			if (smaps[i] != '\n')
				continue;
			start = i + 1;
			if (is_hex(line[0])) {
				const char *s = line;
				u64 lo = hexnum(&s), hi;

				s++;
				hi = hexnum(&s);
				inside = all || (lo >= WINDOW_START && hi <= WINDOW_END);
				if (inside) {
					puts_(all ? "I " : "M ");
					put(line, len + 1);
				}
			} else if (inside && len > 8 && line[0] == 'V' && line[1] == 'm' &&
				   line[2] == 'F') {
				puts_(all ? "J " : "F ");
				put(line, len + 1);
			} else if (all && len > 10 && line[0] == 'A' && line[1] == 'n' &&
				   line[2] == 'o' && line[9] == ':') {
				/* `Anonymous:`: the VMA has an anon_vma already. */
				puts_("J ");
				put(line, len + 1);
			}
		}
		memcpy(smaps, smaps + start, have - start);
		have -= start;
		if (n == 0)
			break;
		if (have == sizeof(smaps))
			fatal("smaps line too long", 0);
	}
	sys1(NR_close, fd);
}

/* ---- main ------------------------------------------------------------------- */

static void run(void)
{
	char *line = input;
	u64 call = 0;

	dump_smaps(1);
	while (*line) {
		char *a[8] = { 0 };
		char *end = line;
		int k = 0;

		while (*end && *end != '\n')
			end++;
		if (*end)
			*end++ = 0;
		for (char *t = line; *t && k < 8;) {
			a[k++] = t;
			while (*t && *t != ' ')
				t++;
			if (*t)
				*t++ = 0;
		}
		line = end;
		if (!a[0])
			continue;
		mark(call, "begin");
		if (!streq(a[0], "@fork")) {
			execute(a);
			mark(call++, "end");
			continue;
		}
		flush();
		{
			s64 pid = sys0(NR_fork);
			int status = 0;

			if (pid < 0) {
				/* dup_mmap() refused (an overcommit charge): the parent goes on. */
				mark(call++, "end");
				result_num(pid);
				continue;
			}
			if (pid == 0) {
				/* The child runs the rest (and ends the call); alarms are not inherited. */
				mark(call++, "end");
				sys1(NR_alarm, TIMEOUT_SECONDS);
				result_str("0");
				continue;
			}
			if (sys4(NR_wait4, pid, &status, 0, 0) < 0)
				fatal("wait4 failed", 0);
			if ((status & 0x7f) == 0)
				sys1(NR_exit_group, (status >> 8) & 0xff);
			fatal("the child after @fork died of signal", status & 0x7f);
		}
	}
	dump_smaps(0);
	puts_("E\n");
	flush();
}

void judge_main(u64 *sp)
{
	char **argv = (char **)(sp + 1);
	char **envp = argv + sp[0] + 1;

	/* The results go to OUT_FD from the start, so that fatal() reaches the driver. */
	if (sys2(NR_dup2, 1, OUT_FD) != OUT_FD)
		sys1(NR_exit_group, 5);
	sys1(NR_alarm, TIMEOUT_SECONDS);
	place_address_space(argv, envp);
	open_marker(envp);
	read_input();
	arrange_fds();
	catch_faults();
	run();
	sys1(NR_exit_group, 0);
}

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call judge_main\n"
	"	hlt\n");
