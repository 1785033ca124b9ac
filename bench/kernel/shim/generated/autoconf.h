/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What tools/testing/shared/shared.mk generates on a 64-bit host
 * (autoconf.h + bit-length.h): the maple tree's 64-bit node layout
 * (include/linux/maple_tree.h tests CONFIG_64BIT). */
#define CONFIG_64BIT 1
#define CONFIG_XARRAY_MULTI 1
