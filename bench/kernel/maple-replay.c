// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's own maple tree as a yardstick for src/engine/kernel/maple
 * (`npm run bench -- maple`): lib/maple_tree.c from linux-source-6.12,
 * compiled in user space with tools/testing/shared's headers, -O2, the
 * 64-bit node layout and no CONFIG_DEBUG_MAPLE_TREE.
 *
 *   maple-replay FILE.case ROUNDS [--dump]
 *
 * Reads the golden case format (shared/golden/maple/README.md) into an
 * array first, then for each round: a fresh tree with the mm's flags
 * (MM_MT_FLAGS), every operation on a fresh MA_STATE through
 * mas_store_gfp() or mas_erase() as the golden runs made them, the queued
 * RCU callbacks run after each operation, and only the operations timed.
 * One warm-up round is run untimed first. Prints `round ns/op` per round,
 * then with --dump the final tree as the golden dump JSON line.
 */
/*
 * The 64-bit node layout (include/linux/maple_tree.h tests CONFIG_64BIT),
 * set before any header: shim/generated/autoconf.h comes too late for it.
 */
#define CONFIG_64BIT 1
#include "shared.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* tools/testing/shared/linux/init.h's worth: maple_tree_init() is __init. */
#ifndef __init
#define __init
#endif

#include "maple_tree.c"

/* --- What tools/testing/shared/linux.c provides, as the bench needs it. --- */

int nr_allocated;
int preempt_count;
int kmalloc_verbose;
int test_verbose;
struct rcu_head *rcu_pending;

/*
 * A kmem_cache that keeps every freed object on a free list and carves new
 * ones from large aligned chunks, as SLUB serves a warm cache: after the
 * warm-up round no node costs a malloc(). (linux.c keeps at most 10 and
 * frees aligned objects at once, and the maple node cache is aligned.)
 */
struct kmem_cache {
	unsigned int size;
	unsigned int align;
	void *free;
	char *chunk;
	size_t chunk_left;
	void (*ctor)(void *);
};

#define CHUNK_OBJS 512

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *c = calloc(1, sizeof(*c));

	(void)name;
	(void)flags;
	if (align < sizeof(void *))
		align = sizeof(void *);
	c->size = (size + align - 1) / align * align;
	c->align = align;
	c->ctor = ctor;
	return c;
}

void *kmem_cache_alloc_lru(struct kmem_cache *c, struct list_lru *lru, int gfp)
{
	void *p;

	(void)lru;
	if (c->free) {
		p = c->free;
		c->free = *(void **)p;
	} else {
		if (c->chunk_left == 0) {
			c->chunk = aligned_alloc(c->align,
						 (size_t)c->size * CHUNK_OBJS);
			if (!c->chunk)
				return NULL;
			c->chunk_left = CHUNK_OBJS;
		}
		p = c->chunk;
		c->chunk += c->size;
		c->chunk_left--;
	}
	if (c->ctor)
		c->ctor(p);
	else if (gfp & __GFP_ZERO)
		memset(p, 0, c->size);
	nr_allocated++;
	return p;
}

void kmem_cache_free(struct kmem_cache *c, void *p)
{
	*(void **)p = c->free;
	c->free = p;
	nr_allocated--;
}

void kmem_cache_free_bulk(struct kmem_cache *c, size_t size, void **list)
{
	for (size_t i = 0; i < size; i++)
		kmem_cache_free(c, list[i]);
}

int kmem_cache_alloc_bulk(struct kmem_cache *c, gfp_t gfp, size_t size,
			  void **list)
{
	for (size_t i = 0; i < size; i++) {
		list[i] = kmem_cache_alloc_lru(c, NULL, gfp);
		if (!list[i]) {
			kmem_cache_free_bulk(c, i, list);
			return 0;
		}
	}
	return size;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return gfp & __GFP_ZERO ? calloc(1, size) : malloc(size);
}

void kfree(void *p)
{
	free(p);
}

/* --- The case file. --- */

enum op_kind { OP_STORE, OP_STORE_NULL, OP_ERASE };

struct op {
	enum op_kind kind;
	unsigned long first, last;
	void *entry;
};

/* An ID as the golden runs stored it: a fake, aligned vm_area_struct *. */
#define ENTRY_BASE 0xffff888100000000UL
#define ENTRY_STEP 256UL

static void *id_entry(unsigned long id)
{
	return (void *)(ENTRY_BASE + id * ENTRY_STEP);
}

static unsigned long entry_id(const void *entry)
{
	return ((unsigned long)entry - ENTRY_BASE) / ENTRY_STEP;
}

static struct op *read_case(const char *path, size_t *count)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1024, n = 0, lineno = 0;
	struct op *ops = malloc(cap * sizeof(*ops));
	char line[256];

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		char word[16];
		unsigned long a = 0, b = 0, c = 0;
		char *hash = strchr(line, '#');
		int got;

		lineno++;
		if (hash)
			*hash = '\0';
		got = sscanf(line, "%15s %li %li %lu", word, &a, &b, &c);
		if (got <= 0 || strcmp(word, "dump") == 0)
			continue;
		if (n == cap)
			ops = realloc(ops, (cap *= 2) * sizeof(*ops));
		if (strcmp(word, "store") == 0 && got == 4)
			ops[n++] = (struct op){ OP_STORE, a, b, id_entry(c) };
		else if (strcmp(word, "store_null") == 0 && got == 3)
			ops[n++] = (struct op){ OP_STORE_NULL, a, b, NULL };
		else if (strcmp(word, "erase") == 0 && got == 2)
			ops[n++] = (struct op){ OP_ERASE, a, a, NULL };
		else {
			fprintf(stderr, "%s:%zu: cannot read: %s\n", path,
				lineno, line);
			exit(2);
		}
	}
	fclose(f);
	*count = n;
	return ops;
}

/* --- One round. --- */

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* The ops on @mt; ns per op. As the golden runs: a fresh state each op. */
static double replay(struct maple_tree *mt, const struct op *ops, size_t n)
{
	double t0 = now_ns();

	for (size_t i = 0; i < n; i++) {
		const struct op *op = &ops[i];
		MA_STATE(mas, mt, op->first, op->last);

		if (op->kind == OP_ERASE)
			mas_erase(&mas);
		else if (mas_store_gfp(&mas, op->entry, GFP_KERNEL)) {
			fprintf(stderr, "mas_store_gfp failed at op %zu\n", i);
			exit(1);
		}
		/* The grace period after the write: freed nodes go back. */
		rcu_run_callbacks();
	}
	return (now_ns() - t0) / (n ? n : 1);
}

/* --- The golden dump format (src/engine/kernel/maple/dump.ts). --- */

static void dump_hex_list(const unsigned long *v, unsigned int count)
{
	putchar('[');
	for (unsigned int i = 0; i < count; i++)
		printf("%s\"0x%lx\"", i ? "," : "", v[i]);
	putchar(']');
}

/* One node and its subtree, as mt_dump_node_json() writes it. */
static void dump_node(struct maple_tree *mt, struct maple_enode *enode,
		      unsigned long min, unsigned long max)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long *pivots = ma_pivots(node, type);
	void __rcu **slots = ma_slots(node, type);
	unsigned char end = ma_data_end(node, type, pivots, max);
	bool leaf = ma_is_leaf(type);

	printf("{\"type\":\"%s\",\"min\":\"0x%lx\",\"max\":\"0x%lx\",\"pivots\":",
	       leaf ? "leaf_64" : "arange_64", min, max);
	dump_hex_list(pivots, end);
	printf(",\"slots\":[");
	for (unsigned int i = 0; i <= end; i++) {
		void *entry = mt_slot(mt, slots, i);
		unsigned long first = i ? pivots[i - 1] + 1 : min;
		unsigned long last = i < end ? pivots[i] : max;

		if (i)
			putchar(',');
		if (leaf) {
			if (entry)
				printf("%lu", entry_id(entry));
			else
				printf("null");
		} else {
			dump_node(mt, entry, first, last);
		}
	}
	putchar(']');
	if (!leaf) {
		printf(",\"gaps\":");
		dump_hex_list(ma_gaps(node, type), end + 1);
	}
	putchar('}');
}

/* lib/maple_tree.c: mt_dump(), in the golden JSON format. */
static void dump_tree(struct maple_tree *mt, size_t op)
{
	void *root = mt->ma_root;

	printf("{\"op\":%zu,\"height\":%u,\"root\":", op, mt_height(mt));
	if (xa_is_node(root))
		dump_node(mt, root, 0, ULONG_MAX);
	else if (root)
		printf("%lu", entry_id(root));
	else
		printf("null");
	printf("}\n");
}

int main(int argc, char **argv)
{
	size_t n;
	struct op *ops;
	int rounds;
	bool dump;

	if (argc < 3) {
		fprintf(stderr, "usage: %s FILE.case ROUNDS [--dump]\n",
			argv[0]);
		return 2;
	}
	ops = read_case(argv[1], &n);
	rounds = atoi(argv[2]);
	dump = argc > 3 && strcmp(argv[3], "--dump") == 0;
	maple_tree_init();

	for (int r = -1; r < rounds; r++) {
		struct maple_tree mt;
		double ns;

		/* include/linux/mm_types.h: MM_MT_FLAGS */
		mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN |
					   MT_FLAGS_USE_RCU);
		ns = replay(&mt, ops, n);
		if (r >= 0)
			printf("round %.3f ns/op\n", ns);
		if (dump && r == rounds - 1)
			dump_tree(&mt, n);
		/* Not timed: the tree goes, and its nodes to the free list. */
		__mt_destroy(&mt);
		rcu_run_callbacks();
	}
	printf("ops %zu\n", n);
	return 0;
}
