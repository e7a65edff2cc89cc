// LAPACK's Fortran entry points (Debian: liblapack-dev, or any provider of liblapack.so).
// Declared here rather than through lapacke.h, which is a separate package.
#include <stddef.h>

// Eigenvalues (jobz = "N") or eigenvalues and eigenvectors (jobz = "V") of a real symmetric matrix,
// by divide and conquer. The trailing lengths are the hidden lengths of the two character arguments
// that gfortran passes by value.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
