//! The `complaints` binary: parse the command line, run it, map failures to exit codes
//! (0 ok, 1 data problem, 2 usage or config problem).

use clap::Parser;

fn main() {
    limit_allocator_arenas();
    let cli = complaints::cli::Cli::parse();
    match complaints::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::exit(complaints::error::exit_code(&err));
        }
    }
}

/// glibc gives threads that allocate their own memory arenas, up to eight per core. The blocks
/// of rows typed on the worker threads and the columns polars' pool makes then sit in many
/// arenas, and the peak memory of a 1,000,000-case Board pack rose from 1.2 to 1.5 GiB. One
/// arena per core keeps it down and was no slower (benches/metrics.sh, README).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_allocator_arenas() {
    let arenas = libc::c_int::try_from(complaints::par::cores()).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets an allocator parameter, and no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

/// Other allocators keep their own counsel.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_allocator_arenas() {}
