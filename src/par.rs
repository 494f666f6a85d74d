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
    let threads = cores().min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { return done };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        for worker in workers {
            for (i, r) in worker.join().unwrap_or_default() {
                out[i] = Some(r);
            }
        }
    });
    out
}

/// `map_in_order` for work that can fail: the results in the items' order, or the first error
/// in that order; an item whose thread panicked is the error `lost`.
pub fn try_map_in_order<T: Sync, R: Send>(
    items: &[T],
    lost: &str,
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    map_in_order(items, f).into_iter().map(|r| r.unwrap_or_else(|| Err(anyhow::anyhow!("{lost}")))).collect()
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
}
