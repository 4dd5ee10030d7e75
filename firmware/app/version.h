/* version.h - the firmware's version, shown in the banner and in the binary
 * info picotool reads. */
#ifndef PICOLLAMA_FW_VERSION_H
#define PICOLLAMA_FW_VERSION_H

#define VERSION "0.5"

#endif
