//! Work shared out between the cores, its results kept in order.

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;

/// The cores this machine gives the program (1 when it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// `f(item)` for every item, on every core (each thread takes the next item not yet taken), the
/// results in the items' order. An item whose thread panicked has no result (`None`); the panic
/// itself is printed as usual.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    beside(|| (), items, f).1
}

/// `first()` on this thread while `f(item)` runs for the items on the other cores; this thread
/// then takes items too, until none is left. The results of `f` in the items' order, as
/// `map_in_order` gives them. On one core, `first` and then every item in order.
pub fn beside<A, T: Sync, R: Send>(
    first: impl FnOnce() -> A,
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> (A, Vec<Option<R>>) {
    let others = cores().saturating_sub(1).min(items.len());
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(item)));
        }
    };
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let first = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..others).map(|_| scope.spawn(take)).collect();
        let first = first();
        // This thread's share: an item that panics is lost (`None`), as on the other threads.
        for (i, r) in std::panic::catch_unwind(std::panic::AssertUnwindSafe(&take)).unwrap_or_default() {
            out[i] = Some(r);
        }
        for worker in workers {
            for (i, r) in worker.join().unwrap_or_default() {
                out[i] = Some(r);
            }
        }
        first
    });
    (first, out)
}

/// `map_in_order` for work that can fail: the results in the items' order, or the first error
/// in that order; an item whose thread panicked is the error `lost`.
pub fn try_map_in_order<T: Sync, R: Send>(
    items: &[T],
    lost: &str,
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    try_beside(|| (), items, lost, f).1
}

/// `beside` for items whose work can fail: `first()`'s result, and the items' results in order
/// or the first error in that order (an item whose thread panicked is the error `lost`).
pub fn try_beside<A, T: Sync, R: Send>(
    first: impl FnOnce() -> A,
    items: &[T],
    lost: &str,
    f: impl Fn(&T) -> Result<R> + Sync,
) -> (A, Result<Vec<R>>) {
    let (first, results) = beside(first, items, f);
    (first, results.into_iter().map(|r| r.unwrap_or_else(|| Err(anyhow::anyhow!("{lost}")))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order() {
        let items: Vec<u64> = (0..1_000).collect();
        let out = map_in_order(&items, |&i| i * i);
        assert_eq!(out, items.iter().map(|&i| Some(i * i)).collect::<Vec<_>>());
        assert!(map_in_order(&[] as &[u8], |&b| b).is_empty());
    }

    #[test]
    fn work_beside_comes_back_with_every_result_in_order() {
        let items: Vec<u64> = (0..1_000).collect();
        let (first, out) = beside(|| "first", &items, |&i| i + 1);
        assert_eq!(first, "first");
        assert_eq!(out, items.iter().map(|&i| Some(i + 1)).collect::<Vec<_>>());
    }
}
