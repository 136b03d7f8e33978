#include <dlfcn.h>
#include <stddef.h>

/* OpenBLAS is opened on first use (dlopen), not linked. Linked, its constructor ran before main and
   read OPENBLAS_CORETYPE and OPENBLAS_THREAD_TIMEOUT before seqgen could choose them, so seqgen
   re-executed itself (≈ 6 ms of every start), and LAPACKE, reference LAPACK and libgfortran were
   loaded and relocated at every start too. The nine functions seqgen calls go through this table
   (Tensors/BLAS.swift). The integers are CBLAS's enum values; LAPACK is called through its Fortran
   entry points, column-major, with the hidden length of each character argument last. */
enum { SEQGEN_CBLAS_ROW_MAJOR = 101, SEQGEN_CBLAS_NO_TRANS = 111, SEQGEN_CBLAS_TRANS = 112, SEQGEN_CBLAS_UPPER = 121 };

typedef struct {
    void (*sgemm)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc);
    void (*ssyrk)(int order, int uplo, int trans, int n, int k, float alpha, const float *a, int lda, float beta,
                  float *c, int ldc);
    void (*saxpy)(int n, float alpha, const float *x, int incx, float *y, int incy);
    double (*dsdot)(int n, const float *x, int incx, const float *y, int incy);
    void (*dpotrf)(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_length);
    void (*dpotri)(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_length);
    void (*set_num_threads)(int threads);
    int (*get_num_threads)(void);
    char *(*get_corename)(void);
} seqgen_blas_api;

/* Opens OpenBLAS (its run-time name first, then the development link, then macOS names) and fills
   `api`. Its constructor reads the OPENBLAS_* environment now, so set that first. Returns NULL, or a
   message saying what is missing. */
static inline const char *seqgen_blas_load(seqgen_blas_api *api) {
    static const char *names[] = {
        "libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
        "/usr/local/opt/openblas/lib/libopenblas.dylib", NULL };
    void *lib = NULL;
    for (int k = 0; names[k] && !lib; k++) lib = dlopen(names[k], RTLD_NOW | RTLD_LOCAL);
    if (!lib) return "cannot load OpenBLAS (libopenblas.so.0; Debian/Ubuntu: apt install libopenblas0 or libopenblas-dev)";
#define SEQGEN_BLAS_SYMBOL(field, symbol) \
    if (!(*(void **)&api->field = dlsym(lib, symbol))) return "the OpenBLAS found lacks " symbol;
    SEQGEN_BLAS_SYMBOL(sgemm, "cblas_sgemm")
    SEQGEN_BLAS_SYMBOL(ssyrk, "cblas_ssyrk")
    SEQGEN_BLAS_SYMBOL(saxpy, "cblas_saxpy")
    SEQGEN_BLAS_SYMBOL(dsdot, "cblas_dsdot")
    SEQGEN_BLAS_SYMBOL(dpotrf, "dpotrf_")
    SEQGEN_BLAS_SYMBOL(dpotri, "dpotri_")
    SEQGEN_BLAS_SYMBOL(set_num_threads, "openblas_set_num_threads")
    SEQGEN_BLAS_SYMBOL(get_num_threads, "openblas_get_num_threads")
    SEQGEN_BLAS_SYMBOL(get_corename, "openblas_get_corename")
#undef SEQGEN_BLAS_SYMBOL
    return NULL;
}
