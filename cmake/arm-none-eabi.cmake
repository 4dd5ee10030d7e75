# arm-none-eabi.cmake - CMake toolchain file for the RP2350's Cortex-M33
# (Debian's gcc-arm-none-eabi + libnewlib-arm-none-eabi), used by the
# firmware and the virtual-board test images.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR cortex-m33)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "size")
# a static library is enough to test the compiler: there is no OS to link for
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# M33 with the DSP extension and the single-precision FPU, hard-float ABI.
set(PICOLLAMA_CPU_FLAGS "-mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16")
set(CMAKE_C_FLAGS_INIT "${PICOLLAMA_CPU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${PICOLLAMA_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${PICOLLAMA_CPU_FLAGS} -nostartfiles -Wl,--gc-sections --specs=nano.specs --specs=nosys.specs")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
