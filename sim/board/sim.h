/* sim.h - running a virtual board: loading images and the scheduler loop
 * that interleaves the two cores with the board's timed events (USB frames,
 * UART characters, the watchdog, script steps and timeouts). */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "machine.h"
#include "options.h"

/* Loads every image of o into m. 0 on error (message printed). */
int sim_load_images(machine *m, const sim_options *o);
/* Powers the board on and runs it until it stops; returns the exit code. */
int sim_run(machine *m, sim_options *o);

#endif
