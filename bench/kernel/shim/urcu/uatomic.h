/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for liburcu's <urcu/uatomic.h>: the tools/ headers count
 * allocations and preemption with these. The bench is single-threaded, so
 * plain arithmetic does.
 */
#ifndef BENCH_SHIM_URCU_UATOMIC_H
#define BENCH_SHIM_URCU_UATOMIC_H

#define uatomic_read(p) (*(p))
#define uatomic_set(p, v) ((void)(*(p) = (v)))
#define uatomic_inc(p) ((void)(++*(p)))
#define uatomic_dec(p) ((void)(--*(p)))
#define uatomic_add(p, v) ((void)(*(p) += (v)))
#define uatomic_sub(p, v) ((void)(*(p) -= (v)))
#define uatomic_xchg(p, v) \
	({ __typeof__(*(p)) _old = *(p); *(p) = (v); _old; })
#define uatomic_cmpxchg(p, o, n) \
	({ __typeof__(*(p)) _old = *(p); if (_old == (o)) *(p) = (n); _old; })

#endif
