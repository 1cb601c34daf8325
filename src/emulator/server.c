/* SPDX-License-Identifier: MIT */
typedef int placeholder_unused_t;
