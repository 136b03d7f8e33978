#if __has_include(<hdf5/serial/hdf5.h>)
#include <hdf5/serial/hdf5.h>   /* Debian/Ubuntu's libhdf5-dev */
#else
#include <hdf5.h>
#endif
#include <dlfcn.h>
#include <stddef.h>

#define SEQGEN_H5_STRING(x) #x
#define SEQGEN_H5_VERSION(major, minor) SEQGEN_H5_STRING(major) "." SEQGEN_H5_STRING(minor)
#define SEQGEN_H5_BUILT "HDF5 " SEQGEN_H5_VERSION(H5_VERS_MAJOR, H5_VERS_MINOR)

/* libhdf5 is opened on first use (dlopen), not linked: linked, it and what it links (curl, TLS,
   Kerberos: 25 libraries) were loaded and relocated at every seqgen start-up (≈ 8 ms of a 20 ms
   `seqgen --version`), though only HDF5 datasets need it. The header gives the types and the ABI;
   the calls go through this table. */
typedef struct {
    htri_t (*is_hdf5)(const char *name);
    hid_t (*file_open)(const char *name, unsigned flags, hid_t access);
    herr_t (*file_close)(hid_t file);
    htri_t (*link_exists)(hid_t location, const char *name, hid_t access);
    hid_t (*dataset_open)(hid_t location, const char *name, hid_t access);
    herr_t (*dataset_close)(hid_t dataset);
    hid_t (*dataset_space)(hid_t dataset);
    herr_t (*dataset_read)(hid_t dataset, hid_t memory_type, hid_t memory_space, hid_t file_space, hid_t transfer, void *buffer);
    herr_t (*space_close)(hid_t space);
    int (*space_rank)(hid_t space);
    int (*space_dims)(hid_t space, hsize_t *dims, hsize_t *maxdims);
    hid_t native_float;                  /* H5T_NATIVE_FLOAT */
} seqgen_h5_api;

static inline hid_t seqgen_h5_default(void) { return H5P_DEFAULT; }
static inline hid_t seqgen_h5_all(void) { return H5S_ALL; }
/* H5F_ACC_RDONLY is 0x0000u behind calls into the library (H5check_version, H5open). */
static inline unsigned seqgen_h5_read_only(void) { return 0x0000u; }

/* Opens libhdf5 (the development link first, the one these headers came with, then the run-time
   names of HDF5 1.10–1.14), checks that its major.minor version is the headers', silences its error
   stack printing and fills `api`. Returns NULL, or a message saying what is missing. */
static inline const char *seqgen_h5_load(seqgen_h5_api *api) {
    static const char *names[] = {
        "libhdf5_serial.so", "libhdf5.so", "libhdf5_serial.so.103", "libhdf5.so.103", "libhdf5_serial.so.200",
        "libhdf5.so.200", "libhdf5_serial.so.310", "libhdf5.so.310", "libhdf5.dylib", "/opt/homebrew/lib/libhdf5.dylib",
        "/usr/local/lib/libhdf5.dylib", NULL };
    void *lib = NULL;
    for (int k = 0; names[k] && !lib; k++) lib = dlopen(names[k], RTLD_NOW | RTLD_LOCAL);
    if (!lib) return "cannot load libhdf5 (seqgen was built with " SEQGEN_H5_BUILT "; Debian/Ubuntu: apt install libhdf5-dev)";
#define SEQGEN_H5_SYMBOL(field, symbol) \
    if (!(*(void **)&api->field = dlsym(lib, symbol))) return "libhdf5 lacks " symbol;
    SEQGEN_H5_SYMBOL(is_hdf5, "H5Fis_hdf5")
    SEQGEN_H5_SYMBOL(file_open, "H5Fopen")
    SEQGEN_H5_SYMBOL(file_close, "H5Fclose")
    SEQGEN_H5_SYMBOL(link_exists, "H5Lexists")
    SEQGEN_H5_SYMBOL(dataset_open, "H5Dopen2")
    SEQGEN_H5_SYMBOL(dataset_close, "H5Dclose")
    SEQGEN_H5_SYMBOL(dataset_space, "H5Dget_space")
    SEQGEN_H5_SYMBOL(dataset_read, "H5Dread")
    SEQGEN_H5_SYMBOL(space_close, "H5Sclose")
    SEQGEN_H5_SYMBOL(space_rank, "H5Sget_simple_extent_ndims")
    SEQGEN_H5_SYMBOL(space_dims, "H5Sget_simple_extent_dims")
#undef SEQGEN_H5_SYMBOL
    herr_t (*open)(void) = (herr_t (*)(void))dlsym(lib, "H5open");
    herr_t (*version)(unsigned *, unsigned *, unsigned *) = (herr_t (*)(unsigned *, unsigned *, unsigned *))dlsym(lib, "H5get_libversion");
    herr_t (*quiet)(hid_t, H5E_auto2_t, void *) = (herr_t (*)(hid_t, H5E_auto2_t, void *))dlsym(lib, "H5Eset_auto2");
    hid_t *native_float = (hid_t *)dlsym(lib, "H5T_NATIVE_FLOAT_g");
    if (!open || !version || !quiet || !native_float) return "libhdf5 lacks H5open, H5get_libversion, H5Eset_auto2 or H5T_NATIVE_FLOAT_g";
    unsigned major = 0, minor = 0, release = 0;
    if (version(&major, &minor, &release) < 0 || major != H5_VERS_MAJOR || minor != H5_VERS_MINOR)
        return "the libhdf5 found is not " SEQGEN_H5_BUILT ", the version seqgen was built with";
    if (open() < 0) return "libhdf5 did not initialise";
    quiet(H5E_DEFAULT, NULL, NULL);
    api->native_float = *native_float;
    return NULL;
}
