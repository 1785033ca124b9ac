/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What tools/testing/shared/shared.mk generates; the xarray headers the
 * maple tree's headers pull in need it, the maple tree does not use it. */
#define XA_CHUNK_SHIFT 6
