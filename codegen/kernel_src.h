/* The kernel sources of targets/, embedded at build time (codegen/embed.c). */
#ifndef MODELC_KERNEL_SRC_H
#define MODELC_KERNEL_SRC_H

typedef struct KernelSrc {
  const char *name;  /* "generic/fully_connected_q" */
  const char *text;
} KernelSrc;

extern const KernelSrc kernel_srcs[];  /* ends with {0, 0} */

#endif
