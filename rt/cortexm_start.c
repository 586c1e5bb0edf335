/* The bare-metal start of `modelc run --target cortex-m` under qemu-system-arm (mps2-an386 for
   the Cortex-M4, mps2-an500 for the M7, mps3-an547 for the M55): the vector table (initial
   stack pointer, reset handler), which the linker script places where the board's core reads
   it at reset, a reset handler that enables the FPU (the model is built for the hard-float ABI,
   and the core traps its first float instruction otherwise; on the M55 the same CP10/CP11
   access enables Helium, whose vector registers are the FPU's), copies .data from its load
   image, zeroes .bss and calls main with the arguments the emulator was given
   (-semihosting-config arg=...), then exits through newlib's librdimon, whose semihosting
   SYS_EXIT_EXTENDED makes main's status QEMU's exit status. A fault stops the guest with status
   99, so a crashed model is an error and not a hang. The symbols come from the linker script
   modelc writes next to this file (link.ld). */
#include <stdint.h>
#include <stdlib.h>

extern int main(int argc, char **argv);
extern void initialise_monitor_handles(void);
extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];

/* A semihosting call: operation op with its argument block (BKPT 0xAB on M-profile). */
static int semihost(int op, void *arg) {
  register int r0 __asm__("r0") = op;
  register void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static char cmdline[8192];
static char *args[80];

/* SYS_GET_CMDLINE: the arguments joined by spaces (modelc run refuses paths with spaces). */
static int get_args(void) {
  struct {
    char *p;
    int n;
  } blk = {cmdline, (int)sizeof cmdline - 1};
  int argc = 0;
  if (semihost(0x15, &blk) != 0) return 0;
  cmdline[blk.n >= 0 && blk.n < (int)sizeof cmdline ? blk.n : 0] = 0;
  for (char *p = cmdline; *p && argc < (int)(sizeof args / sizeof args[0]) - 1;) {
    while (*p == ' ') *p++ = 0;
    if (!*p) break;
    args[argc++] = p;
    while (*p && *p != ' ') p++;
  }
  args[argc] = 0;
  return argc;
}

void cm_reset(void) {
  /* CPACR: CP10 and CP11 full access (FP, and MVE on an M55), in the Secure state the an547's
     core starts in */
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
  for (uint32_t *d = __bss_start; d < __bss_end;) *d++ = 0;
  initialise_monitor_handles();
  int argc = get_args();
  exit(main(argc, args));
}

/* The host's clock in ns (SYS_ELAPSED ticks at SYS_TICKFREQ): the --profile clock, since QEMU
   does not model the DWT cycle counter. It times the emulator, not a real core. */
uint64_t cm_host_ns(void) {
  uint32_t t[2] = {0, 0};
  if (semihost(0x30, t) != 0) return 0;
  int freq = semihost(0x31, 0);
  uint64_t ticks = ((uint64_t)t[1] << 32) | t[0];
  return freq > 0 ? (uint64_t)((double)ticks * (1e9 / (double)freq)) : 0;
}

static void cm_fault(void) { _Exit(99); }

/* Newlib's exit runs _fini, which crt0 would have provided. */
void _init(void) {}
void _fini(void) {}

__attribute__((section(".vectors"), used)) void *const cm_vectors[16] = {
    __stack_top, (void *)cm_reset, (void *)cm_fault, (void *)cm_fault, (void *)cm_fault,
    (void *)cm_fault, (void *)cm_fault};
