/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for liburcu's <urcu.h>, just enough for lib/maple_tree.c in
 * user space (tools/testing/shared/linux/rcupdate.h includes it). The bench
 * harness is single-threaded, so readers need no protection:
 * rcu_read_lock()/rcu_read_unlock() do nothing. call_rcu() only queues the
 * callback; the harness runs the queue (rcu_run_callbacks()) after each
 * operation, which is when a grace period would at the earliest end in the
 * kernel (ma_free_rcu() and mt_free_walk() free nodes this way).
 */
#ifndef BENCH_SHIM_URCU_H
#define BENCH_SHIM_URCU_H

#include <stddef.h>
#include <urcu/uatomic.h>

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_register_thread() do { } while (0)
#define rcu_unregister_thread() do { } while (0)
#define rcu_barrier() rcu_run_callbacks()

/* One thread and no concurrent readers: plain loads and stores suffice. */
#define rcu_dereference(p) (*(volatile __typeof__(p) *)&(p))
#define rcu_assign_pointer(p, v) do { (p) = (v); } while (0)

extern struct rcu_head *rcu_pending;

static inline void call_rcu(struct rcu_head *head,
			    void (*func)(struct rcu_head *head))
{
	head->func = func;
	head->next = rcu_pending;
	rcu_pending = head;
}

/* Run the queued callbacks; what a grace period ending would do. */
static inline void rcu_run_callbacks(void)
{
	while (rcu_pending) {
		struct rcu_head *head = rcu_pending;

		rcu_pending = head->next;
		head->func(head);
	}
}

#endif
