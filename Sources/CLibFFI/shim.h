/* Brings libffi (Debian: libffi-dev) into Swift for the host's native tool calls. */
#include <ffi.h>
#include <stdbool.h>

/* libffi's type descriptors are mutable C globals; Swift 6 refuses to touch those directly, so
 * these accessors hand out their (stable) addresses. */
static inline ffi_type *retort_ffi_type_sint32(void) { return &ffi_type_sint32; }
static inline ffi_type *retort_ffi_type_sint64(void) { return &ffi_type_sint64; }
static inline ffi_type *retort_ffi_type_double(void) { return &ffi_type_double; }
static inline ffi_type *retort_ffi_type_float(void) { return &ffi_type_float; }
static inline ffi_type *retort_ffi_type_uint8(void) { return &ffi_type_uint8; }
static inline ffi_type *retort_ffi_type_pointer(void) { return &ffi_type_pointer; }

static inline ffi_status retort_ffi_prep_cif(ffi_cif *cif, unsigned int nargs, ffi_type *rtype, ffi_type **atypes) {
    return ffi_prep_cif(cif, FFI_DEFAULT_ABI, nargs, rtype, atypes);
}

/* Calls `function` (a symbol found with dlsym) through a prepared interface. */
static inline void retort_ffi_call(ffi_cif *cif, void *function, void *result, void **arguments) {
    ffi_call(cif, (void (*)(void))function, result, arguments);
}
