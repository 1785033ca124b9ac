// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live kernel doing bench/mm.bench.ts's workload, as the engine's
 * yardstick (`npm run bench -- mm`): the same calls as real system calls,
 * with nothing between them but a switch, so the time is the kernel's own
 * (the judge's figure hid it behind its runner protocol and pipes).
 *
 *   mm-workload FILE BUILD WINDOW_START WINDOW_END
 *
 * FILE holds one call a line, numbers only, read into an array before the
 * clock starts:
 *
 *   m ADDR LEN PROT     mmap(ADDR, LEN, PROT, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)
 *   p ADDR LEN PROT     mprotect(ADDR, LEN, PROT)
 *   u ADDR LEN 0        munmap(ADDR, LEN)
 *   a ADDR LEN ADVICE   madvise(ADDR, LEN, ADVICE)
 *   r OLD NEW 0         mremap(OLD, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, NEW)
 *
 * The first BUILD calls are the build and the rest the mix; each is timed
 * on its own. Prints `build NS`, `mix NS` (ns per call), `failed N` (calls
 * that returned an error, as the engine's would too), then the smaps lines
 * (the maps line and its VmFlags line) of every VMA inside
 * [WINDOW_START, WINDOW_END), for the bench to compare with the engine's.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

struct call {
	char kind;
	unsigned long a, b, c;
};

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* One call; nonzero when the kernel refused it. */
static int make_call(const struct call *k)
{
	void *a = (void *)k->a;

	switch (k->kind) {
	case 'm':
		return mmap(a, k->b, k->c,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			    0) == MAP_FAILED;
	case 'p':
		return mprotect(a, k->b, k->c) != 0;
	case 'u':
		return munmap(a, k->b) != 0;
	case 'a':
		return madvise(a, k->b, k->c) != 0;
	case 'r':
		return mremap(a, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED,
			      (void *)k->b) == MAP_FAILED;
	}
	return 1;
}

/*
 * /proc/self/smaps, only the VMAs inside the window: each maps line (the
 * first six fields, as the engine's show_map_vma() writes an anonymous
 * VMA) and its VmFlags line.
 */
static void print_window(unsigned long lo, unsigned long hi)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;

	if (!f) {
		perror("/proc/self/smaps");
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		size_t word = strcspn(line, " ");

		/* A field line's first word is `Name:`; a maps line's START-END. */
		if (memchr(line, ':', word) == NULL &&
		    sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			inside = start >= lo && end <= hi;
			if (inside)
				fputs(line, stdout);
		} else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			fputs(line, stdout);
		}
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	size_t cap = 1 << 16, n = 0, build, failed = 0;
	struct call *calls = malloc(cap * sizeof(*calls));
	unsigned long lo, hi;
	double t0, t1, t2;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr, "usage: %s FILE BUILD WINDOW_START WINDOW_END\n",
			argv[0]);
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	for (;;) {
		struct call k;

		if (fscanf(f, " %c %lu %lu %lu", &k.kind, &k.a, &k.b, &k.c) != 4)
			break;
		if (n == cap)
			calls = realloc(calls, (cap *= 2) * sizeof(*calls));
		calls[n++] = k;
	}
	fclose(f);
	build = strtoul(argv[2], NULL, 0);
	lo = strtoul(argv[3], NULL, 0);
	hi = strtoul(argv[4], NULL, 0);
	if (build > n) {
		fprintf(stderr, "BUILD %zu is more than the %zu calls\n", build,
			n);
		return 2;
	}

	t0 = now_ns();
	for (size_t i = 0; i < build; i++)
		failed += make_call(&calls[i]);
	t1 = now_ns();
	for (size_t i = build; i < n; i++)
		failed += make_call(&calls[i]);
	t2 = now_ns();

	printf("build %.3f\n", (t1 - t0) / (build ? build : 1));
	printf("mix %.3f\n", (t2 - t1) / (n - build ? n - build : 1));
	printf("failed %zu\n", failed);
	print_window(lo, hi);
	return 0;
}
