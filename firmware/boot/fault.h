/* fault.h - fault and panic reporting: the message goes to UART0 and, when
 * the console registered a sink, to USB; then the core waits for a reset. */
#ifndef PICOLLAMA_FW_FAULT_H
#define PICOLLAMA_FW_FAULT_H

/* Entry of every fault vector (naked: finds the stacked frame). */
void fault_handler(void);

/* Reports a fatal error that is not a CPU fault; does not return. */
__attribute__((noreturn)) void fault_report_message(const char *message);

/* Where fault reports go besides UART0; the sink must not return. */
typedef void (*fault_sink_fn)(const char *report);
void fault_set_sink(fault_sink_fn sink);
/* UART0 is configured: reports may be written to it. */
void fault_set_uart_ready(void);

#endif
