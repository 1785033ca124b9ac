// SPDX-License-Identifier: GPL-2.0-or-later
// The memory-heavy program of the `record` bench (record.bench.ts): ITERS
// times (20,000 unless argv[1] says) it maps 64 KiB of anonymous memory,
// writes to every page, makes the lower half read-only, drops the upper half
// with MADV_DONTNEED and writes to it again, and unmaps it all; every 100th
// time it also grows the heap with malloc (brk) by 1 MiB, touches it and
// frees it (glibc trims the heap back with brk). It times that work alone
// with CLOCK_MONOTONIC, so that the process's start and the recorder's set-up
// are not in it, and prints one line:
//
//   ns=N iters=N mmap=N mprotect=N madvise=N munmap=N brk=N faults=N
//
// brk counts the heap's moves seen through sbrk(0) (one brk call each);
// faults are getrusage's minor faults over the work.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)
#define HEAP_EVERY 100
#define HEAP_BLOCKS 64
#define HEAP_BLOCK (16 * 1024)

static long brks;

/** Counts a move of the heap's end since `*last` as one brk call. */
static void saw_brk(char **last)
{
	char *now = sbrk(0);
	if (now != *last)
		brks++;
	*last = now;
}

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000;
	long page = sysconf(_SC_PAGESIZE);
	long mmaps = 0, mprotects = 0, madvises = 0, munmaps = 0;
	static char *blocks[HEAP_BLOCKS];
	struct rusage r0, r1;
	struct timespec t0, t1;

	char *heap_end = sbrk(0);
	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < iters; i++) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			fail("mmap");
		mmaps++;
		for (long off = 0; off < CHUNK; off += page)
			p[off] = (char)i;
		if (mprotect(p, CHUNK / 2, PROT_READ))
			fail("mprotect");
		mprotects++;
		if (madvise(p + CHUNK / 2, CHUNK / 2, MADV_DONTNEED))
			fail("madvise");
		madvises++;
		p[CHUNK / 2] = 1;
		if (munmap(p, CHUNK))
			fail("munmap");
		munmaps++;
		if (i % HEAP_EVERY == 0) {
			for (int b = 0; b < HEAP_BLOCKS; b++) {
				blocks[b] = malloc(HEAP_BLOCK);
				if (!blocks[b])
					fail("malloc");
				memset(blocks[b], (int)b, HEAP_BLOCK);
				saw_brk(&heap_end);
			}
			for (int b = HEAP_BLOCKS - 1; b >= 0; b--) {
				free(blocks[b]);
				saw_brk(&heap_end);
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &r1);
	long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	printf("ns=%lld iters=%ld mmap=%ld mprotect=%ld madvise=%ld munmap=%ld brk=%ld faults=%ld\n",
	       ns, iters, mmaps, mprotects, madvises, munmaps, brks, r1.ru_minflt - r0.ru_minflt);
	return 0;
}
