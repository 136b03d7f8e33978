#include <hdf5.h>

/* HDF5's type and property-list constants are macros that call into the library; Swift cannot
   import them, so they are wrapped here. */
static inline hid_t seqgen_h5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t seqgen_h5_default(void) { return H5P_DEFAULT; }
static inline hid_t seqgen_h5_all(void) { return H5S_ALL; }
static inline void seqgen_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
static inline unsigned seqgen_h5_read_only(void) { return H5F_ACC_RDONLY; }
