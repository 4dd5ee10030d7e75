# firmware.cmake - builds the RP2350 firmware (firmware/, cross-compiled) as
# part of the host build: packs stories260K as an f32 and a q8 image when
# the model is found ($PICOLLAMA_MODELS, models/, ../shared/models/) and
# embeds both in pico_llama.uf2's model slot, one after the other.
include(ExternalProject)

# Reboots a host may ask for (firmware/CMakeLists.txt), on by default:
# make CMAKE_ARGS="-DPICOLLAMA_USB_RESET_INTERFACE=OFF" leaves one out.
option(PICOLLAMA_USB_RESET_INTERFACE
  "firmware: the Pico SDK's USB reset interface (picotool reboot -f / load -f)" ON)
option(PICOLLAMA_USB_BAUD_TOUCH "firmware: the 1200-baud touch reboots into BOOTSEL" ON)

set(_model_dirs "$ENV{PICOLLAMA_MODELS}" "${CMAKE_SOURCE_DIR}/models" "${CMAKE_SOURCE_DIR}/../shared/models")
set(FIRMWARE_MODEL_CHECKPOINT "")
foreach(dir IN LISTS _model_dirs)
  if(dir AND EXISTS "${dir}/stories260K.bin" AND EXISTS "${dir}/tok512.bin" AND NOT FIRMWARE_MODEL_CHECKPOINT)
    set(FIRMWARE_MODEL_CHECKPOINT "${dir}/stories260K.bin")
    set(FIRMWARE_MODEL_TOKENIZER "${dir}/tok512.bin")
  endif()
endforeach()

set(FIRMWARE_MODEL_IMAGES "")
if(FIRMWARE_MODEL_CHECKPOINT)
  foreach(precision f32 q8)
    set(image ${CMAKE_BINARY_DIR}/models/stories260K-${precision}.img)
    add_custom_command(OUTPUT ${image}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/models
      COMMAND picollama pack ${FIRMWARE_MODEL_CHECKPOINT} ${FIRMWARE_MODEL_TOKENIZER} -q ${precision} -o ${image}
      DEPENDS picollama ${FIRMWARE_MODEL_CHECKPOINT} ${FIRMWARE_MODEL_TOKENIZER}
      COMMENT "Packing stories260K (${precision}) for the firmware's model slot")
    list(APPEND FIRMWARE_MODEL_IMAGES ${image})
  endforeach()
  message(STATUS "firmware: embedding ${FIRMWARE_MODEL_CHECKPOINT} (f32 and q8)")
else()
  message(STATUS "firmware: stories260K.bin/tok512.bin not found ($PICOLLAMA_MODELS, models/, ../shared/models/): pico_llama.uf2 is built without a model ('make models' fetches it)")
endif()
add_custom_target(firmware_model DEPENDS ${FIRMWARE_MODEL_IMAGES})
string(REPLACE ";" "|" _images_arg "${FIRMWARE_MODEL_IMAGES}")

ExternalProject_Add(firmware
  SOURCE_DIR ${CMAKE_SOURCE_DIR}/firmware
  BINARY_DIR ${CMAKE_BINARY_DIR}/firmware
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/arm-none-eabi.cmake
    -DCMAKE_BUILD_TYPE=Release
    -DPICOLLAMA_TOOL=$<TARGET_FILE:picollama>
    -DPICOLLAMA_MODEL_IMAGES=${_images_arg}
    -DPICOLLAMA_USB_RESET_INTERFACE=${PICOLLAMA_USB_RESET_INTERFACE}
    -DPICOLLAMA_USB_BAUD_TOUCH=${PICOLLAMA_USB_BAUD_TOUCH}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  DEPENDS picollama firmware_model)
set(PICOLLAMA_FIRMWARE_UF2 ${CMAKE_BINARY_DIR}/firmware/pico_llama.uf2)

# The same firmware with the console commands only tests need (/fault), no
# model, and neither the reset interface nor the 1200-baud touch (the USB
# console as it was before them): what tests/firmware/test_firmware_fault.c
# runs, and what test_firmware_reset and _bininfo check the options off on.
ExternalProject_Add(firmware_test
  SOURCE_DIR ${CMAKE_SOURCE_DIR}/firmware
  BINARY_DIR ${CMAKE_BINARY_DIR}/firmware-test
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/arm-none-eabi.cmake
    -DCMAKE_BUILD_TYPE=Release
    -DPICOLLAMA_TOOL=$<TARGET_FILE:picollama>
    -DPICOLLAMA_TEST_COMMANDS=ON
    -DPICOLLAMA_USB_RESET_INTERFACE=OFF
    -DPICOLLAMA_USB_BAUD_TOUCH=OFF
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  DEPENDS picollama)
set(PICOLLAMA_FIRMWARE_TEST_UF2 ${CMAKE_BINARY_DIR}/firmware-test/pico_llama.uf2)
set(PICOLLAMA_FIRMWARE_ELF ${CMAKE_BINARY_DIR}/firmware/pico_llama.elf)
