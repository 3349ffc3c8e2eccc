//! How the process's allocator hands memory back.

/// Allocations from this size up get pages of their own, returned to the system when freed.
/// glibc's default raises that size to the largest block freed so far (up to 32 MiB): after
/// the first sign-in, each password hash's 19 MiB came from the heap instead, where the small
/// lasting allocations of the connections opened between two sign-ins kept it from being
/// reused or returned, and the server grew by about 20 MB per sign-in (`bench/tenants`: 7 GB
/// after 1,000 workspaces). The static build links glibc statically, so it gets this too.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const OWN_PAGES_FROM: libc::c_int = 4 << 20;

/// Called once at the start of the process, before other threads run.
#[allow(unsafe_code)]
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; it touches no memory of ours.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_PAGES_FROM);
    }
}
