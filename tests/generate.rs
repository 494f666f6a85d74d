//! The synthetic-export generator (`--features generate`): the same seed gives the same files,
//! so the bundled sample data can be made again exactly.
#![cfg(feature = "generate")]

use assert_cmd::Command;

#[test]
fn generator_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        let out = dir.path().join(sub);
        Command::cargo_bin("complaints-generate")
            .unwrap()
            .args(["--cases", "300", "--seed", "7", "--out", out.to_str().unwrap()])
            .assert()
            .success();
    }
    for f in ["complaints-export.csv", "complaints-export.xlsx", "ombudsman-casework.csv"] {
        let a = std::fs::read(dir.path().join("a").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(f)).unwrap();
        assert!(a == b, "{f} differs between two runs with the same seed");
    }
}

/// `--in-arrival-order` writes the same rows as `--clean`, sorted by received date.
#[test]
fn arrival_order_is_the_same_cases_by_received_date() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, arrival: bool| {
        let mut args = vec!["--cases", "500", "--seed", "3", "--clean", "--day-first", "--name", name];
        if arrival {
            args.push("--in-arrival-order");
        }
        Command::cargo_bin("complaints-generate")
            .unwrap()
            .args(&args)
            .args(["--out", dir.path().to_str().unwrap()])
            .assert()
            .success();
        std::fs::read_to_string(dir.path().join(format!("{name}.csv"))).unwrap()
    };
    let (as_made, arrival) = (write("made", false), write("arrival", true));
    let lines = |text: &str| -> Vec<String> { text.lines().map(str::to_string).collect() };
    let (as_made, arrival) = (lines(&as_made), lines(&arrival));
    assert_eq!(as_made[0], arrival[0], "the same header");
    let mut sorted = as_made[1..].to_vec();
    let mut got = arrival[1..].to_vec();
    assert_ne!(sorted, got, "the generated order is not already the arrival order");
    sorted.sort();
    got.sort();
    assert_eq!(sorted, got, "the same rows");
    // The third column is the received date, day first: never earlier than the row before.
    let key = |line: &String| {
        let d: Vec<String> = line.split(',').nth(2).unwrap().split('/').map(str::to_string).collect();
        (d[2].clone(), d[1].clone(), d[0].clone())
    };
    assert!(arrival[1..].windows(2).all(|w| key(&w[0]) <= key(&w[1])));
}
