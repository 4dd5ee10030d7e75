/* exp2_table.h - the sampler's exponential for the fast precisions:
 * 2^(-k / 128) for k = 0 .. 128 (one octave in 128 steps), each rounded to
 * the nearest float (generated once in double precision;
 * tests/unit/test_sampler.c checks every entry). Linear interpolation
 * between entries is within 3.7e-6 of 2^-x relative ((ln2/128)^2 / 8);
 * whole octaves go into the float's exponent field. Included by sampler.c
 * only. */
#ifndef PICOLLAMA_EXP2_TABLE_H
#define PICOLLAMA_EXP2_TABLE_H

#define PL_EXP2_STEPS_PER_OCTAVE 128
#define PL_EXP2_ENTRIES 129

static const float pl_exp2_table[PL_EXP2_ENTRIES] = {
    0x1p+0f, 0x1.fd3c22p-1f, 0x1.fa7c18p-1f, 0x1.f7bfdap-1f,
    0x1.f50766p-1f, 0x1.f252b4p-1f, 0x1.efa1bep-1f, 0x1.ecf482p-1f,
    0x1.ea4afap-1f, 0x1.e7a52p-1f, 0x1.e502eep-1f, 0x1.e26462p-1f,
    0x1.dfc974p-1f, 0x1.dd322p-1f, 0x1.da9e6p-1f, 0x1.d80e32p-1f,
    0x1.d5818ep-1f, 0x1.d2f87p-1f, 0x1.d072d4p-1f, 0x1.cdf0b6p-1f,
    0x1.cb720ep-1f, 0x1.c8f6dap-1f, 0x1.c67f12p-1f, 0x1.c40ab6p-1f,
    0x1.c199bep-1f, 0x1.bf2c26p-1f, 0x1.bcc1eap-1f, 0x1.ba5b04p-1f,
    0x1.b7f77p-1f, 0x1.b59728p-1f, 0x1.b33a2cp-1f, 0x1.b0e072p-1f,
    0x1.ae89fap-1f, 0x1.ac36bcp-1f, 0x1.a9e6b6p-1f, 0x1.a799e2p-1f,
    0x1.a5503cp-1f, 0x1.a309bep-1f, 0x1.a0c668p-1f, 0x1.9e8632p-1f,
    0x1.9c4918p-1f, 0x1.9a0f18p-1f, 0x1.97d82ap-1f, 0x1.95a44cp-1f,
    0x1.93737cp-1f, 0x1.9145bp-1f, 0x1.8f1aeap-1f, 0x1.8cf322p-1f,
    0x1.8ace54p-1f, 0x1.88ac7ep-1f, 0x1.868d9ap-1f, 0x1.8471a4p-1f,
    0x1.82589ap-1f, 0x1.804276p-1f, 0x1.7e2f34p-1f, 0x1.7c1edp-1f,
    0x1.7a1148p-1f, 0x1.780694p-1f, 0x1.75feb6p-1f, 0x1.73f9a4p-1f,
    0x1.71f75ep-1f, 0x1.6ff7ep-1f, 0x1.6dfb24p-1f, 0x1.6c0128p-1f,
    0x1.6a09e6p-1f, 0x1.68155ep-1f, 0x1.662388p-1f, 0x1.643464p-1f,
    0x1.6247ecp-1f, 0x1.605e1cp-1f, 0x1.5e76f2p-1f, 0x1.5c9268p-1f,
    0x1.5ab07ep-1f, 0x1.58d12ep-1f, 0x1.56f474p-1f, 0x1.551a4cp-1f,
    0x1.5342b6p-1f, 0x1.516daap-1f, 0x1.4f9b28p-1f, 0x1.4dcb2ap-1f,
    0x1.4bfdaep-1f, 0x1.4a32bp-1f, 0x1.486a2cp-1f, 0x1.46a41ep-1f,
    0x1.44e086p-1f, 0x1.431f5ep-1f, 0x1.4160a2p-1f, 0x1.3fa45p-1f,
    0x1.3dea64p-1f, 0x1.3c32dcp-1f, 0x1.3a7db4p-1f, 0x1.38cae6p-1f,
    0x1.371a74p-1f, 0x1.356c56p-1f, 0x1.33c08cp-1f, 0x1.32171p-1f,
    0x1.306fep-1f, 0x1.2ecafap-1f, 0x1.2d285ap-1f, 0x1.2b87fep-1f,
    0x1.29e9ep-1f, 0x1.284dfep-1f, 0x1.26b456p-1f, 0x1.251ce4p-1f,
    0x1.2387a6p-1f, 0x1.21f49ap-1f, 0x1.2063b8p-1f, 0x1.1ed502p-1f,
    0x1.1d4874p-1f, 0x1.1bbe08p-1f, 0x1.1a35bep-1f, 0x1.18af94p-1f,
    0x1.172b84p-1f, 0x1.15a98cp-1f, 0x1.1429aap-1f, 0x1.12abdcp-1f,
    0x1.11301ep-1f, 0x1.0fb66ap-1f, 0x1.0e3ec4p-1f, 0x1.0cc922p-1f,
    0x1.0b5586p-1f, 0x1.09e3ecp-1f, 0x1.087452p-1f, 0x1.0706b2p-1f,
    0x1.059b0ep-1f, 0x1.04315ep-1f, 0x1.02c9a4p-1f, 0x1.0163dap-1f,
    0x1p-1f
};

#endif
